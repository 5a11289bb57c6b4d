import Testing

@testable import CSVStream

@Suite("RFC 4180 parsing")
struct ParsingTests {
    @Test("quoted commas, doubled quotes, embedded LF and CRLF keep physical line numbers", arguments: chunkSizes)
    func quotedFields(chunkSize: Int) throws {
        let text = "id,note\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"line1\nline2\"\n4,\"x\r\ny\"\n5,end\n"
        #expect(
            try readItems(text, chunkSize: chunkSize) == [
                .row(1, ["id", "note"]),
                .row(2, ["1", "a,b"]),
                .row(3, ["2", "say \"hi\""]),
                .row(4, ["3", "line1\nline2"]),
                .row(6, ["4", "x\r\ny"]),
                .row(8, ["5", "end"]),
            ])
    }

    @Test("CRLF line endings are stripped", arguments: chunkSizes)
    func crlf(chunkSize: Int) throws {
        #expect(
            try readItems("a,b\r\n1,2\r\n\"q\",\r\n", chunkSize: chunkSize) == [
                .row(1, ["a", "b"]), .row(2, ["1", "2"]), .row(3, ["q", ""]),
            ])
    }

    @Test("a final record without a trailing newline is read", arguments: chunkSizes)
    func noTrailingNewline(chunkSize: Int) throws {
        #expect(try readItems("a,b\n1,2", chunkSize: chunkSize) == [.row(1, ["a", "b"]), .row(2, ["1", "2"])])
        #expect(try readItems("a,b\n1,", chunkSize: chunkSize) == [.row(1, ["a", "b"]), .row(2, ["1", ""])])
        #expect(try readItems("x\n\"q\"", chunkSize: chunkSize) == [.row(1, ["x"]), .row(2, ["q"])])
    }

    @Test("blank lines are skipped but counted", arguments: chunkSizes)
    func blankLines(chunkSize: Int) throws {
        #expect(
            try readItems("\na\n\n\r\nb\n\n", chunkSize: chunkSize) == [.row(2, ["a"]), .row(5, ["b"])])
        // An empty quoted field or a lone comma is a record, not a blank line.
        #expect(try readItems("\"\"\n,\n", chunkSize: chunkSize) == [.row(1, [""]), .row(2, ["", ""])])
    }

    @Test("a lone CR ends a line too", arguments: chunkSizes)
    func loneCarriageReturn(chunkSize: Int) throws {
        #expect(
            try readItems("a,b\r1,2\r\r3,\"x\ry\"\r4", chunkSize: chunkSize) == [
                .row(1, ["a", "b"]), .row(2, ["1", "2"]), .row(4, ["3", "x\ry"]), .row(6, ["4"]),
            ])
    }

    @Test("stray quotes are kept literally; text after a closing quote is appended")
    func strayQuotes() throws {
        #expect(try readItems("ab\"c,d\"\n") == [.row(1, ["ab\"c", "d\""])])
        #expect(try readItems("\"ab\"cd,e\n") == [.row(1, ["abcd", "e"])])
    }

    @Test("an unterminated quote at EOF is reported with the line its record started on", arguments: chunkSizes)
    func unterminatedQuote(chunkSize: Int) throws {
        let items = try readItems("a,b\n1,2\n3,\"open\n4,5\n", chunkSize: chunkSize)
        #expect(
            items == [
                .row(1, ["a", "b"]), .row(2, ["1", "2"]),
                .problem(CSVRowError(kind: .unterminatedQuote, line: 3, recordLine: 3)),
            ])
        guard case .problem(let problem) = items.last else { Issue.record("the last item must be the problem"); return }
        #expect(problem.description.contains("line 3"))
    }

    @Test("multi-byte characters and quoted fields survive every chunk boundary", arguments: chunkSizes)
    func chunkBoundaries(chunkSize: Int) throws {
        let text = "名字,备注\n张三,\"北京,朝阳区\n\"\"望京\"\" 😀\"\n李四,上海\n"
        let result = try readItems(Array(text.utf8), chunkSize: chunkSize)
        #expect(result.encoding == .utf8)
        #expect(
            result.items == [
                .row(1, ["名字", "备注"]), .row(2, ["张三", "北京,朝阳区\n\"望京\" 😀"]), .row(4, ["李四", "上海"]),
            ])
    }

    @Test("many fields and a long field grow the record buffers")
    func largeRecord() throws {
        let fields = (0..<500).map { "f\($0)" } + [String(repeating: "长", count: 20_000)]
        let text = fields.joined(separator: ",") + "\nx\n"
        #expect(try readItems(text, chunkSize: 4096) == [.row(1, fields), .row(2, ["x"])])
    }

    @Test("an empty file has no records and no header")
    func emptyFile() throws {
        #expect(try readItems("").isEmpty)
        let path = try temporaryFile([])
        defer { removeTemporary(path) }
        #expect(try CSVReader(path: path).readHeader() == nil)
    }
}
