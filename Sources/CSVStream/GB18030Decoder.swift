/// Streams GB18030 (and so GBK/GB2312) bytes into UTF-8, chunk by chunk, through iconv.
///
/// Invalid input bytes are replaced by the single byte 0xFF, which can never occur in
/// UTF-8: the parser's UTF-8 check then flags the record, so the error is reported with
/// the physical line it sits on, which only the parser knows.
final class GB18030Decoder {
    static let invalidMarker: UInt8 = 0xFF

    private let converter: IconvConverter
    private(set) var output: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    init() throws {
        converter = try IconvConverter(from: "GB18030", to: "UTF-8")
        capacity = 64 * 1024
        output = .allocate(capacity: capacity)
    }

    deinit { output.deallocate() }

    /// Decodes `input` into `output[0..<produced]`. Unless `isFinal`, an incomplete sequence
    /// at the end is left unconsumed for the caller to carry into the next chunk.
    func decode(_ input: UnsafePointer<UInt8>, count: Int, isFinal: Bool) -> (consumed: Int, produced: Int) {
        // A 2-byte GBK character becomes 3 UTF-8 bytes, 4-byte GB18030 at most 4, and each
        // skipped invalid byte 1 marker: twice the input always fits.
        ensureCapacity(count * 2 + 16, keeping: 0)
        var consumed = 0
        var produced = 0
        while consumed < count {
            let step = converter.convert(
                input + consumed, count: count - consumed, into: output + produced, capacity: capacity - produced)
            consumed += step.consumed
            produced += step.produced
            switch step.stop {
            case .done:
                return (consumed, produced)
            case .outputFull:
                ensureCapacity(capacity * 2, keeping: produced)
            case .invalid:
                ensureCapacity(produced + 1, keeping: produced)
                output[produced] = Self.invalidMarker
                produced += 1
                consumed += 1
            case .incomplete:
                guard isFinal else { return (consumed, produced) }
                ensureCapacity(produced + 1, keeping: produced)
                output[produced] = Self.invalidMarker
                produced += 1
                consumed = count
            }
        }
        return (consumed, produced)
    }

    private func ensureCapacity(_ needed: Int, keeping used: Int) {
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity * 2)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: output, count: used)
        output.deallocate()
        output = bigger
        capacity = newCapacity
    }
}
