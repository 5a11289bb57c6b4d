// Why a hand-written reader: the importer must read a 5,000,000-row / ~350 MB orders file
// in a few seconds with peak memory under 200 MB, in UTF-8 or GB18030/GBK. SwiftCSV (0.10)
// loads the whole file into a String; CSV.swift (yaslab, 2.5) decodes Unicode scalar by
// scalar and is far slower; neither decodes GBK. So: a byte-level RFC 4180 state machine
// (CSVParser) over fixed-size chunks read with read(2), with GB18030 converted to UTF-8 by
// glibc iconv chunk by chunk (GB18030Decoder). Memory stays at one chunk plus one record.

/// Streams records out of a CSV file without loading it.
///
/// ```swift
/// let reader = try CSVReader(path: "orders.csv")
/// let header = try reader.readHeader()
/// try reader.forEachRecord { record in
///     let amount = record.int64(at: 4)
/// } onError: { problem in
///     print("line \(problem.line): \(problem)")
/// }
/// ```
///
/// Not thread-safe: use one reader from one task.
public final class CSVReader {
    /// Default bytes per `read(2)`.
    public static let defaultChunkSize = 1 << 20

    public let path: String
    /// The encoding in use: what `.auto` detected, or what was asked for (never `.auto`).
    public let encoding: CSVEncoding
    /// Size of the file in bytes, for progress display.
    public let fileSize: Int64
    /// File bytes read so far (including any byte-order mark); advances a chunk at a time.
    public private(set) var bytesConsumed: Int64

    private let source: FileChunkSource
    private let chunkSize: Int
    private let decoder: GB18030Decoder?
    private var parser = CSVParser()

    // Raw file bytes; `raw[carryOffset..<carryOffset + carried]` is an unfinished character
    // (at most 3 bytes) held back from the last chunk for the next one.
    private let raw: UnsafeMutablePointer<UInt8>
    private var carried = 0
    private var carryOffset = 0
    // The UTF-8 bytes being parsed: `raw` itself for UTF-8 files, the decoder's output for GB18030.
    private var pending: UnsafePointer<UInt8>
    private var pendingEnd = 0
    private var pendingPosition = 0
    private var reachedEndOfFile = false
    private var finished = false
    // GB18030 files: the raw lines that are valid UTF-8 Chinese, which GB18030 would decode
    // without an error into mojibake; their records are rejected (CSVRowError.utf8InGB18030).
    private var rawScan = UTF8LineScan()
    private var suspectLines: [Int] = []
    private var suspectHead = 0

    /// Opens `path` and settles its encoding.
    /// - Parameters:
    ///   - encoding: `.auto` detects UTF-8 vs GB18030 (see `CSVEncoding.auto`).
    ///   - chunkSize: bytes per read; tests use tiny values to exercise chunk boundaries.
    /// - Throws: `CSVError.cannotOpen` naming the path and the reason.
    public init(path: String, encoding: CSVEncoding = .auto, chunkSize: Int = CSVReader.defaultChunkSize) throws {
        self.path = path
        self.chunkSize = max(chunkSize, 1)
        source = try FileChunkSource(path: path)
        fileSize = source.size

        let sample = UnsafeMutablePointer<UInt8>.allocate(capacity: EncodingDetection.sampleSize)
        defer { sample.deallocate() }
        let sampled = try source.read(at: 0, into: sample, count: EncodingDetection.sampleSize)
        let head = UnsafeBufferPointer(start: sample, count: sampled)
        let headIsWholeFile = Int64(sampled) >= source.size
        let source = self.source
        let resolved = try EncodingDetection.resolve(requested: encoding, head: head, headIsWholeFile: headIsWholeFile) {
            var score = EncodingDetection.Score()
            EncodingDetection.add(head, cutAtStart: false, cutAtEnd: !headIsWholeFile, to: &score)
            let window = UnsafeMutablePointer<UInt8>.allocate(capacity: EncodingDetection.windowSize)
            defer { window.deallocate() }
            for offset in EncodingDetection.windowOffsets(fileSize: source.size) {
                let n = try source.read(at: offset, into: window, count: EncodingDetection.windowSize)
                EncodingDetection.add(UnsafeBufferPointer(start: window, count: n), cutAtStart: true,
                                      cutAtEnd: offset + Int64(n) < source.size, to: &score)
            }
            return score
        }
        self.encoding = resolved.encoding
        try source.seek(to: Int64(resolved.bomLength))
        bytesConsumed = Int64(resolved.bomLength)
        decoder = resolved.encoding == .gb18030 ? try GB18030Decoder() : nil

        // Room for a chunk plus up to 3 carried bytes of an unfinished character.
        raw = .allocate(capacity: self.chunkSize + 4)
        pending = UnsafePointer(raw)
    }

    deinit { raw.deallocate() }

