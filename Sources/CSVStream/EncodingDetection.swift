// Decides how to decode a file from samples spread over it.
//
// Why not "valid UTF-8 or else GB18030": one damaged byte in a UTF-8 file then turned every
// Chinese text of the file into GB18030 mojibake (小明 → 灏忔槑), stored without a word. Neither
// choice garbles now (the lines invalid in the chosen encoding are rejected, and so are UTF-8
// Chinese lines in a GB18030 file), so the decision is which encoding rejects fewer lines of the
// whole sample: a UTF-8 file with a few bad bytes stays UTF-8 and loses only those rows.

enum EncodingDetection {
    /// Bytes sampled from the start of the file when the encoding is `.auto`.
    static let sampleSize = 64 * 1024
    /// Bytes sampled at each of a few places further on (a quarter, half, three quarters, the end),
    /// so text that only appears past the head still counts.
    static let windowSize = 16 * 1024

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
    static let gb18030BOM: [UInt8] = [0x84, 0x31, 0x95, 0x33]

    /// Where the samples after the head start, for a file of `size` bytes (none if the head is the whole file).
    static func windowOffsets(fileSize size: Int64) -> [Int64] {
        guard size > Int64(sampleSize) else { return [] }
        let last = max(Int64(sampleSize), size - Int64(windowSize))
        let offsets = [size / 4, size / 2, size / 4 * 3, last].map { max(Int64(sampleSize), $0) }
        return Array(Set(offsets)).sorted()
    }

    /// Lines of the samples each encoding would have to reject: UTF-8 those with an invalid byte;
    /// GB18030 those with an invalid byte, and those that are valid UTF-8 Chinese (a 3- or 4-byte
    /// sequence), which GB18030 would decode without an error into mojibake (the reader rejects
    /// them too, CSVReader.suspectLines).
    struct Score: Equatable {
        var utf8Rejected = 0
        var gb18030Rejected = 0

        /// The encoding that rejects fewer lines; UTF-8 on a tie. A damaged UTF-8 file rejects its few
        /// damaged lines as UTF-8 but every Chinese line as GB18030; a GBK file the other way round.
        var prefersUTF8: Bool { utf8Rejected <= gb18030Rejected }
    }

    /// Adds one sample to `score`. `cutAtStart`: the sample starts at an arbitrary offset, so its
    /// bytes up to the first line feed are skipped (they may be the middle of a character);
    /// `cutAtEnd`: its last line may be cut short, so it is left out.
    static func add(_ sample: UnsafeBufferPointer<UInt8>, cutAtStart: Bool, cutAtEnd: Bool, to score: inout Score) {
        guard var base = sample.baseAddress else { return }
        var count = sample.count
        if cutAtStart {
            guard let lf = sample.firstIndex(of: 0x0A) else { return }
            base += lf + 1
            count -= lf + 1
        }
        if cutAtEnd {
            guard let lf = UnsafeBufferPointer(start: base, count: count).lastIndex(of: 0x0A) else { return }
            count = lf + 1
        }
        var scan = UTF8LineScan()
        var utf8Wide = 0
        scan.scan(base, count: count) { _, valid, wide in
            if !valid { score.utf8Rejected += 1 } else if wide { utf8Wide += 1 }
        }
        scan.finish { _, valid, wide in
            if !valid { score.utf8Rejected += 1 } else if wide { utf8Wide += 1 }
        }
        score.gb18030Rejected += utf8Wide
        // Nothing invalid as UTF-8: UTF-8 wins whatever GB18030 would say; no need to ask iconv.
        guard score.utf8Rejected > 0, let decoder = try? GB18030Decoder() else { return }
        let decoded = decoder.decode(base, count: count, isFinal: true)
        var lineHasInvalid = false
        for k in 0..<decoded.produced {
            let b = decoder.output[k]
            if b == GB18030Decoder.invalidMarker {
                lineHasInvalid = true
            } else if b == 0x0A {
                if lineHasInvalid { score.gb18030Rejected += 1 }
                lineHasInvalid = false
            }
        }
        if lineHasInvalid { score.gb18030Rejected += 1 }
    }

    /// The encoding to read with and how many leading byte-order-mark bytes to skip.
    ///
    /// A UTF-8 BOM always means UTF-8, even if GB18030 was requested: read as GB18030 those
    /// bytes would silently turn the whole file into mojibake, while the BOM is never a
    /// plausible start of a GBK file.
    static func resolve(
        requested: CSVEncoding, head: UnsafeBufferPointer<UInt8>, headIsWholeFile: Bool, score: () throws -> Score
    ) rethrows -> (encoding: CSVEncoding, bomLength: Int) {
        if head.starts(with: utf8BOM) { return (.utf8, utf8BOM.count) }
        switch requested {
        case .utf8:
            return (.utf8, 0)
        case .gb18030:
            return (.gb18030, head.starts(with: gb18030BOM) ? gb18030BOM.count : 0)
        case .auto:
            if head.starts(with: gb18030BOM) { return (.gb18030, gb18030BOM.count) }
            return try score().prefersUTF8 ? (.utf8, 0) : (.gb18030, 0)
        }
    }
}
