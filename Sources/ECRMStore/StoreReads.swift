import GRDB
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

extension MemberQueries {
    /// Every member's id, ascending (the whole store as a set of members).
    public static func allIds(_ store: Store) throws -> [Int64] {
        try store.read(.require(.lookUp)) { try Int64.fetchAll($0, sql: "SELECT id FROM member ORDER BY id") }
    }
}

extension MemberSearch {
    /// Every match's id, in the order `search` lists them.
    public static func allIds(_ store: Store, _ text: String) throws -> [Int64] {
        try store.read(.require(.lookUp)) { try allIds($0, text) }
    }
}

extension TagService {
    /// A tag's name by its id (nil: no such tag).
    public func name(id: Int64) throws -> String? {
        try store.read(.require(.lookUp)) { try String.fetchOne($0, sql: "SELECT name FROM tag WHERE id = ?", arguments: [id]) }
    }
}

extension BrowseStats {
    /// The last stored RFM computation as a summary (nil: none stored yet).
    public static func storedSegmentSummary(_ store: Store) throws -> RFMSummary? {
        try store.read(.require(.lookUp)) { try storedSegmentSummary($0) }
    }

    /// Members per tier level with the live ladder (a scan of the member table: run it off the UI thread).
    public static func tierCounts(_ store: Store) throws -> TierCounts {
        try store.read(.require(.lookUp)) { try tierCounts($0) }
    }
}

extension TierService {
    /// The live ladder and the draft, from one snapshot.
    public static func liveAndDraft(_ store: Store) throws -> (live: TierLive?, draft: TierDraft) {
        try store.read(.require(.lookUp)) { db in (try TierStore.live(db), try TierStore.draft(db)) }
    }

    /// The live ladder (nil: never published).
    public static func liveLadder(_ store: Store) throws -> TierLadder? {
        try store.read(.require(.lookUp)) { try TierStore.liveLadder($0) }
    }

    /// Every published version, newest first (the newest is live). A few rows per shop.
    public static func history(_ store: Store) throws -> [TierLive] {
        try store.read(.require(.lookUp)) { db in
            try Row.fetchAll(db, sql: "SELECT version, ladder, published_at, published_by FROM tier_publish ORDER BY version DESC").map { row in
                TierLive(version: row[0], ladder: try TierStore.decode(row[1]), publishedAt: row[2], publishedBy: row[3])
            }
        }
    }
}

extension BulkTagger {
    /// The bulk-tag question's figures and whether the tag exists yet (else the action creates it),
    /// from one snapshot.
    public func previewTagging(_ tag: String, _ set: MemberSet) throws -> (preview: Preview, tagExists: Bool) {
        try store.read(.require(.lookUp)) { db in
            (try Self.preview(db, tag: tag, set: set),
             try Int.fetchOne(db, sql: "SELECT 1 FROM tag WHERE name = ?", arguments: [tag]) != nil)
        }
    }
}
