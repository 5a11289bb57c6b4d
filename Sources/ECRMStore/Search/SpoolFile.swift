import Foundation

/// A temporary file of the search build (PairSpool, MemberTextSpool): created in `directory` and
/// unlinked at once, so nothing is left behind if the process dies; closed when released.
/// Positioned reads and writes only, so several threads may use one file at different offsets.
final class SpoolFile: @unchecked Sendable {
    private let fd: Int32

    init(in directory: String) throws {
        var template = Array((directory + "/.ecrm-search-XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw StoreError.invalid("cannot create the search build's temporary file in \(directory): \(Self.lastError)")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit { close(fd) }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            let r = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if r < 0 && errno == EINTR { continue }
            guard r > 0 else { throw StoreError.invalid("cannot write the search build's temporary file: \(Self.lastError)") }
            done += r
        }
    }

    /// Reads exactly `count` bytes at `offset` into `buffer` (the file must hold them).
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws {
        var done = 0
        while done < count {
            let r = pread(fd, buffer + done, count - done, off_t(offset) + off_t(done))
            if r < 0 && errno == EINTR { continue }
            guard r > 0 else { throw StoreError.invalid("cannot read the search build's temporary file: \(r == 0 ? "it ends early" : Self.lastError)") }
            done += r
        }
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}
