// Decides how to decode a file from its first bytes.

enum EncodingDetection {
    /// Bytes sampled from the start of the file when the encoding is `.auto`.
    static let sampleSize = 64 * 1024

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
    static let gb18030BOM: [UInt8] = [0x84, 0x31, 0x95, 0x33]

    /// The encoding to read with and how many leading byte-order-mark bytes to skip.
    ///
    /// A UTF-8 BOM always means UTF-8, even if GB18030 was requested: read as GB18030 those
    /// bytes would silently turn the whole file into mojibake, while the BOM is never a
    /// plausible start of a GBK file.
    static func resolve(
        requested: CSVEncoding, sample: UnsafeBufferPointer<UInt8>, sampleIsWholeFile: Bool
    ) -> (encoding: CSVEncoding, bomLength: Int) {
        if sample.starts(with: utf8BOM) { return (.utf8, utf8BOM.count) }
        switch requested {
        case .utf8:
            return (.utf8, 0)
        case .gb18030:
            return (.gb18030, sample.starts(with: gb18030BOM) ? gb18030BOM.count : 0)
        case .auto:
            if sample.starts(with: gb18030BOM) { return (.gb18030, gb18030BOM.count) }
            return isValidUTF8(sample, mayBeCut: !sampleIsWholeFile) ? (.utf8, 0) : (.gb18030, 0)
        }
    }
}
