// libFuzzer target for the CSV reader (issue 15): built with the CSVStream sources by
// Tests/Bench/fuzz.sh (swiftc -sanitize=fuzzer,address), outside the package so the package's
// own build is untouched. For each input, in each encoding mode: no crash, no hang, and the same
// records and problems whatever the chunk size (chunk boundaries inside characters, quotes, CRLF).
import Glibc

private let path: String = {
    let p = "/dev/shm/ecrm-fuzz-\(getpid()).csv"
    return access("/dev/shm", W_OK) == 0 ? p : "/tmp/ecrm-fuzz-\(getpid()).csv"
}()

private func items(_ encoding: CSVEncoding, chunk: Int) -> ([String], CSVEncoding)? {
    guard let reader = try? CSVReader(path: path, encoding: encoding, chunkSize: chunk) else { return nil }
    var out: [String] = []
    try? reader.forEachRecord { r in out.append("\(r.line):\(r.fields)") } onError: { e in out.append("!\(e)") }
    return (out, reader.encoding)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func csvReaderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    _ = write(fd, data, size)
    close(fd)
    for encoding in [CSVEncoding.auto, .utf8, .gb18030] {
        let whole = items(encoding, chunk: 1 << 20)
        let small = items(encoding, chunk: 3)
        if whole?.0 != small?.0 || whole?.1 != small?.1 {
            fatalError("records differ by chunk size (\(encoding)): \(String(describing: whole)) vs \(String(describing: small))")
        }
    }
    return 0
}
