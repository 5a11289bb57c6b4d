import GRDB
import GRDBSQLite
import ECRMDomain

/// The one call that brings a member's derived data up to date after the member or their orders
/// changed: the member_orders list, member_stats, tier auto-upgrade (never a demotion), the search
/// postings and rank, and the stored RFM row. Import calls it once at the end of a load; merge and
/// unmerge call it for the members they changed. It runs inside the caller's write transaction, so
/// it is all-or-nothing with the change itself.
enum MemberRefresh {
    /// An existing order now held by another member (`UPDATE orders SET member_id = to`).
    struct MovedOrder: Sendable, Hashable {
        var order: Int64
        var from: Int64
        var to: Int64
    }

    /// What changed. Fields default to "nothing", so a caller names only what it did.
    struct Change {
        /// Orders a load appended, not yet in any list or stats row: merged in (no order rescan).
        var newOrders = NewOrders()
        /// Existing orders given to another member: moved between the two lists, both members'
        /// stats recomputed from their orders.
        var moved: [MovedOrder] = []
        /// Members whose existing orders changed otherwise (status, amount, time): stats recomputed.
        var ordersChanged: Set<Int64> = []
        /// Members whose row changed or who were created (nick, name, phone, status…): tiers, search
        /// and RFM follow. The members of `moved` and `ordersChanged` are added by the refresh. A
        /// member no longer in the member table loses its stats, list, search rank and RFM row.
        var members: Set<Int64> = []
        /// Of those, the members whose searchable text (nick, name, phone) may have changed or who
        /// were created; nil = all of them. The others (new orders only) put nothing in the search
        /// delta unless their rank moves (SearchIndex.refresh).
        var textChanged: Set<Int64>? = nil
        /// A bulk load: everyone may have changed. The merges read whole tables in order, the bulk
        /// indexes are rebuilt, everyone is upgraded and the search index rebuilt (from `early`
        /// pairs when the load made them).
        var everyone = false
        var early: EarlyPairs? = nil
        /// A bulk load into a store that had members: those it created and those whose text it
        /// wrote, so the search postings are merged (SearchMerge) rather than rebuilt.
        var bulkTexts: (created: [Int64], written: Set<Int64>)? = nil
        /// With `bulkTexts`: the extra posting set made from their texts meanwhile (EarlyExtra).
        var earlyExtra: EarlyExtra? = nil
        /// When set, the stored RFM (member_rfm, the summary) is brought up to this as-of day with
        /// the shop's saved settings; nil leaves it as it is (RFMFreshness then says it is stale).
        var rfmAsOf: Day? = nil
        /// Every member's RFM as the write found them, read meanwhile on a second connection
        /// (RFMBase): then only the changed members are measured again.
        var rfmBase: RFMBase? = nil
        /// Members may have been deleted (merge): their derived rows are looked for and removed.
        /// An import deletes nobody and skips the look-up.
        var membersMayBeGone = false
        /// The search index is left as it is: the merge preview works the merge out on a copy of
        /// two members' rows (MergeCopy), where it has no index to follow and shows none.
        var leavesSearch = false

        init(members: Set<Int64> = [], moved: [MovedOrder] = [], rfmAsOf: Day? = nil) {
            self.members = members; self.moved = moved; self.rfmAsOf = rfmAsOf
        }
    }

    struct Outcome: Sendable {
        /// Members auto-upgraded to a higher tier.
        var upgraded = 0
        /// "early" or "table" after a rebuild of the search index, "merged" after a merge into the
        /// built postings (SearchMerge), "extra" after a second posting set was built beside them
        /// (SearchExtra), "members" after a refresh of the members' rows only.
        var searchBuild = ""
        /// "extra" from postings made meanwhile (EarlyExtra).
        var searchEarly = false
        /// "all" (recomputed for every member), "members" (only the changed members' rows) or "" (left).
        var rfm = ""
    }

    /// For merge and unmerge: after orders moved between members (or member rows changed or went),
    /// everything derived for those members, and RFM as of `rfmAsOf` (today by default).
    @discardableResult
    static func refresh(_ db: Database, members: Set<Int64>, moved: [MovedOrder] = [],
                        rfmAsOf: Day? = Clock.today(), leavesSearch: Bool = false) throws -> Outcome {
        var change = Change(members: members, moved: moved, rfmAsOf: rfmAsOf)
        change.membersMayBeGone = true
        change.leavesSearch = leavesSearch
        return try refresh(db, &change)
    }

