import Foundation
import Testing

@testable import CSVStream

@Suite("Encoding detection and decoding")
struct EncodingTests {
    @Test("GBK bytes are detected as GB18030 and decoded", arguments: chunkSizes)
    func gbkDetected(chunkSize: Int) throws {
        let bytes = gbkZhangSanBeijing + [0x0A] + Array("1,2\n".utf8) + gbkZhangSanBeijing
        let result = try readItems(bytes, chunkSize: chunkSize)
        #expect(result.encoding == .gb18030)
        #expect(result.items == [.row(1, ["张三", "北京"]), .row(2, ["1", "2"]), .row(3, ["张三", "北京"])])
    }

    @Test("the same text in UTF-8 is detected as UTF-8")
    func utf8Detected() throws {
        let result = try readItems(Array("张三,北京\n".utf8))
        #expect(result.encoding == .utf8)
        #expect(result.items == [.row(1, ["张三", "北京"])])
    }

    @Test("a UTF-8 BOM is stripped and means UTF-8", arguments: [CSVEncoding.auto, .utf8, .gb18030])
    func utf8BOM(requested: CSVEncoding) throws {
        let path = try temporaryFile([0xEF, 0xBB, 0xBF] + Array("name ,年龄\n张三,3\n".utf8))
        defer { removeTemporary(path) }
        let reader = try CSVReader(path: path, encoding: requested, chunkSize: 2)
        #expect(reader.encoding == .utf8)
        let header = try #require(try reader.readHeader())
        #expect(header.names == ["name", "年龄"])
        #expect(header.index(of: "年龄") == 1)
        #expect(try reader.nextRow() == .success(CSVRow(line: 2, fields: ["张三", "3"])))
        #expect(try reader.nextRow() == nil)
    }

    @Test("a sample cut inside a character still counts as UTF-8")
    func sampleCutInsideCharacter() throws {
        // 65,535 ASCII bytes put the 3-byte "张" across the 64 KiB sample boundary.
        var bytes = Array(repeating: UInt8(ascii: "a"), count: EncodingDetection.sampleSize - 1)
        bytes += Array("张\n".utf8)
        let result = try readItems(bytes)
        #expect(result.encoding == .utf8)
        #expect(result.items.count == 1)
    }

    @Test("invalid UTF-8 after the sample is reported for its line; other rows survive", arguments: [7, 1 << 20])
    func invalidUTF8AfterSample(chunkSize: Int) throws {
        var text = "id,name\n"
        for i in 0..<10_000 { text += "\(i),member\(i)\n" }  // well over 64 KiB of ASCII
        var bytes = Array(text.utf8)
        bytes += Array("bad,".utf8) + gbkZhangSanBeijing + [0x0A]  // line 10,002
        bytes += Array("last,行\n".utf8)
        let result = try readItems(bytes, chunkSize: chunkSize)
        #expect(result.encoding == .utf8)
        #expect(result.items.count == 10_003)
        #expect(result.items[10_000] == .row(10_001, ["9999", "member9999"]))
        #expect(result.items[10_001] == .problem(CSVRowError(kind: .invalidUTF8, line: 10_002, recordLine: 10_002)))
        #expect(result.items[10_002] == .row(10_003, ["last", "行"]))
        #expect(
            CSVRowError(kind: .invalidUTF8, line: 10_002, recordLine: 10_002).description
                == "invalid UTF-8 byte at line 10002 (is the file GBK? try --encoding gb18030)")
    }

    @Test("an invalid byte inside a multi-line quoted field names its own line")
    func invalidUTF8InsideQuotedField() throws {
        let bytes = Array("a\n\"x\ny".utf8) + [0xC3, 0x28] + Array("\",z\nb\n".utf8)
        let result = try readItems(bytes, encoding: .utf8)
        #expect(
            result.items == [
                .row(1, ["a"]), .problem(CSVRowError(kind: .invalidUTF8, line: 3, recordLine: 2)), .row(4, ["b"]),
            ])
    }

    @Test("a UTF-8 file truncated inside a character reports the last row")
    func truncatedCharacterAtEOF() throws {
        let bytes = Array("a\nb,张".utf8).dropLast()
        let result = try readItems(Array(bytes), encoding: .utf8, chunkSize: 3)
        #expect(result.items == [.row(1, ["a"]), .problem(CSVRowError(kind: .invalidUTF8, line: 2, recordLine: 2))])
    }

    @Test("invalid GB18030 bytes are reported for their line and decoding continues", arguments: chunkSizes)
    func invalidGB18030(chunkSize: Int) throws {
        let bytes =
            gbkZhangSanBeijing + [0x0A]
            + [0x31, 0x2C, 0xFF, 0x0A]  // 0xFF is never valid GB18030
            + [0x32, 0x2C, 0x81, 0x0A]  // a lead byte followed by a newline
            + gbkZhangSanBeijing + [0x0A]
        let result = try readItems(bytes, encoding: .gb18030, chunkSize: chunkSize)
        #expect(result.encoding == .gb18030)
        #expect(
            result.items == [
                .row(1, ["张三", "北京"]),
                .problem(CSVRowError(kind: .invalidGB18030, line: 2, recordLine: 2)),
                .problem(CSVRowError(kind: .invalidGB18030, line: 3, recordLine: 3)),
                .row(4, ["张三", "北京"]),
            ])
    }

    @Test("a GB18030 file cut inside a character reports the last row")
    func gb18030TruncatedAtEOF() throws {
        let result = try readItems(gbkZhangSanBeijing + [0x0A, 0x31, 0x2C, 0xD5], encoding: .gb18030, chunkSize: 2)
        #expect(
            result.items == [.row(1, ["张三", "北京"]), .problem(CSVRowError(kind: .invalidGB18030, line: 2, recordLine: 2))])
    }

    @Test("a four-byte GB18030 character (outside GBK) decodes")
    func fourByteGB18030() throws {
        // U+1F600 😀 is 0x9439FC36 in GB18030.
        let result = try readItems([0x61, 0x2C, 0x94, 0x39, 0xFC, 0x36, 0x0A], encoding: .gb18030, chunkSize: 3)
        #expect(result.items == [.row(1, ["a", "😀"])])
    }

    @Test("encoding names from the command line")
    func encodingNames() {
        #expect(CSVEncoding(name: "UTF-8") == .utf8)
        #expect(CSVEncoding(name: "gbk") == .gb18030)
        #expect(CSVEncoding(name: "GB2312") == .gb18030)
        #expect(CSVEncoding(name: "auto") == .auto)
        #expect(CSVEncoding(name: "latin1") == nil)
    }
}
