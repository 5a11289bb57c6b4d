import GRDB
import ECRMDomain

/// A member list narrowed to one channel (the console's channel key; PRODUCT.md: lists filter by
/// channel): the list's own members in the list's own order, keeping those with an identity there.
public enum ChannelFilter {
    /// The channels some member has an identity in, in Channel order (what the key cycles through).
    public static func present(_ store: Store) throws -> [Channel] {
        try store.translate {
            try store.pool.read { db in
                var set = Set(try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM member_identity"))
                if try Int.fetchOne(db, sql: "SELECT 1 FROM member WHERE channel IS NULL LIMIT 1") != nil { set.insert(Channel.taobao.rawValue) }
                return Channel.allCases.filter { set.contains($0.rawValue) }
            }
        }
    }

    /// `base` nil: the whole store. A listed set (a search result) keeps its order; any other set
    /// is in list order (most recent buyer first, MemberSetPages).
    public static func orderedIds(_ store: Store, base: MemberSet?, channel: Channel) throws -> [Int64] {
        try store.translate {
            try store.pool.read { db in
                guard let base else { return try MemberSetPages.orderedIds(db, .channel(channel)) }
                let (sql, args) = try MemberSetSQL.query(db, .channel(channel))
                let inChannel = Set(try Int64.fetchAll(db, sql: sql, arguments: args))
                let ids: [Int64]
                if case .ids(let listed) = base { ids = listed } else { ids = try MemberSetPages.orderedIds(db, base) }
                return ids.filter(inChannel.contains)
            }
        }
    }
}
