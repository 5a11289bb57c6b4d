import GRDB

/// Versioned schema. Append migrations; never edit a shipped one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-core") { db in
            try db.execute(sql: """
                CREATE TABLE member (
                    id INTEGER PRIMARY KEY,
                    buyer_id TEXT NOT NULL UNIQUE,
                    nick TEXT NOT NULL DEFAULT '',
                    name TEXT NOT NULL DEFAULT '',
                    phone TEXT NOT NULL DEFAULT '',
                    gender TEXT NOT NULL DEFAULT '',
                    birthday TEXT,
                    province TEXT NOT NULL DEFAULT '',
                    city TEXT NOT NULL DEFAULT '',
                    joined_at TEXT,
                    tier INTEGER NOT NULL DEFAULT 0 CHECK (tier BETWEEN 0 AND 4),
                    tier_source TEXT NOT NULL DEFAULT 'auto' CHECK (tier_source IN ('auto','manual')),
                    status TEXT NOT NULL DEFAULT 'normal' CHECK (status IN ('normal','blacklist')),
                    card_no TEXT,
                    updated_at TEXT
                );
                -- Orders keyed by the shop's own (numeric) order number, so re-import is idempotent.
                CREATE TABLE orders (
                    order_id INTEGER PRIMARY KEY,
                    member_id INTEGER NOT NULL REFERENCES member(id),
                    paid_at TEXT NOT NULL DEFAULT '',  -- '' only for never-paid orders without a time
                    amount INTEGER NOT NULL CHECK (amount >= 0),
                    status TEXT NOT NULL CHECK (status IN ('paid','refunded','closed','unpaid')),
                    items INTEGER NOT NULL DEFAULT 1
                );
                -- Per-member aggregates of paid orders, kept current by import so RFM never rescans orders.
                -- paid_days: every paid order as (day number Int32 LE, amount fen Int64 LE), sorted by day,
                -- so windowed F and M for any as-of date come from one row per member.
                CREATE TABLE member_stats (
                    member_id INTEGER PRIMARY KEY REFERENCES member(id) ON DELETE CASCADE,
                    first_paid INTEGER,
                    last_paid INTEGER,
                    last_paid_at TEXT,
                    paid_count INTEGER NOT NULL DEFAULT 0,
                    paid_sum INTEGER NOT NULL DEFAULT 0,
                    paid_days BLOB
                );
                CREATE TABLE member_note (
                    id INTEGER PRIMARY KEY,
                    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
                    operator TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE INDEX member_note_member ON member_note(member_id, id);
                CREATE TABLE tag (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    rule TEXT,
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL
                );
                CREATE TABLE member_tag (
                    tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
                    PRIMARY KEY (tag_id, member_id)
                ) WITHOUT ROWID;
                CREATE INDEX member_tag_member ON member_tag(member_id);
                -- Published ladders, newest = live. Publishing appends; history is the table itself.
                CREATE TABLE tier_publish (
                    version INTEGER PRIMARY KEY,
                    ladder TEXT NOT NULL,
                    published_at TEXT NOT NULL,
                    published_by TEXT NOT NULL
                );
                CREATE TABLE tier_draft (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    ladder TEXT NOT NULL,
                    base_version INTEGER,
                    updated_at TEXT NOT NULL,
                    updated_by TEXT NOT NULL
                );
                CREATE TABLE operator (
                    user TEXT PRIMARY KEY,
                    role TEXT NOT NULL CHECK (role IN ('owner','staff')),
                    added_at TEXT NOT NULL,
                    added_by TEXT NOT NULL
                );
                CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    operator TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL DEFAULT '',
                    before TEXT,
                    after TEXT,
                    reason TEXT
                );
                -- Last RFM computation, one row per member (segment/lifecycle as stable small codes).
                -- No recency column on purpose: it changes for everyone every day, and a recompute
                -- only rewrites the rows whose scores, segment or totals changed.
                CREATE TABLE member_rfm (
                    member_id INTEGER PRIMARY KEY,
                    -- Day of the last paid order on or before as-of ('' = none): drill-down lists page
                    -- through (segment|r,f|lifecycle, last_paid) indexes, newest buyers first, no sort.
                    last_paid TEXT NOT NULL DEFAULT '',
                    frequency INTEGER NOT NULL,
                    monetary INTEGER NOT NULL,
                    r INTEGER NOT NULL, f INTEGER NOT NULL, m INTEGER NOT NULL,
                    segment INTEGER NOT NULL,
                    lifecycle INTEGER NOT NULL,
                    is_returning INTEGER NOT NULL
                );
                """)
        }
        m.registerMigration("v1-indexes") { db in
            // Created after the tables so a bulk load into an empty store can drop and rebuild them.
            try db.execute(sql: (Schema.bulkIndexes + Schema.listIndexesBefore25).map(\.create).joined(separator: ";\n"))
        }
        m.registerMigration("v2-search") { db in
            // Member lookup postings (Search/PostingLayout.swift), built at once for an existing store.
            try db.execute(sql: SearchIndex.schema)
            try SearchIndex.rebuildAll(db)
        }
        m.registerMigration("v3-tags") { db in
            // Bulk tag actions with the member ids each changed, for an exact undo (Tags/TagActionLog.swift).
            try db.execute(sql: TagActionLog.schema)
        }
        m.registerMigration("v4-tier-baseline") { db in
            // Paid totals at a manual lowering, so auto-upgrade counts only what came after (Tiers/TierBaseline.swift).
            try TierBaseline.ensureTable(db)
        }
        m.registerMigration("v5-orders-status-check") { db in
            // `status IN (4 values)` in a CHECK makes SQLite build an ephemeral table on every insert:
            // measured 7.9 s against 4.2 s with the same rule as ORs for 5M orders. SQLite cannot alter
            // a CHECK, so the table is rebuilt (instant on a new store).
            try db.execute(sql: """
                CREATE TABLE orders_new (
                    order_id INTEGER PRIMARY KEY,
                    member_id INTEGER NOT NULL REFERENCES member(id),
                    paid_at TEXT NOT NULL DEFAULT '',
                    amount INTEGER NOT NULL CHECK (amount >= 0),
                    status TEXT NOT NULL CHECK (status = 'paid' OR status = 'refunded' OR status = 'closed' OR status = 'unpaid'),
                    items INTEGER NOT NULL DEFAULT 1
                );
                INSERT INTO orders_new SELECT order_id, member_id, paid_at, amount, status, items FROM orders;
                DROP TABLE orders;
                ALTER TABLE orders_new RENAME TO orders;
                """)
            // The orders index this rebuilt is gone since v8 (member_orders lists).
        }
        m.registerMigration("v6-orders-member-index") { db in
            // Recreated a narrower orders index here until v8 replaced it with member_orders lists.
            try db.execute(sql: "DROP INDEX IF EXISTS orders_member")
        }
        m.registerMigration("v7-exact-lookups-from-postings") { db in
            // Exact nick and full-phone lookups read the search postings now (Search/ExactLookup.swift).
            try db.execute(sql: "DROP INDEX IF EXISTS member_nick; DROP INDEX IF EXISTS member_phone")
        }
        m.registerMigration("v8-member-order-lists") { db in
            // Orders by member come from member_orders (MemberOrderLists.swift), not an index.
            try db.execute(sql: MemberOrderLists.schema)
            try MemberOrderLists.rebuildAll(db)
            try db.execute(sql: "DROP INDEX IF EXISTS orders_member")
        }
        m.registerMigration("v9-no-rank-member-index") { db in
            // A refresh finds its members' ranks in one pass over search_rank (Search/SearchIndex.swift).
            try db.execute(sql: "DROP INDEX IF EXISTS search_rank_member")
        }
        m.registerMigration("v11-tag-trash") { db in
            // A deleted tag (with who carried it) is kept 30 days so it can be restored (TagService).
            try db.execute(sql: """
                CREATE TABLE tag_trash (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    rule TEXT,
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    deleted_at TEXT NOT NULL,
                    deleted_by TEXT NOT NULL
                );
                CREATE INDEX tag_trash_name ON tag_trash(name, id);
                CREATE TABLE tag_trash_member (
                    trash_id INTEGER NOT NULL REFERENCES tag_trash(id) ON DELETE CASCADE,
                    member_id INTEGER NOT NULL,
                    PRIMARY KEY (trash_id, member_id)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v12-campaigns") { db in
            // Campaigns with a frozen, randomly split target (Campaigns/CampaignTables.swift).
            try db.execute(sql: CampaignTables.schema)
        }
        m.registerMigration("v13-order-numbers-and-channels") { db in
            // Text order numbers and channels (PRODUCT.md: Channels). A Taobao number in plain digits
            // stays its own integer key, with both columns NULL (NULL channel = taobao): the 5M-order
            // numeric load writes nothing more per row and existing stores change no row. Any other
            // number keeps its text and channel here, keyed by a number from OrderNumber.surrogateBase
            // up; (order_no, channel) is unique, and its prefix finds a number in any channel.
            try db.execute(sql: """
                ALTER TABLE orders ADD COLUMN channel TEXT;
                ALTER TABLE orders ADD COLUMN order_no TEXT;
                CREATE UNIQUE INDEX orders_number ON orders(order_no, channel) WHERE order_no IS NOT NULL;
                """)
        }
        m.registerMigration("v14-identities") { db in
            // Buyer identities per channel (PRODUCT.md: One member across channels; Identities/IdentityTables.swift).
            // A member whose `channel` is NULL has the Taobao identity `buyer_id`, kept implicit: the
            // 1M-member Taobao load writes nothing more per row and existing stores change no row.
            // Every other identity is a row of member_identity; an order that came through one
            // names it in orders.identity_id (NULL: through its member's implicit Taobao identity).
            try db.execute(sql: IdentityTables.schema)
        }
        m.registerMigration("v15-merges") { db in
            // Merge log (what an unmerge puts back) and dismissed duplicate pairs (Merge/MergeTables.swift).
            try db.execute(sql: MergeTables.schema)
        }
        m.registerMigration("v16-campaign-lists") { db in
            // Campaign lists: a target leaves blacklisted members out, which read the whole member
            // table (~0.1 s at 1M) for the few on it; and the campaigns list's headline remembers the
            // paid-history version it was computed at, so a stale one is recomputed (StatsVersion).
            try db.execute(sql: """
                CREATE INDEX member_blacklist ON member(id) WHERE status = 'blacklist';
                ALTER TABLE campaign_headline ADD COLUMN stats_version INTEGER;
                """)
        }
        m.registerMigration("v17-search-member-ranks") { db in
            // Member → search rank without a pass over search_rank per refresh (Search/MemberRanks.swift),
            // and the refresh delta's size, which bounds it (SearchIndex.RefreshLimits).
            try db.execute(sql: MemberRanks.schema)
            try MemberRanks.fillFromRankTable(db)
            try db.execute(sql: "INSERT OR REPLACE INTO search_meta(key, value) SELECT 'delta_rows', count(*) FROM search_delta")
        }
        m.registerMigration("v18-rfm-window-exit") { db in
            // The as-of day on which a member's earliest counted order leaves the RFM window
            // (RFMAccumulator.windowExit; 2147483647 = never, NULL = not known yet). When the as-of
            // moves on a day, only members whose exit has come (or who bought since) are measured
            // again from their paid history; the rest keep F and M (RFMBase). NULL rows are measured
            // again until the next recompute fills them.
            try db.execute(sql: "ALTER TABLE member_rfm ADD COLUMN window_exit INTEGER")
        }
        m.registerMigration("v20-rfm-incremental") { db in
            // A small import scores only the members whose RFM score can change (RFMIncremental):
            // members between an old and a new M quintile edge, and (when the as-of moves on) those
            // whose window exit has come, are found through these. Partial: unscored members and
            // exits that never come (most changes of a day's import) stay out of them.
            try db.execute(sql: Schema.rfmIncrementalIndexes.map(\.create).joined(separator: ";\n"))
            // R×F cells page through (f, last_paid) with the cell's day range (RFMCell) instead of
            // (r, f, last_paid), which every import's moving R edges rewrote.
            try db.execute(sql: "DROP INDEX IF EXISTS member_rfm_grid; CREATE INDEX IF NOT EXISTS member_rfm_cell ON member_rfm(f, last_paid)")
        }
        m.registerMigration("v21-rfm-derived-r") { db in
            // member_rfm keeps no R score: a row's R is its last paid day under the stored scale
            // (RFMDerivedR), so a new day's moved R quintile edges write only the rows whose segment
            // moves with them, not every member an edge passed (~20k rows at 1M members).
            try RFMDerivedR.migrate(db)
        }
        // .immediate: new tables only, so no check of every foreign key after it (GRDB's default,
        // a scan of all 5M orders that made opening a 1M store after this upgrade take ~8 s).
        m.registerMigration("v22-search-extra", foreignKeyChecks: .immediate) { db in
            // A large refresh (a channel import) builds a second, smaller posting set from the
            // refreshed members beside the built postings instead of re-encoding them all (Search/SearchExtra.swift).
            try db.execute(sql: SearchExtra.schema)
        }
        m.registerMigration("v23-search-extra-stale", foreignKeyChecks: .immediate) { db in
            // The main ranks an extra set superseded, by rank, for the searches of a settled set
            // (Search/SearchExtra.swift). A set built before has no 'extra_stale' flag: searched as before.
            try db.execute(sql: SearchExtra.staleSchema)
        }
        m.registerMigration("v24-search-ranks", foreignKeyChecks: .immediate) { db in
            // The extra set's rank tables as chunks of packed integers, not a row per member
            // (Search/ExtraRanks.swift); the set as it stands is converted, else the index rebuilt.
            try db.execute(sql: ExtraRanks.schema)
            let converted = try ExtraRanks.fillFromRowTables(db)
            try db.execute(sql: "DROP TABLE search_extra_rank; DROP TABLE search_extra_member")
            if !converted { _ = try SearchIndex.rebuildAll(db) }
        }
        m.registerMigration("v25-list-orders", foreignKeyChecks: .immediate) { db in
            // The member list's recency and spend orders become tables kept in key order
            // (Derived/ListOrders.swift) in place of member_stats_last and member_stats_spend, which a
            // bulk load had to build again over the whole table.
            try ListOrders.install(db)
        }
        return m
    }

    /// The shared store's audit log is append-only: not even a bug in ecrm can rewrite history
    /// (`ecrm setup shared`; PRODUCT.md: Operators and privacy).
    static let appendOnlyAudit = """
        CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """

    /// member_rfm's indexes for the incremental refresh (v20), dropped and built again with the
    /// list indexes when member_rfm is written anew (RFMResultWriter). Their conditions are
    /// RFMIncremental.moneyIndexed and .exitIndexed, which its queries spell out.
    static let rfmIncrementalIndexes: [(name: String, table: String, create: String)] = [
        ("member_rfm_money", "member_rfm", "CREATE INDEX member_rfm_money ON member_rfm(monetary) WHERE frequency >= 1"),
        ("member_rfm_exit", "member_rfm", "CREATE INDEX member_rfm_exit ON member_rfm(window_exit) WHERE (window_exit IS NULL OR window_exit < 2147483647)"),
    ]

    /// The member list's orders until v25 (ListOrders keeps them since): created by v1 as it shipped.
    static let listIndexesBefore25: [(name: String, table: String, create: String)] = [
        ("member_stats_last", "member_stats", "CREATE INDEX member_stats_last ON member_stats(last_paid_at)"),
        ("member_stats_spend", "member_stats", "CREATE INDEX member_stats_spend ON member_stats(paid_sum)"),
    ]

    /// Indexes that a bulk import drops first and rebuilds after, which is much faster than
    /// maintaining them row by row.
    static let bulkIndexes: [(name: String, table: String, create: String)] = [
        ("member_card", "member", "CREATE INDEX member_card ON member(card_no) WHERE card_no IS NOT NULL"),
        ("member_rfm_segment", "member_rfm", "CREATE INDEX member_rfm_segment ON member_rfm(segment, last_paid)"),
        // An R×F cell's members: F score and last paid day (R is a function of the last paid day
        // under the stored scale, so a cell is a day range: RFMCell). Not R itself: the R scores
        // of a few thousand members move with every import, which then rewrote their entries here.
        // (Until v20 this was member_rfm_grid on (r, f, last_paid).)
        ("member_rfm_cell", "member_rfm", "CREATE INDEX member_rfm_cell ON member_rfm(f, last_paid)"),
        ("member_rfm_lifecycle", "member_rfm", "CREATE INDEX member_rfm_lifecycle ON member_rfm(lifecycle, last_paid)"),
    ]
}
