import Foundation
import Testing

@testable import CSVStream

@Suite("Record accessors, header, progress, open errors")
struct RecordAndReaderTests {
    @Test(
        "int64 parses plain ASCII digits only",
        arguments: [
            ("0", Int64(0)), ("42", 42), ("007", 7), ("-15", -15), ("-0", 0),
            ("9223372036854775807", .max), ("-9223372036854775808", .min),
            ("9223372036854775808", nil), ("-9223372036854775809", nil), ("99999999999999999999", nil),
            ("", nil), ("-", nil), ("+1", nil), (" 1", nil), ("1 ", nil), ("1.5", nil), ("1a", nil), ("١", nil),
        ] as [(String, Int64?)])
    func int64(text: String, expected: Int64?) {
        let parsed = Array(text.utf8).withUnsafeBytes { CSVRecord.parseInt64($0) }
        #expect(parsed == expected)
    }

    @Test("record accessors, including out-of-range fields")
    func accessors() throws {
        let path = try temporaryFile(Array("123,,北京,-7\n".utf8))
        defer { removeTemporary(path) }
        let reader = try CSVReader(path: path)
        // CSVRecord is non-copyable, so #expect cannot capture it: copy the values out first.
        struct Seen: Equatable {
            var count = 0, line = 0
            var ints: [Int64?] = []
            var empties: [Bool] = []
            var strings: [String] = []
            var byteCount = 0
        }
        var seen: [Seen] = []
        try reader.forEachRecord { record in
            seen.append(
                Seen(
                    count: record.count, line: record.line,
                    ints: [record.int64(at: 0), record.int64(at: 3), record.int64(at: 2), record.int64(at: -1)],
                    empties: [record.isEmpty(at: 1), record.isEmpty(at: 2), record.isEmpty(at: 9)],
                    strings: [record.string(at: 2), record.string(at: 9)],
                    byteCount: record.withBytes(at: 2) { $0.count }))
        } onError: { problem in
            Issue.record("unexpected \(problem)")
        }
        #expect(
            seen == [
                Seen(
                    count: 4, line: 1, ints: [123, -7, nil, nil], empties: [true, false, true], strings: ["北京", ""],
                    byteCount: 6)
            ])
    }

    @Test("header maps trimmed, case-insensitive names to indices")
    func header() throws {
        let path = try temporaryFile(Array(" Order_ID ,\u{FEFF}buyer_nick,金额\n1,a,2\n".utf8))
        defer { removeTemporary(path) }
        let reader = try CSVReader(path: path)
        let header = try #require(try reader.readHeader())
        #expect(header.names == ["Order_ID", "buyer_nick", "金额"])
        #expect(header.index(of: "order_id") == 0)
        #expect(header.index(ofAny: ["amount", "金额"]) == 2)
        #expect(header.missing(["order_id", "paid_at", "status"]) == ["paid_at", "status"])
        #expect(try reader.nextRow() == .success(CSVRow(line: 2, fields: ["1", "a", "2"])))
    }

    @Test("an unreadable header row throws its row error")
    func badHeader() throws {
        let path = try temporaryFile([0x61, 0xFF, 0x0A], name: "bad.csv")
        defer { removeTemporary(path) }
        #expect(throws: CSVRowError(kind: .invalidUTF8, line: 1, recordLine: 1)) {
            try CSVReader(path: path, encoding: .utf8).readHeader()
        }
    }

    @Test("progress reaches the file size")
    func progress() throws {
        let text = String(repeating: "1,2,3\n", count: 1000)
        let path = try temporaryFile([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        defer { removeTemporary(path) }
        let reader = try CSVReader(path: path, chunkSize: 1000)
        #expect(reader.fileSize == Int64(text.utf8.count + 3))
        #expect(reader.bytesConsumed == 3)
        var halfwaySeen = false
        try reader.forEachRecord { record in
            if record.line == 500 { halfwaySeen = reader.bytesConsumed > 0 && reader.bytesConsumed < reader.fileSize }
        } onError: { _ in }
        #expect(halfwaySeen)
        #expect(reader.bytesConsumed == reader.fileSize)
    }

    @Test("a missing file or a directory throws a clear error naming the path")
    func cannotOpen() throws {
        let missing = "/nonexistent-dir/orders.csv"
        #expect(throws: CSVError.cannotOpen(path: missing, reason: "No such file or directory")) {
            try CSVReader(path: missing)
        }
        let path = try temporaryFile([])
        defer { removeTemporary(path) }
        let directory = (path as NSString).deletingLastPathComponent
        #expect(throws: CSVError.cannotOpen(path: directory, reason: "is a directory")) {
            try CSVReader(path: directory)
        }
        #expect(
            CSVError.cannotOpen(path: missing, reason: "No such file or directory").description
                == "cannot open /nonexistent-dir/orders.csv: No such file or directory")
    }

    @Test("throwing from the callback stops reading")
    func stopEarly() throws {
        struct Stop: Error {}
        let path = try temporaryFile(Array("1\n2\n3\n".utf8))
        defer { removeTemporary(path) }
        var lines: [Int] = []
        #expect(throws: Stop.self) {
            try CSVReader(path: path).forEachRecord { record in
                lines.append(record.line)
                if record.line == 2 { throw Stop() }
            } onError: { _ in }
        }
        #expect(lines == [1, 2])
    }
}
