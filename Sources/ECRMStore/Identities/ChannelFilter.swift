import GRDB
import ECRMDomain

/// The channels the lists' channel key cycles through (PRODUCT.md: lists filter by channel); the
/// narrowed list itself is the list's set with `MemberRule.channels` (MemberSetSQL).
public enum ChannelFilter {
    /// The channels some member has an identity in, in Channel order.
    public static func present(_ store: Store) throws -> [Channel] {
        try store.read(.require(.lookUp)) { db in
            var set = Set(try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM member_identity"))
            if try Int.fetchOne(db, sql: "SELECT 1 FROM member WHERE channel IS NULL LIMIT 1") != nil { set.insert(Channel.taobao.rawValue) }
            return Channel.allCases.filter { set.contains($0.rawValue) }
        }
    }
}
