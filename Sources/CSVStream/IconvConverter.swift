import Glibc

/// A thin wrapper over one glibc `iconv` conversion descriptor.
/// Used for GB18030 → UTF-8 when reading and UTF-8 → GB18030 when writing.
final class IconvConverter {
    enum Stop {
        /// All input converted.
        case done
        /// The input ends inside a multi-byte sequence (EINVAL): carry the rest over.
        case incomplete
        /// The next input bytes are not valid in the source encoding, or not representable in the target (EILSEQ).
        case invalid
        /// The output buffer is full (E2BIG).
        case outputFull
    }

    private let descriptor: iconv_t

    init(from source: String, to target: String) throws {
        let cd = iconv_open(target, source)
        guard let cd, cd != iconv_t(bitPattern: -1) else {
            throw CSVError.converterUnavailable(from: source, to: target)
        }
        descriptor = cd
    }

    deinit { iconv_close(descriptor) }

    /// Converts as much of `input` as possible into `output`.
    func convert(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>, capacity: Int
    ) -> (consumed: Int, produced: Int, stop: Stop) {
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: input)
            .assumingMemoryBound(to: CChar.self)
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(output)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = count
        var outLeft = capacity
        let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
        let code = errno
        let stop: Stop
        if result != -1 {
            stop = .done
        } else {
            switch code {
            case EINVAL: stop = .incomplete
            case E2BIG: stop = .outputFull
            default: stop = .invalid
            }
        }
        return (count - inLeft, capacity - outLeft, stop)
    }
}
