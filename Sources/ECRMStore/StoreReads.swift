import ECRMDomain

// The store's reads as public calls over a `Store`: each is one read transaction (one snapshot)
// that checks the operator's right inside it (`Store.Access`) and returns plain values, so the
// command line and the benchmark never see the database (no GRDB, no SQL, no `store.pool`).

extension MemberSearch {
    /// Members matching what a buyer gave (nick, name, phone or its tail, buyer id, card, order number).
    public static func search(_ store: Store, _ text: String, limit: Int = 50) throws -> [MemberSummary] {
        try store.read(.require(.lookUp)) { try search($0, text, limit: limit) }
    }
}

extension MemberQueries {
    /// The member a key names (buyer id, exact nick, phone or order number), if exactly one.
    public static func resolve(_ store: Store, _ key: String) throws -> Int64? {
        try store.read(.require(.lookUp)) { try resolve($0, key) }
    }

    /// One member's card by id.
    public static func detail(_ store: Store, id: Int64, asOf: Day = Clock.today()) throws -> MemberDetail? {
        try store.read(.require(.lookUp)) { try detail($0, id: id, asOf: asOf) }
    }

    /// One member's card by key (as `resolve`), found and read in the same snapshot.
    public static func detail(_ store: Store, key: String) throws -> MemberDetail? {
        try store.read(.require(.lookUp)) { db in try resolve(db, key).flatMap { try detail(db, id: $0) } }
    }
}

extension MemberSetPages {
    /// One page of a set's member ids (keyset-paged like `page(_:_:after:limit:)`).
    public static func page(_ store: Store, _ set: MemberSet, after: Cursor? = nil, limit: Int = 100) throws -> Page {
        try store.read(.require(.lookUp)) { try page($0, set, after: after, limit: limit) }
    }

    /// How many members the set holds and its first `limit` members, from one snapshot.
    public static func firstPage(_ store: Store, _ set: MemberSet, limit: Int) throws -> (total: Int, members: [MemberSummary]) {
        try store.read(.require(.lookUp)) { db in
            (try count(db, set), try MemberQueries.summaries(db, ids: try page(db, set, limit: limit).ids))
        }
    }
}

extension RFMEngine {
    /// The shop's saved RFM configuration (window, scoring, lifecycle windows, edges).
    public static func loadConfig(_ store: Store) throws -> Config {
        try store.read(.require(.lookUp)) { try loadConfig($0) }
    }

    /// The summary the last recompute stored (what the Segments pane opens with), or nil.
    public static func lastSummary(_ store: Store) throws -> RFMSummary? {
        try store.read(.require(.lookUp)) { try lastSummary($0) }
    }

    /// Computes without storing (previews, `--as-of` replays, the benchmark).
    public static func compute(_ store: Store, settings: RFMSettings) throws -> Computation {
        try store.read(.require(.lookUp)) { try compute($0, settings: settings) }
    }
}

extension RFMFreshness {
    /// How old the stored RFM computation is.
    public static func check(_ store: Store, today: Day = Clock.today()) throws -> RFMFreshness {
        try store.read(.require(.lookUp)) { try check($0, today: today) }
    }
}

extension Birthdays {
    /// Birthdays from `from` through `from + days − 1`, soonest first (phones masked).
    public static func upcoming(_ store: Store, from: Day = Clock.today(), days: Int = 7) throws -> [Entry] {
        try store.read(.require(.lookUp)) { try upcoming($0, from: from, days: days) }
    }
}

extension Audit {
    /// The newest entries of the audit log, newest first.
    public static func recent(_ store: Store, limit: Int = 100, offset: Int = 0) throws -> [Entry] {
        try store.read(.require(.lookUp)) { try recent($0, limit: limit, offset: offset) }
    }
}

extension TierService {
    /// The live ladder (nil before the first publish) and the members on each level 0–4, from one snapshot.
    public static func liveLadderAndCounts(_ store: Store) throws -> (ladder: TierLadder?, membersPerLevel: [Int]) {
        try store.read(.require(.lookUp)) { db in (try TierStore.liveLadder(db), try TierStore.membersPerLevel(db)) }
    }
}
