import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// RecencyOrder (SearchExtra's order of the members it keeps) against the rule written out
/// directly: buyers by (last paid, id) descending, then the members who never bought by id
/// descending; members without the live flag, or past `size`, left out; each position its place.
/// Ties on the paid moment, members with no stats row and stats rows with no paid moment are there
/// on purpose.
@Suite struct RecencyOrderTests {
    @Test(arguments: [1, 2, 3] as [UInt64]) func theOrderIsTheRebuildsAmongLiveMembers(seed: UInt64) throws {
        var rnd = SplitMix64(seed: seed)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("recency-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let q = try DatabaseQueue(path: dir + "/r.sqlite")
        let size = 600
        let live: UInt8 = 128
        var flags = [UInt8](repeating: 0, count: size)
        var paid: [Int: String] = [:]
        try q.write { db in
            try db.execute(sql: """
                CREATE TABLE member_stats (member_id INTEGER PRIMARY KEY, last_paid_at TEXT);
                CREATE INDEX member_stats_last ON member_stats(last_paid_at);
                """)
            for id in 0..<(size + 20) {   // ids past `size` are in the table, not in the order
                if id < size { flags[id] = UInt8.random(in: 0...127, using: &rnd) | (Int.random(in: 0..<4, using: &rnd) == 0 ? 0 : live) }
                switch Int.random(in: 0..<5, using: &rnd) {
                case 0: break   // no stats row
                case 1: try db.execute(sql: "INSERT INTO member_stats VALUES (?, NULL)", arguments: [id])
                default:
                    // Few distinct moments: many ties, broken by id.
                    let t = String(format: "2026-0%d-1%d 10:00:00", Int.random(in: 1...3, using: &rnd), Int.random(in: 0...4, using: &rnd))
                    try db.execute(sql: "INSERT INTO member_stats VALUES (?, ?)", arguments: [id, t])
                    paid[id] = t
                }
            }
        }
        var want = (0..<size).filter { flags[$0] & live != 0 && paid[$0] != nil }
        want.sort { (paid[$0]!, $0) > (paid[$1]!, $1) }
        want += (0..<size).reversed().filter { flags[$0] & live != 0 && paid[$0] == nil }

        let order = try q.read { try RecencyOrder($0, size: size, flags: flags, live: live) }
        var got: [Int] = []
        order.forEach { got.append(Int($0)) }
        #expect(got == want)
        var position = [Int32](repeating: -1, count: size)
        for (p, id) in want.enumerated() { position[id] = Int32(p) }
        #expect(order.position == position)
        #expect(want.count > size / 2 && want.count < size)   // the data has both kinds, and dead members
    }
}
