import Foundation
import Glibc

/// Notices commits to the store file by any process (another operator's console, an import, raw
/// writes of this process that GRDB does not track) with inotify on the store's directory: the WAL
/// file changes on every commit. Blocks in poll() with no timeout on a thread of its own: zero CPU
/// while nothing changes, one wake-up per 30 ms while a writer writes, and never on the console's
/// key loop.
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
        inotifyFD = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
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
            var relevant = drainEvents(&buf).relevant
            // Coalesce a burst (a commit writes the WAL several times; an import or a bulk tag
            // thousands): sleep 30 ms at a time, woken only by stop(), and take what queued meanwhile
            // (the kernel folds repeated events on one file into one), until 30 ms pass with none.
            // Waking for every event instead cost an import's worth of context switches on the
            // console's CPUs. The quiet 30 ms also covers the commit's last step, the WAL index in
            // the -shm file, which is written through mmap and raises no event of its own.
            while true {
                var stop = [pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
                if poll(&stop, 1, 30) > 0 { return }
                let more = drainEvents(&buf)
                relevant = relevant || more.relevant
                if !more.any { break }
            }
            if relevant { changed() }
        }
    }

    /// Reads every pending event (the descriptor does not block): whether there was any, and
    /// whether one concerns the store files.
    private func drainEvents(_ buf: inout [UInt8]) -> (any: Bool, relevant: Bool) {
        var any = false, relevant = false
        while true {
            let (n, hit) = readEvents(&buf)
            if n <= 0 { return (any, relevant) }
            any = true
            relevant = relevant || hit
        }
    }

    /// Reads one buffer of pending events: the bytes read (0 or less: none pending) and whether one
    /// concerns the store files.
    private func readEvents(_ buf: inout [UInt8]) -> (Int, Bool) {
        let n = buf.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
        guard n > 0 else { return (n, false) }
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
        return (n, hit)
    }
}
