import Foundation
import Testing

@testable import CSVStream

@Suite("CSVWriter")
struct WriterTests {
    static let trickyRows: [[String]] = [
        ["id", "note", "city"],
        ["1", "plain", "北京"],
        ["2", "has,comma", "say \"hi\""],
        ["3", "two\nlines", "crlf\r\ninside"],
        ["4", "", " padded "],
        ["5", "\"", "😀 emoji, \"quoted\"\r"],
    ]

    @Test("rows with tricky content read back equal, with physical line numbers", arguments: [7, 1 << 20])
    func roundTrip(chunkSize: Int) throws {
        let path = try temporaryPath()
        defer { removeTemporary(path) }
        let writer = try CSVWriter(path: path)
        for row in Self.trickyRows { try writer.writeRow(row) }
        try writer.close()
        #expect(writer.rowsWritten == 6)

        let result = try readItems(path: path, chunkSize: chunkSize)
        #expect(result.encoding == .utf8)
        let lines = [1, 2, 3, 4, 7, 8]  // row 4 holds two embedded line breaks
        #expect(result.items == zip(lines, Self.trickyRows).map { Item.row($0, $1) })
    }

    @Test("quoting is applied only where needed, with CRLF by default")
    func quotingBytes() throws {
        let path = try temporaryPath()
        defer { removeTemporary(path) }
        let writer = try CSVWriter(path: path)
        try writer.writeRow(["a", "b,c", "d\"e", ""])
        try writer.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,\"b,c\",\"d\"\"e\",\r\n")
    }

    @Test("the BOM option writes EF BB BF, which the reader strips")
    func byteOrderMark() throws {
        let path = try temporaryPath()
        defer { removeTemporary(path) }
        let writer = try CSVWriter(path: path, encoding: .utf8WithBOM, lineEnding: .lf)
        try writer.writeRow(["名字", "n"])
        try writer.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes == [0xEF, 0xBB, 0xBF] + Array("名字,n\n".utf8))
        #expect(try readItems(path: path).items == [.row(1, ["名字", "n"])])
    }

    @Test("GB18030 output has the GBK bytes and reads back through detection")
    func gb18030RoundTrip() throws {
        let path = try temporaryPath()
        defer { removeTemporary(path) }
        let writer = try CSVWriter(path: path, encoding: .gb18030, lineEnding: .lf)
        try writer.writeRow(["张三", "北京"])
        for row in Self.trickyRows { try writer.writeRow(row) }
        try writer.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(10)) == gbkZhangSanBeijing + [0x0A])

        let result = try readItems(path: path, chunkSize: 5)
        #expect(result.encoding == .gb18030)
        let lines = [1, 2, 3, 4, 5, 8, 9]
        #expect(result.items == zip(lines, [["张三", "北京"]] + Self.trickyRows).map { Item.row($0, $1) })
    }

    @Test("large exports flush in blocks and stay intact")
    func largeExport() throws {
        let path = try temporaryPath()
        defer { removeTemporary(path) }
        let writer = try CSVWriter(path: path, lineEnding: .lf)
        for i in 0..<100_000 { try writer.writeRow(["\(i)", "会员\(i)", "a,b"]) }
        try writer.close()
        let reader = try CSVReader(path: path)
        var count = 0
        var sum: Int64 = 0
        try reader.forEachRecord { record in
            count += 1
            sum += record.int64(at: 0) ?? -1_000_000_000
            if record.string(at: 2) != "a,b" { Issue.record("line \(record.line): \(record.fields)") }
        } onError: { Issue.record("\($0)") }
        #expect(count == 100_000)
        #expect(sum == Int64(99_999 * 100_000 / 2))
    }

    @Test("writing after close throws; opening an impossible path throws")
    func errors() throws {
        let path = try temporaryPath()
        defer { removeTemporary(path) }
        let writer = try CSVWriter(path: path)
        try writer.close()
        #expect(throws: CSVError.writerClosed(path: path)) { try writer.writeRow(["x"]) }
        #expect(throws: CSVError.self) { try CSVWriter(path: "/nonexistent-dir/x.csv") }
    }
}