    /// Calls `body` for every record and `onError` for every record that could not be read
    /// (bad encoding, unterminated quote), in file order, until the end of the file.
    /// Throw from either closure to stop early.
    /// - Throws: `CSVError.readFailed` on an I/O error, or whatever the closures throw.
    public func forEachRecord(
        _ body: (borrowing CSVRecord) throws -> Void,
        onError: (CSVRowError) throws -> Void
    ) throws {
        while true {
            switch try nextEvent() {
            case .end: return
            case .problem(let problem): try onError(problem)
            case .record: try body(currentRecord())
            }
        }
    }

    /// The next record copied into Strings, `.failure` for a record that could not be read,
    /// or nil at the end of the file.
    public func nextRow() throws -> Result<CSVRow, CSVRowError>? {
        switch try nextEvent() {
        case .end: return nil
        case .problem(let problem): return .failure(problem)
        case .record:
            let record = currentRecord()
            return .success(CSVRow(line: record.line, fields: record.fields))
        }
    }

    /// Reads the next record as the header row; nil if the file has no records.
    /// - Throws: the `CSVRowError` if the header row itself is unreadable.
    public func readHeader() throws -> CSVHeader? {
        switch try nextRow() {
        case nil: return nil
        case .failure(let problem): throw problem
        case .success(let row): return CSVHeader(names: row.fields, line: row.line)
        }
    }

    // MARK: - Driving the parser

    private enum Event {
        case record
        case problem(CSVRowError)
        case end
    }

    private func currentRecord() -> CSVRecord {
        CSVRecord(
            line: parser.recordLine, bytes: parser.bytes, fieldEnds: parser.fieldEnds, count: parser.fieldCount)
    }

    private func nextEvent() throws -> Event {
        if finished { return .end }
        parser.clearRecord()
        while true {
            if pendingPosition < pendingEnd {
                if parser.parse(pending, end: pendingEnd, position: &pendingPosition) {
                    return completedRecord()
                }
            } else if reachedEndOfFile {
                finished = true
                switch parser.finish() {
                case .nothing:
                    return .end
                case .record:
                    return completedRecord(atEnd: true)
                case .unterminatedQuote:
                    let line = parser.recordLine
                    return .problem(CSVRowError(kind: .unterminatedQuote, line: line, recordLine: line))
                }
            } else {
                try refill()
            }
        }
    }

    /// `atEnd`: the record ended with the file, not with a line end (its last line is `parser.line`).
    private func completedRecord(atEnd: Bool = false) -> Event {
        guard parser.encodingErrorLine == 0 else {
            let kind: CSVRowError.Kind = encoding == .gb18030 ? .invalidGB18030 : .invalidUTF8
            return .problem(CSVRowError(kind: kind, line: parser.encodingErrorLine, recordLine: parser.recordLine))
        }
        if decoder != nil, let line = suspectLine(through: atEnd ? parser.line : parser.line - 1) {
            return .problem(CSVRowError(kind: .utf8InGB18030, line: line, recordLine: parser.recordLine))
        }
        return .record
    }

    /// The first UTF-8-looking raw line among the current record's lines, if any.
    private func suspectLine(through last: Int) -> Int? {
        while suspectHead < suspectLines.count && suspectLines[suspectHead] < parser.recordLine { suspectHead += 1 }
        if suspectHead > 4096 && suspectHead * 2 > suspectLines.count {
            suspectLines.removeFirst(suspectHead)
            suspectHead = 0
        }
        guard suspectHead < suspectLines.count, suspectLines[suspectHead] <= last else { return nil }
        return suspectLines[suspectHead]
    }

    /// Reads the next chunk and makes its complete characters, as UTF-8, the pending input.
    /// Called only once the previous pending input is fully parsed.
    private func refill() throws {
        // Bring the unfinished character left by the last chunk to the front.
        if carried > 0 { raw.update(from: raw + carryOffset, count: carried) }
        let count = try source.read(into: raw + carried, count: chunkSize)
        bytesConsumed += Int64(count)
        reachedEndOfFile = count == 0
        let available = carried + count

        let usable: Int
        if let decoder {
            let decoded = decoder.decode(raw, count: available, isFinal: reachedEndOfFile)
            usable = decoded.consumed
            pending = UnsafePointer(decoder.output)
            pendingEnd = decoded.produced
            // Raw lines line up with the decoded ones: no GB18030 byte is a CR or LF, and each
            // invalid byte becomes one marker byte.
            rawScan.scan(raw, count: usable) { line, valid, wide in if valid && wide { suspectLines.append(line) } }
            if reachedEndOfFile { rawScan.finish { line, valid, wide in if valid && wide { suspectLines.append(line) } } }
        } else {
            // Hold back a character cut by the chunk end so the parser only sees whole ones.
            usable = available - (reachedEndOfFile ? 0 : utf8IncompleteTailLength(raw, count: available))
            pending = UnsafePointer(raw)
            pendingEnd = usable
        }
        pendingPosition = 0
        carryOffset = usable
        carried = available - usable
    }
}
