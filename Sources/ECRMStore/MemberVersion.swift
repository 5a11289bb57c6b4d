import GRDB

/// A counter that goes up with every write that may change who the members are or what they are
/// called: their rows (keys, names, phones, tiers, blacklist), identities, duplicate candidates and
/// dismissals. Store.inWriteTransaction bumps it, in the same transaction, for every activity that
/// may (`WriteActivity.mayChangeMembers`: imports, member changes, merges, links, tiers); a tag, a
/// note, an RFM recompute or a campaign leaves it. What is computed from every member (the
/// duplicate candidates) remembers the version it saw and is current while the counter has not moved.
enum MemberVersion: SettingCounter {
    static let key = "members.version"
}

extension WriteActivity {
    /// Whether a write of this kind may change members' rows, identities, candidates or
    /// dismissals (MemberVersion). Tags, notes, RFM figures, campaigns, operators, exports and
    /// indexes live in tables of their own.
    var mayChangeMembers: Bool {
        switch self {
        case .importing, .member, .publish, .tiers, .demo: return true
        case .bulkTag, .tags, .note, .rfm, .operators, .export, .index, .campaign: return false
        }
    }
}
