import Foundation
import CStoreTuning

/// The search build's pairs, generated from a MemberTextSpool on a thread of their own while the
/// load's stats, order lists and indexes are written: those phases keep one core busy writing, the
/// other mostly idle, and the generation (about a second of CPU at 1M members) used to come after
/// them, behind a read of every member's text on the writing thread.
///
/// Ranks are not known yet then (they follow from the stats), so each pair carries the member's
/// ordinal (id - 1: the spool holds members 1...n) where the rank goes, and the build puts the rank
/// in as it reads the pairs back (SearchIndexBuilder.writePostings).
final class EarlyPairs: @unchecked Sendable {
    struct Ready {
        let spool: PairSpool
        let layout: PostingLayout
        let members: Int
    }

    private let finished = DispatchSemaphore(value: 0)
    private var result: Result<Ready, Error> = .failure(StoreError.invalid("not generated"))

    /// Starts generating from `texts` (written completely) into a spool in `directory`.
    static func start(texts: MemberTextSpool, directory: String) -> EarlyPairs {
        let early = EarlyPairs()
        let thread = Thread {
            early.result = Result { try generate(texts, directory: directory) }
            early.finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        return early
    }

    /// Waits for the generation; its pairs, or why there are none (the build then reads the table).
    func wait() -> Result<Ready, Error> {
        finished.wait()
        finished.signal()   // later calls return at once
        return result
    }

    /// Two threads (the build's two cores), each taking the next run of members from the spool.
    private static func generate(_ texts: MemberTextSpool, directory: String) throws -> Ready {
        let n = texts.count
        let layout = PostingLayout(memberCount: n)
        let spool = try PairSpool(directory: directory, threads: 2)
        let runs = RunClaims(count: texts.runs)
        try spool.fill(rkMask: layout.rkMask) { _, sink in
            // Behind the writing threads: this work only fills the time they leave a core idle.
            _ = ecrm_lower_thread_priority(19)
            var nick: [UInt32] = [], name: [UInt32] = [], phone: [UInt32] = []
            while let run = runs.next() {
                var expected = Int64(run * texts.runLength) + 1
                try texts.forEach(run: run) { id, nickBytes, nameBytes, phoneBytes in
                    // Ordinal = id - 1 only while the ids run 1, 2, 3…: the spool was written in id order.
                    guard id == expected else { throw StoreError.invalid("member texts out of id order") }
                    expected += 1
                    let ordinal = UInt32(id - 1)
                    nick.removeAll(keepingCapacity: true); UTF8Scalars.append(nickBytes, to: &nick)
                    name.removeAll(keepingCapacity: true); UTF8Scalars.append(nameBytes, to: &name)
                    phone.removeAll(keepingCapacity: true); UTF8Scalars.append(phoneBytes, to: &phone)
                    let phoneKey = Gram.phoneTailKey(phone) ?? 0
                    nick.withUnsafeBufferPointer { nick in
                        name.withUnsafeBufferPointer { name in
                            Gram.forEachOfMember(nick: nick, name: name, phoneKey: phoneKey) { sink.add($0, ordinal) }
                        }
                    }
                }
            }
        }
        return Ready(spool: spool, layout: layout, members: n)
    }

    /// Hands out run numbers to the generating threads, in order.
    private final class RunClaims: @unchecked Sendable {
        private let lock = NSLock()
        private var nextRun = 0
        private let count: Int
        init(count: Int) { self.count = count }
        func next() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard nextRun < count else { return nil }
            nextRun += 1
            return nextRun - 1
        }
    }
}