    /// The refresh itself, in the order each step needs: lists and stats first (from the new
    /// orders, then recomputed for changed members through their lists), tiers from the stats,
    /// search ranks from the stats, RFM last. `change` is emptied as it goes (a load's new orders
    /// are freed before the index builds allocate). `mark` names each finished phase (benchmark).
    static func refresh(_ db: Database, _ change: inout Change, mark: (String) -> Void = { _ in }) throws -> Outcome {
        var outcome = Outcome()
        let bulk = change.everyone
        // The new paid orders go into member_stats first, so the paid-order columns are freed
        // before the index builds allocate their sort buffers (peak memory), and member_stats gets
        // its indexes from the finished table instead of row by row.
        // A load applies its changes to the list orders itself, sorted, their triggers off meanwhile
        // (ListOrders: kept by the triggers, the daily import's 5,000 rows cost twice the indexes' CPU).
        let lists = change.newOrders.paidCount > 0 || change.newOrders.overflowed ? try ListOrders.suspend(db) : nil
        if change.newOrders.overflowed {
            // Values that did not fit the compact columns: from the orders table (also reflects every move).
            try MemberStatsUpdater.rebuildAll(db: db)
            lists?.rebuild = true
        } else {
            try MemberStatsUpdater.merge(change.newOrders, scanExisting: bulk, lists: lists, db: db)
            change.newOrders.releasePaidColumns()
        }
        mark("stats")
        if let lists {
            try lists.resume(db)
            mark("list orders")
        }
        if change.newOrders.overflowed || change.newOrders.idsDropped {
            try MemberOrderLists.rebuildAll(db)
        } else {
            try MemberOrderLists.merge(change.newOrders, scanExisting: bulk, db: db)
            try MemberOrderLists.move(change.moved, db: db)
        }
        change.newOrders = NewOrders()
        mark("lists")
        // A first import's early search pairs (EarlyPairs) keep the other core busy meanwhile.
        // Not a channel import's extra postings (EarlyExtra): there SQLite's second sorter thread
        // costs CPU but saves wall time. Two paired runs at 1M on a quiet machine: without it
        // indexes 1.52-1.64 s wall / 1.52-1.63 CPU, with it 1.22-1.23 / 2.06-2.10; the search
        // after them the same (0.72-0.81 s); the import 6.57-6.84 s wall against 6.76-7.15.
        if bulk { try Maintenance.createBulkIndexes(db, othersBusy: change.early != nil) }
        mark("indexes")
        // Reads each member's orders through the member_orders lists, complete by now.
        var recompute = change.ordersChanged
        for m in change.moved { recompute.insert(m.from); recompute.insert(m.to) }
        change.moved = []
        let touched = change.members.union(recompute)
        change.members = []
        change.ordersChanged = []
        defer { change.textChanged = nil }
        // Members merged away keep nothing derived (and get no stats row to recompute).
        let gone = bulk || !change.membersMayBeGone ? [] : try dropGone(touched, db)
        recompute.subtract(gone)
        if !recompute.isEmpty { try MemberStatsUpdater.recompute(members: recompute.sorted(), db: db) }
        mark("restats")
        outcome.upgraded = try TierUpgrader.autoUpgrade(db, members: bulk ? nil : touched)
        mark("tiers")
        if bulk {
            Maintenance.startWriteback(db)   // stats, lists and indexes, while the search build computes
            let early = change.early
            change.early = nil
            let texts = change.bulkTexts
            change.bulkTexts = nil
            let earlyExtra = change.earlyExtra
            change.earlyExtra = nil
            defer { earlyExtra?.cancel() }   // not used (a merge, a rebuild): its sorting threads stop
            // Beside the built postings (SearchExtra) or merged into them (SearchMerge).
            let merge = try early == nil ? texts.map {
                try SearchIndex.large(db, touched: recompute, textChanged: $0.written, created: $0.created, early: earlyExtra)
            } : nil
            outcome.searchEarly = earlyExtra?.used ?? false
            switch merge {
            case .extra?: outcome.searchBuild = "extra"
            case .merged?: outcome.searchBuild = "merged"
            case .rebuilt?: outcome.searchBuild = "table"   // the merge found postings it could not map, and rebuilt
            case .declined?, nil: outcome.searchBuild = try SearchIndex.rebuildAll(db, early: early) ? "early" : "table"
            }
        } else if !change.leavesSearch {
            switch try SearchIndex.refresh(db, members: touched, textChanged: change.textChanged) {
            case .members: outcome.searchBuild = "members"
            case .extra: outcome.searchBuild = "extra"
            case .merged: outcome.searchBuild = "merged"
            case .rebuilt: outcome.searchBuild = "table"
            }
        }
        mark("search")
        if let asOf = change.rfmAsOf {
            outcome.rfm = try RFMEngine.refresh(db, members: bulk ? nil : touched, asOf: asOf, base: change.rfmBase)
            change.rfmBase = nil
            mark("rfm")
        }
        return outcome
    }

    /// Members that no longer exist (merged away) keep no stats, list or RFM row. (Their search
    /// rank goes in SearchIndex.refresh.)
    private static func dropGone(_ members: Set<Int64>, _ db: Database) throws -> Set<Int64> {
        let exists = try RawStatement(db, "SELECT 1 FROM member WHERE id = ?")
        var gone: [Int64] = []
        for m in members {
            exists.bind(1, m)
            if try !exists.next() { gone.append(m) }
            sqlite3_reset(exists.handle)
        }
        for table in ["member_stats", "member_orders", "member_rfm"] where !gone.isEmpty {
            let delete = try RawStatement(db, "DELETE FROM \(table) WHERE member_id = ?")
            for m in gone { delete.bind(1, m); try delete.step() }
        }
        return Set(gone)
    }
}
