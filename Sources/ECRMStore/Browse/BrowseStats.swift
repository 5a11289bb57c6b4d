import Foundation
import GRDB
import ECRMDomain

/// Read-only figures for the console's Segments, Tags and Tiers panes.
public enum BrowseStats {
    /// The last stored RFM computation as a summary, or nil when none was stored. Read from the
    /// summary the recompute saved (opening the Segments pane costs ~1 ms at 1M members, where
    /// GROUP BY over member_rfm took ~300 ms); older stores without it are summed from the rows.
    static func storedSegmentSummary(_ db: Database) throws -> RFMSummary? {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM member_rfm LIMIT 1") != nil else { return nil }
        if let saved = try RFMEngine.lastSummary(db) { return saved }
        guard let settings = try RFMEngine.lastSettings(db) else { return nil }
        var s = RFMSummary(settings: settings)
        for row in try Row.fetchAll(db, sql: "SELECT segment, count(*), sum(monetary) FROM member_rfm GROUP BY segment") {
            guard let seg = Segment(code: row[0]) else { continue }
            s.segments[seg] = RFMSummary.Row(count: row[1], monetary: row[2])
            s.memberCount += row[1] as Int
            if seg != .none { s.scoredCount += row[1] as Int }
        }
        for row in try Row.fetchAll(db, sql: "SELECT lifecycle, count(*) FROM member_rfm GROUP BY lifecycle") {
            if let l = Lifecycle(code: row[0]) { s.lifecycle[l] = row[1] }
        }
        let r = RFMDerivedR.sql(try RFMDerivedR.stored(db))
        for row in try Row.fetchAll(db, sql: "SELECT r, f, count(*) FROM (SELECT \(r) AS r, f FROM member_rfm) WHERE r BETWEEN 1 AND 5 AND f BETWEEN 1 AND 5 GROUP BY r, f") {
            s.grid[(row[0] as Int) - 1][(row[1] as Int) - 1] = row[2]
        }
        s.returningCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM member_rfm WHERE is_returning = 1") ?? 0
        return s
    }

    public struct TagCount: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var members: Int
    }

    static func tagCounts(_ db: Database) throws -> [TagCount] {
        try Row.fetchAll(db, sql: """
            SELECT t.id, t.name, (SELECT count(*) FROM member_tag mt WHERE mt.tag_id = t.id) AS n
            FROM tag t ORDER BY n DESC, t.name
            """).map { TagCount(id: $0[0], name: $0[1], members: $0[2]) }
    }

    public struct TierCounts: Sendable, Equatable {
        public var ladder: TierLadder
        /// Members per level 0...4.
        public var members: [Int]
        public var blacklisted: Int
        public var publishedVersion: Int64?
    }

    static func tierCounts(_ db: Database) throws -> TierCounts {
        let live = try TierStore.liveVersion(db)
        var members = [Int](repeating: 0, count: 5)
        for row in try Row.fetchAll(db, sql: "SELECT tier, count(*) FROM member GROUP BY tier") {
            let t: Int = row[0]
            if (0...4).contains(t) { members[t] = row[1] }
        }
        let bl = try MemberSetSQL.count(db, .rule(MemberRule(status: .blacklist)))
        return TierCounts(ladder: live?.ladder ?? .initial, members: members, blacklisted: bl, publishedVersion: live?.version)
    }
}
