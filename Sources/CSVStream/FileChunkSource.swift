import Glibc
import UserRights

/// A read-only file descriptor read sequentially with `read(2)`; no buffering of its own,
/// the reader owns the chunk buffer.
final class FileChunkSource {
    let path: String
    let size: Int64
    private let fd: Int32

    init(path: String) throws {
        // A user's file: opened with the user's own rights, never the shared store's group.
        let (fd, failure) = UserRights.asUser { () -> (Int32, String) in
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            return (fd, fd < 0 ? systemErrorMessage() : "")
        }
        guard fd >= 0 else { throw CSVError.cannotOpen(path: path, reason: failure) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = systemErrorMessage()
            close(fd)
            throw CSVError.cannotOpen(path: path, reason: reason)
        }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            close(fd)
            throw CSVError.cannotOpen(path: path, reason: "is a directory")
        }
        // Tell the kernel we stream front to back so it reads ahead generously.
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        self.fd = fd
        self.path = path
        self.size = Int64(info.st_size)
    }

    deinit { close(fd) }

    /// Reads up to `count` bytes at `offset` without moving the stream position (used for the detection sample).
    func read(at offset: Int64, into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        try fill(buffer, count) { done in pread(fd, buffer + done, count - done, off_t(offset) + off_t(done)) }
    }

    /// Moves the stream position (to skip a byte-order mark).
    func seek(to offset: Int64) throws {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else {
            throw CSVError.readFailed(path: path, reason: systemErrorMessage())
        }
    }

    /// Reads the next bytes, filling `buffer` unless the file ends first; 0 means end of file.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        try fill(buffer, count) { done in Glibc.read(fd, buffer + done, count - done) }
    }

    /// Calls `readMore(bytesSoFar)` until `count` bytes are in or the file ends, retrying on EINTR.
    private func fill(_ buffer: UnsafeMutablePointer<UInt8>, _ count: Int, _ readMore: (Int) -> Int) throws -> Int {
        var total = 0
        while total < count {
            let n = readMore(total)
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError.readFailed(path: path, reason: systemErrorMessage())
            }
            if n == 0 { break }
            total += n
        }
        return total
    }
}

/// `strerror(errno)` as a String.
func systemErrorMessage(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
