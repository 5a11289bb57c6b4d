import Foundation
import Testing

@testable import CSVStream

/// What a reader produced, in order: records as (line, fields) or row-level problems.
enum Item: Equatable, CustomStringConvertible {
    case row(Int, [String])
    case problem(CSVRowError)

    var description: String {
        switch self {
        case let .row(line, fields): "row(\(line), \(fields))"
        case let .problem(error): "problem(\(error.kind), line \(error.line))"
        }
    }
}

/// Chunk sizes that put chunk boundaries everywhere (inside characters, quotes, CRLF) plus the default.
let chunkSizes = [1, 2, 3, 7, 64, CSVReader.defaultChunkSize]

/// A fresh temporary file holding `bytes`; removed by the caller via `defer`.
func temporaryFile(_ bytes: [UInt8], name: String = "data.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("csvstream-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func temporaryPath(name: String = "out.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("csvstream-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name).path
}

func removeTemporary(_ path: String) {
    try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
}

/// Reads every record of `path` through `forEachRecord`.
func readItems(path: String, encoding: CSVEncoding = .auto, chunkSize: Int = CSVReader.defaultChunkSize)
    throws -> (items: [Item], encoding: CSVEncoding)
{
    let reader = try CSVReader(path: path, encoding: encoding, chunkSize: chunkSize)
    var items: [Item] = []
    try reader.forEachRecord { record in
        items.append(.row(record.line, record.fields))
    } onError: { problem in
        items.append(.problem(problem))
    }
    return (items, reader.encoding)
}

/// Writes `bytes` to a temporary file and reads it back.
func readItems(_ bytes: [UInt8], encoding: CSVEncoding = .auto, chunkSize: Int = CSVReader.defaultChunkSize)
    throws -> (items: [Item], encoding: CSVEncoding)
{
    let path = try temporaryFile(bytes)
    defer { removeTemporary(path) }
    return try readItems(path: path, encoding: encoding, chunkSize: chunkSize)
}

func readItems(_ text: String, chunkSize: Int = CSVReader.defaultChunkSize) throws -> [Item] {
    try readItems(Array(text.utf8), chunkSize: chunkSize).items
}

/// GBK bytes of "张三,北京".
let gbkZhangSanBeijing: [UInt8] = [0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0xB1, 0xB1, 0xBE, 0xA9]
