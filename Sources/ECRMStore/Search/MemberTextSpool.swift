import Foundation

/// The searchable text (nick, name, phone) of every member a bulk load appends to an empty store,
/// as the load writes it, in an unlinked temporary file next to the store. The search build can
/// then generate its pairs on the spare core while stats, lists and indexes are written (EarlyPairs),
/// instead of reading every member back from the table afterwards, on the writing thread.
///
/// It only stands for the member table while every member came in as an append, in id order, and
/// none was changed afterwards: a load that updates a member calls `invalidate()`, and the build
/// falls back to reading the table. Records: id (Int64), then nick, name and phone, each as a
/// UInt16 length and its UTF-8 bytes, all little-endian.
final class MemberTextSpool: @unchecked Sendable {
    private let file: SpoolFile
    private var buffer: [UInt8] = []
    private var written: Int64 = 0
    private(set) var isValid = true
    /// Members recorded so far.
    private(set) var count = 0
    /// Where every `runLength`-th record starts in the file, so that runs of members can be read
    /// (and their pairs generated) on several threads.
    private var runStarts: [Int64] = []
    /// Members a run (tests make it small to spread a few members over many runs).
    let runLength: Int
    private static let bufferSize = 1 << 20

    init(directory: String, runLength: Int = 1 << 16) throws {
        self.runLength = runLength
        file = try SpoolFile(in: directory)
        buffer.reserveCapacity(Self.bufferSize)
    }

    /// The texts of a member just appended (nil fields are stored as empty, as the table does).
    func append(id: Int64, nick: String?, name: String?, phone: String?) {
        var nick = nick ?? "", name = name ?? "", phone = phone ?? ""
        nick.withUTF8 { nick in
            name.withUTF8 { name in
                phone.withUTF8 { phone in
                    append(id: id, nick: UnsafeRawBufferPointer(nick), name: UnsafeRawBufferPointer(name), phone: UnsafeRawBufferPointer(phone))
                }
            }
        }
    }

    /// A member's texts as UTF-8 bytes (read back from the member table, say).
    func append(id: Int64, nick: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, phone: UnsafeRawBufferPointer) {
        guard isValid else { return }
        guard nick.count <= Int(UInt16.max), name.count <= Int(UInt16.max), phone.count <= Int(UInt16.max) else { return invalidate() }
        if count % runLength == 0 { runStarts.append(written + Int64(buffer.count)) }
        withUnsafeBytes(of: id.littleEndian) { buffer.append(contentsOf: $0) }
        func put(_ bytes: UnsafeRawBufferPointer) {
            withUnsafeBytes(of: UInt16(bytes.count).littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: bytes)
        }
        put(nick); put(name); put(phone)
        count += 1
        if buffer.count >= Self.bufferSize { flush() }
    }

    /// A member changed after it was appended (or was there before): the spool no longer is the table.
    func invalidate() {
        isValid = false
        buffer = []
    }

    /// Writes what is buffered; call before reading back.
    func finishWriting() {
        flush()
        buffer = []
    }

    private func flush() {
        guard isValid, !buffer.isEmpty else { return }
        let ok = (try? buffer.withUnsafeBytes { try file.write($0, at: written) }) != nil
        written += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        // A full disk only costs the shortcut: the build then reads the table.
        if !ok { invalidate() }
    }

    /// Runs of `runLength` members (the last one shorter), for `forEach(run:)`.
    var runs: Int { runStarts.count }

    /// Calls `body(id, nick, name, phone)` for every record of run `run` (members
    /// run * runLength + 1… in a store numbered from 1), in the order they were appended.
    /// Reads the file only (any thread, once writing is finished).
    func forEach(run: Int, _ body: (Int64, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
        let size = Self.bufferSize
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { chunk.deallocate() }
        var offset = runStarts[run], have = 0
        let stop = run + 1 < runStarts.count ? runStarts[run + 1] : written
        let count = min(runLength, self.count - run * runLength)
        var seen = 0
        while offset < stop {
            // Refill behind what is left of a record cut by the chunk's end.
            let n = min(size - have, Int(stop - offset))
            try file.read(into: chunk + have, count: n, at: offset)
            offset += Int64(n)
            have += n
            var at = 0
            while let end = recordEnd(chunk, from: at, have: have) {
                var p = at + 8
                func field() -> UnsafeRawBufferPointer {
                    let n = Int(UInt16(littleEndian: chunk.loadUnaligned(fromByteOffset: p, as: UInt16.self)))
                    defer { p += 2 + n }
                    return UnsafeRawBufferPointer(start: chunk + p + 2, count: n)
                }
                let id = Int64(littleEndian: chunk.loadUnaligned(fromByteOffset: at, as: Int64.self))
                let nick = field(), name = field(), phone = field()
                try body(id, nick, name, phone)
                seen += 1
                at = end
            }
            chunk.copyMemory(from: chunk + at, byteCount: have - at)
            have -= at
        }
        guard have == 0, seen == count else { throw StoreError.invalid("the search build's temporary file is incomplete") }
    }

    /// Where the record starting at `from` ends, if all of it is in the chunk.
    private func recordEnd(_ p: UnsafeMutableRawPointer, from: Int, have: Int) -> Int? {
        var at = from + 8
        for _ in 0..<3 {
            guard at + 2 <= have else { return nil }
            at += 2 + Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        }
        return at <= have ? at : nil
    }
}

/// A spooled member's search grams (its UTF-8 nick, name and phone as `forEach(run:)` gives them),
/// with the decoding buffers kept from one member to the next: the early builds (EarlyPairs,
/// EarlyExtra) pair every text of a spool this way.
struct SpooledTextGrams {
    private var nick: [UInt32] = [], name: [UInt32] = [], phone: [UInt32] = []

    @inline(__always)
    mutating func forEach(nick nickBytes: UnsafeRawBufferPointer, name nameBytes: UnsafeRawBufferPointer,
                          phone phoneBytes: UnsafeRawBufferPointer, _ body: (UInt64) -> Void) {
        nick.removeAll(keepingCapacity: true); UTF8Scalars.append(nickBytes, to: &nick)
        name.removeAll(keepingCapacity: true); UTF8Scalars.append(nameBytes, to: &name)
        phone.removeAll(keepingCapacity: true); UTF8Scalars.append(phoneBytes, to: &phone)
        let phoneKey = Gram.phoneTailKey(phone) ?? 0
        nick.withUnsafeBufferPointer { nick in
            name.withUnsafeBufferPointer { name in
                Gram.forEachOfMember(nick: nick, name: name, phoneKey: phoneKey, body)
            }
        }
    }
}
