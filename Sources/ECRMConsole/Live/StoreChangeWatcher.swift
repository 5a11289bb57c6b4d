import Foundation
import Glibc
import GRDB
import ECRMStore

/// Notices commits made by other processes (another operator's console, an import) with inotify
/// on the store's directory — the WAL file changes on every commit — and tells our pool with
/// `notifyChanges(in:)`, so ValueObservations re-fetch. Blocks in poll() with no timeout: zero CPU
/// while nothing changes.
final class StoreChangeWatcher: @unchecked Sendable {
    private let store: Store
    private let inotifyFD: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let names: Set<String>
    private let notifyQueue = DispatchQueue(label: "ecrm.console.store-changes")
    /// Tables the card reads; a change elsewhere does not concern an open card.
    static let tables = ["member", "member_tag", "member_note", "member_stats", "tag", "tier_publish", "member_rfm", "orders"]

    init?(store: Store) {
        self.store = store
        let url = URL(fileURLWithPath: store.path)
        let dir = url.deletingLastPathComponent().path
        let base = url.lastPathComponent
        names = [base, base + "-wal"]
        inotifyFD = inotify_init1(Int32(IN_CLOEXEC))
        guard inotifyFD >= 0 else { return nil }
        guard inotify_add_watch(inotifyFD, dir, UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)) >= 0 else {
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
            // Coalesce a burst (a commit writes the WAL several times; an import thousands).
            while poll(&fds, 1, 30) > 0 { relevant = readEvents(&buf) || relevant }
            if relevant { notify() }
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

    private func notify() {
        let store = self.store
        notifyQueue.async {
            // An empty write transaction: takes the write lock briefly, writes nothing (no feedback loop).
            try? store.pool.write { db in
                for t in Self.tables { try db.notifyChanges(in: Table(t)) }
            }
        }
    }
}
