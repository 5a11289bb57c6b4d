import Foundation
import Testing

@testable import CSVStream

/// Issue 15, defect 1: detection decides from the whole sample, so a few bad bytes in a UTF-8 file
/// reject their rows instead of turning the whole file into GB18030 mojibake (小明 → 灏忔槑).
@Suite("Encoding detection cannot garble")
struct EncodingSafetyTests {
    func utf8Rows(_ n: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for i in 1...n { bytes += Array("\(i),小明,浙江杭州\n".utf8) }
        return bytes
    }

    @Test("50 good UTF-8 rows and one with 0xFF: UTF-8, only that row rejected", arguments: [3, CSVReader.defaultChunkSize])
    func oneBadByte(chunkSize: Int) throws {
        let bytes = utf8Rows(50) + Array("51,小".utf8) + [0xFF] + Array("明,浙江\n".utf8)
        let result = try readItems(bytes, chunkSize: chunkSize)
        #expect(result.encoding == .utf8)
        #expect(result.items.count == 51)
        #expect(result.items.last == .problem(CSVRowError(kind: .invalidUTF8, line: 51, recordLine: 51)))
        #expect(result.items.dropLast().allSatisfy { if case .row(_, let f) = $0 { f[1] == "小明" } else { false } })
    }

    @Test("bad bytes scattered through a UTF-8 sample still mean UTF-8", arguments: [1, 5, 20])
    func scatteredBadBytes(count: Int) throws {
        var bytes = utf8Rows(1000)
        // Spread over the whole sample, deterministic: every 7919th byte from 101 on that is a digit or non-ASCII.
        var damaged = 0
        var i = 101
        while damaged < count {
            if bytes[i] >= 0x80 || bytes[i].isASCIIDigit { bytes[i] = [0xFF, 0xC0, 0x80, 0xFE][damaged % 4]; damaged += 1 }
            i = (i + 7919) % bytes.count
        }
        let result = try readItems(bytes)
        #expect(result.encoding == .utf8)
        let rows = result.items.compactMap { if case .row(_, let f) = $0 { f } else { nil } }
        #expect(rows.count >= 1000 - count)
        #expect(rows.allSatisfy { !$0[1].contains("灏") })
    }

    @Test("a GBK file with a damaged byte is still GB18030")
    func damagedGBK() throws {
        var bytes: [UInt8] = []
        for _ in 0..<200 { bytes += gbkZhangSanBeijing + [0x0A] }
        bytes[50] = 0xFF
        let result = try readItems(bytes)
        #expect(result.encoding == .gb18030)
        #expect(result.items.filter { $0 == .row($0.line, ["张三", "北京"]) }.count == 199)
    }

    @Test("a UTF-8 row in a GBK file is rejected, not decoded into mojibake",
          arguments: [CSVEncoding.auto, .gb18030], [2, 5, CSVReader.defaultChunkSize])
    func utf8RowInGBKFile(encoding: CSVEncoding, chunkSize: Int) throws {
        var bytes: [UInt8] = []
        for _ in 0..<20 { bytes += gbkZhangSanBeijing + [0x0D, 0x0A] }
        bytes += Array("小明,\"浙江\r\n杭州\"\r\n".utf8)   // lines 21-22: one record, UTF-8
        for _ in 0..<20 { bytes += gbkZhangSanBeijing + [0x0D, 0x0A] }
        bytes += Array("last,小明".utf8)                    // line 43, no line end; whole GB18030 pairs
        let result = try readItems(bytes, encoding: encoding, chunkSize: chunkSize)
        #expect(result.encoding == .gb18030)
        #expect(result.items.count == 42)
        #expect(result.items[20] == .problem(CSVRowError(kind: .utf8InGB18030, line: 21, recordLine: 21)))
        #expect(result.items[41] == .problem(CSVRowError(kind: .utf8InGB18030, line: 43, recordLine: 43)))
        #expect(result.items.filter { $0 == .row($0.line, ["张三", "北京"]) }.count == 40)
        #expect(result.items[21] == .row(23, ["张三", "北京"]))
    }

    @Test("text only the end of the file shows is still detected")
    func detectedPastTheHead() throws {
        // 100 KiB of ASCII, then GBK rows: the head alone says nothing.
        var bytes: [UInt8] = []
        for i in 0..<6000 { bytes += Array("\(i),member\(i)\n".utf8) }
        for _ in 0..<50 { bytes += gbkZhangSanBeijing + [0x0A] }
        let result = try readItems(bytes)
        #expect(result.encoding == .gb18030)
        #expect(result.items.filter { $0 == .row($0.line, ["张三", "北京"]) }.count == 50)
    }
}

private extension UInt8 {
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
}

private extension Item {
    var line: Int {
        switch self {
        case .row(let l, _): l
        case .problem(let e): e.recordLine
        }
    }
}
