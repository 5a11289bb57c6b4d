import Foundation
import Glibc

/// Notices commits to the store file by any process (another operator's console, an import, raw
/// writes of this process that GRDB does not track) with inotify on the store's directory: the WAL
/// file changes on every commit. Blocks in poll() with no timeout on a thread of its own: zero CPU
/// while nothing changes, and never on the console's key loop.
final class StoreFileWatch: @unchecked Sendable {
    private let inotifyFD: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let names: Set<String>
    private let changed: @Sendable () -> Void

    /// nil when inotify is not available (the feed then sees this process's GRDB writes only).
    init?(storePath: String, changed: @escaping @Sendable () -> Void) {
        self.changed = changed
        let url = URL(fileURLWithPath: storePath)
        let dir = url.deletingLastPathComponent().path
        let base = url.lastPathComponent
        names = [base, base + "-wal"]
        inotifyFD = inotify_init1(Int32(IN_CLOEXEC))
        guard inotifyFD >= 0 else { return nil }
        // Every commit writes (IN_MODIFY: the WAL, or the file itself outside WAL mode); a file put
        // in place (IN_MOVED_TO, IN_CREATE) is a new store. Not IN_CLOSE_WRITE: every `ecrm` that
        // only reads opens the store read-write and closes it, and each close re-read the pane on
        // screen (two CLI readers in a loop cost an idle console 46 ms of CPU a second).
        guard inotify_add_watch(inotifyFD, dir, UInt32(IN_MODIFY | IN_MOVED_TO | IN_CREATE)) >= 0 else {
            close(inotifyFD); return nil
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { close(inotifyFD); return nil }
        stopPipe = (fds[0], fds[1])
        let thread = Thread { [self] in run() }
        thread.name = "ecrm-store-watch"
        thread.start()
    }

    func stop() {
        var b: UInt8 = 1
        _ = write(stopPipe.write, &b, 1)
    }

    private func run() {
        var buf = [UInt8](repeating: 0, count: 4096)
        defer { close(inotifyFD); close(stopPipe.read); close(stopPipe.write) }
        while true {
            var fds = [pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0), pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
            let r = poll(&fds, 2, -1)
            if r < 0 { if errno == EINTR { continue }; return }
            if fds[1].revents != 0 { return }
            var relevant = readEvents(&buf)
            // Coalesce a burst (a commit writes the WAL several times; an import thousands). The
            // quiet 30 ms also covers the commit's last step, the WAL index in the -shm file, which
            // is written through mmap and raises no event of its own.
            while poll(&fds, 1, 30) > 0 { relevant = readEvents(&buf) || relevant }
            if relevant { changed() }
        }
    }

    /// Reads pending events; true when one concerns the store files.
    private func readEvents(_ buf: inout [UInt8]) -> Bool {
        let n = buf.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
        guard n > 0 else { return false }
        var hit = false
        var off = 0
        let header = MemoryLayout<inotify_event>.size
        buf.withUnsafeBytes { raw in
            while off + header <= n {
                let len = Int(raw.load(fromByteOffset: off + 12, as: UInt32.self))
                if len > 0 {
                    let nameBytes = raw[(off + header)..<(off + header + len)].prefix { $0 != 0 }
                    if names.contains(String(decoding: nameBytes, as: UTF8.self)) { hit = true }
                }
                off += header + len
            }
        }
        return hit
    }
}
