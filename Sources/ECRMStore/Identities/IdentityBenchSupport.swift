import Foundation
import GRDB
import ECRMDomain

/// What `ecrm-bench identities` needs from the store (issue 19's figures), as one-transaction calls
/// over a Store, so the benchmark holds no GRDB, SQL or `store.pool`.
public enum IdentityBenchSupport {
    /// Up to `count` random external ids of identity rows in `channel`, or for Taobao random
    /// members' implicit buyer ids (what a buyer would paste: a JD account, a card number, a nick).
    public static func sampleIds(_ store: Store, channel: Channel, count: Int) throws -> [String] {
        try store.read(.require(.lookUp)) { db in
            if channel == .taobao {
                let maxId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
                var out: [String] = []
                var rng = SystemRandomNumberGenerator()
                var tries = 0
                while out.count < count && tries < count * 20 && maxId > 0 {
                    tries += 1
                    if let b = try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ? AND channel IS NULL",
                                                   arguments: [Int64.random(in: 1...maxId, using: &rng)]) { out.append(b) }
                }
                return out
            }
            return try String.fetchAll(db, sql: "SELECT external_id FROM member_identity WHERE channel = ? ORDER BY random() LIMIT ?",
                                       arguments: [channel.rawValue, count])
        }
    }

    /// Up to `count` random 11-digit phones of existing members (to share with a generated channel's file).
    public static func samplePhones(_ store: Store, count: Int) throws -> [String] {
        try store.read(.require(.lookUp)) { db in
            try String.fetchAll(db, sql: "SELECT phone FROM member WHERE length(phone) = 11 ORDER BY random() LIMIT ?", arguments: [count])
        }
    }

    /// Random members whose only identity is their Taobao buyer id (to give them more), by buyer id.
    public static func taobaoOnlyMembers(_ store: Store, count: Int) throws -> [String] {
        try store.read(.require(.lookUp)) { db in
            return try String.fetchAll(db, sql: """
                SELECT buyer_id FROM member m WHERE channel IS NULL
                AND NOT EXISTS (SELECT 1 FROM member_identity i WHERE i.member_id = m.id)
                ORDER BY random() LIMIT ?
                """, arguments: [count])
        }
    }

    /// The member a search for `text` finds first, and how many it found (the console's search).
    public static func search(_ store: Store, _ text: String) throws -> (first: Int64?, count: Int) {
        try store.read(.require(.lookUp)) { db in
            let found = try MemberSearch.search(db, text)
            return (found.first?.id, found.count)
        }
    }

    /// Opens a member's card by key as the console does (resolve, then the card with its
    /// identities, orders and spend), in one read; returns how many identities it lists.
    public static func openCard(_ store: Store, key: String) throws -> Int {
        try store.read(.require(.lookUp)) { db in
            guard let id = try MemberQueries.resolve(db, key), let d = try MemberQueries.detail(db, id: id) else { return 0 }
            return d.identities.count
        }
    }

    /// What the channels view avoids, for comparison: the plain aggregate over every order, and a
    /// count over the whole member table. Returns the paid spend it found (fen), to check.
    public static func plainChannelScans(_ store: Store) throws -> (ordersScan: Fen, implicitMembers: Int) {
        try store.read(.require(.lookUp)) { db in
            let spend = try Int64.fetchOne(db, sql: "SELECT coalesce(sum(amount), 0) FROM orders WHERE status = 'paid'") ?? 0
            _ = try Row.fetchAll(db, sql: "SELECT coalesce(channel, 'taobao'), count(*), sum(amount) FROM orders WHERE status = 'paid' GROUP BY 1")
            let implicit = try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE channel IS NULL") ?? 0
            return (spend, implicit)
        }
    }
}
