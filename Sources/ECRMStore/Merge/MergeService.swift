import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Duplicate candidates, merge and unmerge (PRODUCT.md: One member across channels). Every call is
/// one transaction that checks the operator's role inside it; merge, unmerge and dismiss are the
/// owner's, and each refusal is one line, audited, with nothing changed.
public struct MergeService: Sendable {
    public let store: Store
    public let language: MessageLanguage
    public init(store: Store, language: MessageLanguage = StoreMessages.language) { self.store = store; self.language = language }

    // MARK: candidates

    /// One candidate pair: both members (phones masked) and the evidence.
    public struct Candidate: Sendable, Equatable {
        public var a: MemberSummary
        public var b: MemberSummary
        public var evidence: [DuplicateEvidence]
        public init(a: MemberSummary, b: MemberSummary, evidence: [DuplicateEvidence]) { self.a = a; self.b = b; self.evidence = evidence }
    }

    public struct Candidates: Sendable, Equatable {
        public var pairs: [Candidate]
        /// Keys shared by too many members to be one person (a shop phone, a reseller).
        public var crowded: [CrowdedKey]
    }

    /// Every candidate pair in the store, strongest evidence first; dismissed pairs never come back.
    public func duplicates() throws -> Candidates {
        try store.read(.require(.lookUp)) { db in try Self.candidates(db, store) }
    }

    /// The same in a read the caller holds.
    static func candidates(_ db: Database, _ store: Store) throws -> Candidates {
        store.duplicateScans.add()
        let found = try DuplicateFinder.find(db)
        let ids = Set(found.pairs.flatMap { [$0.pair.low, $0.pair.high] })
        let byId = Dictionary(try MemberQueries.summaries(db, ids: Array(ids)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let pairs = found.pairs.compactMap { c -> Candidate? in
            guard let a = byId[c.pair.low], let b = byId[c.pair.high] else { return nil }
            return Candidate(a: a, b: b, evidence: c.evidence)
        }
        return Candidates(pairs: pairs, crowded: found.crowded)
    }

    /// One member's card and identities, for reviewing a pair side by side (any operator; phones masked).
    public struct Card: Sendable, Equatable {
        public var detail: MemberDetail
        public var identities: [MemberIdentity]
    }

    public func card(_ id: Int64, asOf: Day = Clock.today()) throws -> Card? {
        try store.read(.require(.lookUp)) { db in
            guard let d = try MemberQueries.detail(db, id: id, asOf: asOf) else { return nil }
            return Card(detail: d, identities: try Identities.list(db, member: id))
        }
    }

    /// The owner says two members are two people: the pair is never offered again. Audited.
    public func dismiss(_ keyA: String, _ keyB: String) throws {
        try write("duplicates.dismiss", .dismissDuplicate, target: "\(keyA) \(keyB)") { db in
            let a = try member(db, keyA), b = try member(db, keyB)
            guard a.id != b.id else { throw MergeRefusal.sameMember(keyA) }
            let pair = DuplicatePair(a.id, b.id)
            try db.execute(sql: """
                INSERT INTO duplicate_dismissed(low, high, dismissed_at, dismissed_by, how) VALUES (?, ?, ?, ?, 'dismiss')
                ON CONFLICT(low, high) DO NOTHING
                """, arguments: [pair.low, pair.high, Clock.nowString(), store.operatorName])
            try decideCandidates(db, pair, state: "dismissed")
            let (low, high) = a.id < b.id ? (a, b) : (b, a)
            try Audit.record(db, operator: store.operatorName, action: "duplicates.dismiss", target: "\(low.buyerId) \(high.buyerId)",
                             before: nil, after: "dismissed", reason: nil)
        }
    }

    // MARK: merge

    /// What a merge would give (or gave): both members before, the merged card, what moves.
    public struct MergePreview: Sendable, Equatable {
        public var keep: MemberDetail
        public var other: MemberDetail
        public var keepIdentities: [MemberIdentity]
        public var otherIdentities: [MemberIdentity]
        /// The merged member's card as the merge leaves it.
        public var merged: MemberDetail
        public var ordersMoving: Int
        public var notesMoving: Int
        public var identitiesMoving: Int
        /// The combined totals reach a higher tier than either had.
        public var raisedByTotal: Bool
        /// One of the two is blacklisted: the merged member is, and gets no discount.
        public var blacklistCarried: Bool
    }

    /// The merge worked out in full on a copy of the two members' rows and thrown away (MergeCopy):
    /// a read, so it takes no write lock, and the preview is exactly what `merge` would do.
    /// Owner only (a merge is the owner's); a refusal is audited like the merge's.
    public func preview(keep: String, other: String) throws -> MergePreview {
        let target = "\(keep) \(other)"
        return try store.read(.require(.mergeMembers, target: target)) { db in
            try refusing("member.merge", target: target) {
                let (k, o) = try pair(db, keep, other)
                return try MergeCopy.run(db, members: [k.id, o.id]) { try perform(db, k, o, onCopy: true) }
            }
        }
    }

    /// Merges `other` into `keep` in one transaction (owner; audited with both members' before-state).
    @discardableResult
    public func merge(keep: String, other: String) throws -> MergePreview {
        try write("member.merge", .mergeMembers, target: "\(keep) \(other)", foreignKeysOff: true) { db in
            let (k, o) = try pair(db, keep, other)
            return try perform(db, k, o)
        }
    }

    /// The two members a merge names, refused when they are one.
    private func pair(_ db: Database, _ keepKey: String, _ otherKey: String) throws -> (keep: (id: Int64, buyerId: String), other: (id: Int64, buyerId: String)) {
        let keep = try member(db, keepKey), other = try member(db, otherKey)
        guard keep.id != other.id else { throw MergeRefusal.sameMember(keepKey) }
        return (keep, other)
    }

    /// `onCopy`: the preview's copy (MergeCopy), where the search index (not on the card) is left out.
    private func perform(_ db: Database, _ keep: (id: Int64, buyerId: String), _ other: (id: Int64, buyerId: String),
                         onCopy: Bool = false) throws -> MergePreview {
        let rfmCurrent = try MergeRFM.rowsAreCurrent(db)
        let user = store.operatorName, now = Clock.nowString()
        let keepBefore = try MemberQueries.detail(db, id: keep.id)!, otherBefore = try MemberQueries.detail(db, id: other.id)!
        let keepIdentities = try Identities.list(db, member: keep.id), otherIdentities = try Identities.list(db, member: other.id)
        let keepRow = try RowSnapshot.capture(db, "member", key: "id", keep.id)!
        let otherRow = try RowSnapshot.capture(db, "member", key: "id", other.id)!
        let ladder = try TierStore.liveLadder(db) ?? .initial
        let keepSide = try side(db, keep.id, keepRow), otherSide = try side(db, other.id, otherRow)
        let standing = MergeRules.merged(keep: keepSide, other: otherSide, ladder: ladder)

        // Identities: the absorbed member's implicit Taobao identity becomes a row first, so its
        // orders name it and follow it back on unmerge.
        let materialized = try Identities.materialize(db, member: other.id, by: user)
        let moves = try Row.fetchAll(db, sql: "SELECT id, how FROM member_identity WHERE member_id = ? ORDER BY id", arguments: [other.id])
            .map { MergeSnapshot.IdentityMove(row: $0[0], how: $0[1]) }
        try db.execute(sql: "UPDATE member_identity SET member_id = ?, how = 'merge' WHERE member_id = ?", arguments: [keep.id, other.id])
        // Orders.
        let orders = try MemberOrderLists.ids(of: other.id, db)
        let moveOrder = try db.cachedStatement(sql: "UPDATE orders SET member_id = ? WHERE order_id = ?")
        for o in orders { try moveOrder.execute(arguments: [keep.id, o]) }
        // Notes and tags.
        let notes = try Int64.fetchAll(db, sql: "SELECT id FROM member_note WHERE member_id = ? ORDER BY id", arguments: [other.id])
        try db.execute(sql: "UPDATE member_note SET member_id = ? WHERE member_id = ?", arguments: [keep.id, other.id])
        let otherTags = try Int64.fetchAll(db, sql: "SELECT tag_id FROM member_tag WHERE member_id = ? ORDER BY tag_id", arguments: [other.id])
        let keepTags = try Int64.fetchAll(db, sql: "SELECT tag_id FROM member_tag WHERE member_id = ? ORDER BY tag_id", arguments: [keep.id])
        try db.execute(sql: "INSERT OR IGNORE INTO member_tag(tag_id, member_id) SELECT tag_id, ? FROM member_tag WHERE member_id = ?",
                       arguments: [keep.id, other.id])
        // The survivor's empty profile fields take the absorbed member's (a masked phone gives way to a clear one).
        var filled: [String: SnapValue] = [:]
        for column in ["name", "phone", "gender", "birthday", "province", "city", "card_no"] {
            let mine = text(keepRow[column]), theirs = text(otherRow[column])
            guard !theirs.isEmpty else { continue }
            let replace = mine.isEmpty || (column == "phone" && Phone.isMasked(mine) && !Phone.isMasked(theirs))
            if replace { filled[column] = otherRow[column]! }
        }
        if case .text(let t)? = otherRow["joined_at"], text(keepRow["joined_at"]).isEmpty || t < text(keepRow["joined_at"]) {
            filled["joined_at"] = .text(t)
        }
        let keepRFM = try RowSnapshot.capture(db, "member_rfm", key: "member_id", keep.id)
        let otherRFM = try RowSnapshot.capture(db, "member_rfm", key: "member_id", other.id)
        let otherBaseline = try RowSnapshot.capture(db, TierBaseline.table, key: "member_id", other.id)
        // The absorbed member goes. Its orders, notes and identities are the survivor's by now; its
        // tags and baseline go here, its stats, order list and RFM row in MemberRefresh. Foreign keys
        // are off in this transaction (Store.write's foreignKeysOff): with them on, deleting a member makes SQLite scan
        // every order for one still naming it (orders(member_id) has no index: 0.3 s of CPU at 5M).
        try db.execute(sql: "DELETE FROM member_tag WHERE member_id = ?", arguments: [other.id])
        try db.execute(sql: "DELETE FROM member_tier_baseline WHERE member_id = ?", arguments: [other.id])
        try db.execute(sql: "DELETE FROM member WHERE id = ?", arguments: [other.id])
        var sets = ["tier = ?", "tier_source = ?", "status = ?", "updated_at = ?"]
        var args: [DatabaseValueConvertible?] = [standing.tier, standing.manual ? "manual" : "auto", standing.blacklisted ? "blacklist" : "normal", now]
        for (column, value) in filled.sorted(by: { $0.key < $1.key }) { sets.append("\(column) = ?"); args.append(value.databaseValue) }
        args.append(keep.id)
        try db.execute(sql: "UPDATE member SET \(sets.joined(separator: ", ")) WHERE id = ?", arguments: StatementArguments(args))
        try setBaseline(db, keep.id, standing.baseline, by: user)
        // Derived data: lists, stats, tier auto-upgrade, search. The stored RFM row follows the merge
        // rule below rather than a whole-shop recompute inside this transaction.
        try MemberRefresh.refresh(db, members: [keep.id, other.id], moved: orders.map { .init(order: $0, from: other.id, to: keep.id) }, rfmAsOf: nil,
                                  leavesSearch: onCopy)
        try MergeRFM.refreshRow(db, member: keep.id, prior: [keepRFM, otherRFM].compactMap(MergeRFM.score))
        try MergeRFM.finish(db, wasCurrent: rfmCurrent)
        try Self.ruleTags(db, members: [keep.id])
        try decideCandidates(db, DuplicatePair(keep.id, other.id), state: "merged")

        let snapshot = MergeSnapshot(otherRow: otherRow, otherBaseline: otherBaseline, otherRFM: otherRFM, identities: moves,
                                     materialized: materialized, notes: notes, otherTags: otherTags, keepTags: keepTags,
                                     keepRow: keepRow, keepBaseline: keepSide.baseline, keepRFM: keepRFM, filled: filled,
                                     mergedStatus: standing.blacklisted ? "blacklist" : "normal", mergedBaseline: standing.baseline)
        try db.execute(sql: """
            INSERT INTO member_merge(keep_id, other_id, keep_buyer, other_buyer, merged_at, merged_by, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [keep.id, other.id, keep.buyerId, other.buyerId, now, user, String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)])
        let merged = try MemberQueries.detail(db, id: keep.id)!
        try Audit.record(db, operator: user, action: "member.merge", target: "\(keep.buyerId) ← \(other.buyerId)",
                         before: try auditState(["keep": keepBefore, "other": otherBefore]),
                         after: try auditState(["merged": merged]), reason: nil)
        return MergePreview(keep: keepBefore, other: otherBefore, keepIdentities: keepIdentities, otherIdentities: otherIdentities,
                            merged: merged, ordersMoving: orders.count, notesMoving: notes.count, identitiesMoving: otherIdentities.count,
                            raisedByTotal: standing.raisedByTotal, blacklistCarried: standing.blacklistCarried)
    }

    // MARK: unmerge

    public struct Unmerged: Sendable, Equatable {
        public var keep: String
        public var other: String
        public var ordersBack: Int
        public var identitiesBack: Int
        public var keepTier: Int
        public var otherTier: Int
    }

    /// Undoes a merge: `key` names the absorbed member (its buyer id) or the survivor (its latest
    /// merge). Both members get back the identities and orders each had (orders that arrived since
    /// go with their identity); tags and notes added since stay with the survivor; no tier goes down.
    @discardableResult
    public func unmerge(_ key: String) throws -> Unmerged {
        try write("member.unmerge", .unmergeMembers, target: key) { db in
            return try undo(db, key)
        }
    }

    private func undo(_ db: Database, _ rawKey: String) throws -> Unmerged {
        let key = rawKey.trimmingSpaces()
        let user = store.operatorName, now = Clock.nowString()
        let rfmCurrent = try MergeRFM.rowsAreCurrent(db)
        var logId = try Int64.fetchOne(db, sql: "SELECT id FROM member_merge WHERE other_buyer = ? AND unmerged_at IS NULL ORDER BY id DESC LIMIT 1",
                                       arguments: [key])
        if logId == nil {
            guard let id = try MemberQueries.resolve(db, key) else { throw MergeRefusal.unknownMember(key) }
            logId = try Int64.fetchOne(db, sql: "SELECT id FROM member_merge WHERE keep_id = ? AND unmerged_at IS NULL ORDER BY id DESC LIMIT 1",
                                       arguments: [id])
        }
        guard let logId, let log = try Row.fetchOne(db, sql: "SELECT keep_id, other_id, keep_buyer, other_buyer, snapshot FROM member_merge WHERE id = ?",
                                                    arguments: [logId]) else { throw MergeRefusal.neverMerged(key) }
        let keepId: Int64 = log[0], otherId: Int64 = log[1], keepBuyer: String = log[2], otherBuyer: String = log[3]
        let snap = try JSONDecoder().decode(MergeSnapshot.self, from: Data((log[4] as String).utf8))
        guard let keepNow = try RowSnapshot.capture(db, "member", key: "id", keepId) else {
            let into = try String.fetchOne(db, sql: "SELECT keep_buyer FROM member_merge WHERE other_id = ? AND unmerged_at IS NULL ORDER BY id DESC LIMIT 1",
                                           arguments: [keepId]) ?? "?"
            throw MergeRefusal.laterMerge(into, newer: keepBuyer)
        }
        if let newer = try String.fetchOne(db, sql: "SELECT other_buyer FROM member_merge WHERE keep_id = ? AND unmerged_at IS NULL AND id > ? ORDER BY id DESC LIMIT 1",
                                           arguments: [keepId, logId]) {
            throw MergeRefusal.laterMerge(keepBuyer, newer: newer)
        }
        // The absorbed member's row as it was; its id and buyer id if still free (a new member may
        // have taken either since: then a new id, and its Taobao identity stays a row).
        var replacing: [String: SnapValue] = [:]
        let idFree = try Int.fetchOne(db, sql: "SELECT 1 FROM member WHERE id = ?", arguments: [otherId]) == nil
        if !idFree { replacing["id"] = .int((try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0) + 1) }
        let buyerFree = try Int.fetchOne(db, sql: "SELECT 1 FROM member WHERE buyer_id = ?", arguments: [otherBuyer]) == nil
        var implicitAgain = snap.materialized != nil
        if !buyerFree {
            replacing["buyer_id"] = .text(try Identities.freeHandle(db, otherBuyer, channel: .taobao))
            replacing["channel"] = .text(Channel.taobao.rawValue)
            implicitAgain = false
        }
        try snap.otherRow.insert(db, "member", replacing: replacing)
        let other: Int64 = idFree ? otherId : db.lastInsertedRowID
        // Its identities, then the orders that came through them (those since the merge too).
        let rows = try Int64.fetchAll(db, sql: "SELECT id FROM member_identity WHERE member_id = ?", arguments: [keepId])
        let mine = Dictionary(snap.identities.map { ($0.row, $0.how) }, uniquingKeysWith: { a, _ in a })
        let back = rows.filter { mine[$0] != nil }
        let setIdentity = try db.cachedStatement(sql: "UPDATE member_identity SET member_id = ?, how = ? WHERE id = ?")
        for row in back { try setIdentity.execute(arguments: [other, mine[row]!, row]) }
        let backSet = Set(back)
        let identityOf = try db.cachedStatement(sql: "SELECT identity_id FROM orders WHERE order_id = ?")
        var orders: [Int64] = []
        for o in try MemberOrderLists.ids(of: keepId, db) {
            if let identity = try Int64.fetchOne(identityOf, arguments: [o]), backSet.contains(identity) { orders.append(o) }
        }
        let moveOrder = try db.cachedStatement(sql: "UPDATE orders SET member_id = ? WHERE order_id = ?")
        for o in orders { try moveOrder.execute(arguments: [other, o]) }
        if implicitAgain, let row = snap.materialized, backSet.contains(row) {
            // Implicit again, as before the merge: its orders name no identity row.
            let clear = try db.cachedStatement(sql: "UPDATE orders SET identity_id = NULL WHERE order_id = ? AND identity_id = ?")
            for o in orders { try clear.execute(arguments: [o, row]) }
            try db.execute(sql: "DELETE FROM member_identity WHERE id = ?", arguments: [row])
        }
        // Notes and tags it had; the survivor keeps what was added since.
        let moveNote = try db.cachedStatement(sql: "UPDATE member_note SET member_id = ? WHERE id = ? AND member_id = ?")
        for n in snap.notes { try moveNote.execute(arguments: [other, n, keepId]) }
        let addTag = try db.cachedStatement(sql: "INSERT OR IGNORE INTO member_tag(tag_id, member_id) SELECT id, ? FROM tag WHERE id = ?")
        for t in snap.otherTags { try addTag.execute(arguments: [other, t]) }
        let dropTag = try db.cachedStatement(sql: "DELETE FROM member_tag WHERE tag_id = ? AND member_id = ?")
        for t in Set(snap.otherTags).subtracting(snap.keepTags) { try dropTag.execute(arguments: [t, keepId]) }
        // The survivor's fields the merge filled go back unless changed since; so does its standing
        // when the merge carried a blacklist that is still there.
        var sets: [String] = [], args: [DatabaseValueConvertible?] = []
        for (column, value) in snap.filled.sorted(by: { $0.key < $1.key }) where keepNow[column] == value {
            sets.append("\(column) = ?"); args.append((snap.keepRow[column] ?? .null).databaseValue)
        }
        if text(keepNow["status"]) == snap.mergedStatus, let was = snap.keepRow["status"], was != keepNow["status"] {
            sets.append("status = ?"); args.append(was.databaseValue)
        }
        // No tier goes down: the restored member keeps at least the merged member's tier.
        let mergedTier = Int(integer(keepNow["tier"]))
        let otherTier = MergeRules.unmergedTier(before: Int(integer(snap.otherRow["tier"])), mergedNow: mergedTier)
        if otherTier > Int(integer(snap.otherRow["tier"])) {
            try db.execute(sql: "UPDATE member SET tier = ?, tier_source = ? WHERE id = ?", arguments: [otherTier, text(keepNow["tier_source"]), other])
        }
        if !sets.isEmpty {
            sets.append("updated_at = ?"); args.append(now); args.append(keepId)
            try db.execute(sql: "UPDATE member SET \(sets.joined(separator: ", ")) WHERE id = ?", arguments: StatementArguments(args))
        }
        // Baselines: the absorbed member's as it was; the survivor's without the returning totals.
        if let b = snap.otherBaseline { try b.insert(db, TierBaseline.table, replacing: ["member_id": .int(other)]) }
        var returningSum: Fen = 0, returningCount = 0
        let paid = try db.cachedStatement(sql: "SELECT amount FROM orders WHERE order_id = ? AND status = 'paid'")
        for o in orders { if let a = try Int64.fetchOne(paid, arguments: [o]) { returningSum += a; returningCount += 1 } }
        let keepBaselineNow = try TierBaseline.row(db, memberId: keepId)
        try setBaseline(db, keepId, MergeRules.survivorBaseline(now: keepBaselineNow, atMerge: snap.mergedBaseline, before: snap.keepBaseline,
                                                                 returningSum: returningSum, returningCount: returningCount), by: user)
        try MemberRefresh.refresh(db, members: [keepId, other], moved: orders.map { .init(order: $0, from: keepId, to: other) }, rfmAsOf: nil)
        try MergeRFM.refreshRow(db, member: keepId, prior: [snap.keepRFM].compactMap(MergeRFM.score))
        try MergeRFM.refreshRow(db, member: other, prior: [snap.otherRFM].compactMap(MergeRFM.score))
        try MergeRFM.finish(db, wasCurrent: rfmCurrent)
        try Self.ruleTags(db, members: [keepId, other])
        // Unmerged means two people: the pair is not offered as a candidate again.
        let pair = DuplicatePair(keepId, other)
        try db.execute(sql: """
            INSERT INTO duplicate_dismissed(low, high, dismissed_at, dismissed_by, how) VALUES (?, ?, ?, ?, 'unmerge')
            ON CONFLICT(low, high) DO NOTHING
            """, arguments: [pair.low, pair.high, now, user])
        try db.execute(sql: "UPDATE member_merge SET unmerged_at = ?, unmerged_by = ? WHERE id = ?", arguments: [now, user, logId])
        let keepAfter = try MemberQueries.detail(db, id: keepId)!, otherAfter = try MemberQueries.detail(db, id: other)!
        try Audit.record(db, operator: user, action: "member.unmerge", target: "\(keepBuyer) → \(otherAfter.summary.buyerId)",
                         before: nil, after: try auditState(["keep": keepAfter, "other": otherAfter]), reason: nil)
        return Unmerged(keep: keepBuyer, other: otherAfter.summary.buyerId, ordersBack: orders.count, identitiesBack: back.count,
                        keepTier: keepAfter.summary.tier, otherTier: otherAfter.summary.tier)
    }

    // MARK: helpers

    /// Rule tags follow their rules for the members a merge or unmerge changed (a spend rule the
    /// merged total now meets); the rest of the shop is left as the last evaluation made it.
    static func ruleTags(_ db: Database, members: [Int64]) throws {
        for row in try Row.fetchAll(db, sql: "SELECT id, rule FROM tag WHERE rule IS NOT NULL") {
            guard let rule = try? RuleTags.parse(row[1]) else { continue }
            let tag: Int64 = row[0]
            // The rule's members among these, read as every member set is (MemberSetSQL).
            var only = rule.ruleTagConditions
            only.members = members
            let hits = Set(try MemberSetSQL.allIds(db, .rule(only)))
            for m in members {
                let hit = hits.contains(m)
                try db.execute(sql: hit ? "INSERT OR IGNORE INTO member_tag(tag_id, member_id) VALUES (?, ?)" : "DELETE FROM member_tag WHERE tag_id = ? AND member_id = ?",
                               arguments: [tag, m])
            }
        }
    }

    /// Store.write (one IMMEDIATE transaction, the operator's right checked inside it), with the
    /// merge's own refusals (an unknown member, never merged, …) made Refusals: the transaction
    /// rolls back, Store.translate writes them to the audit log and throws one line (StoreError).
    private func write<T>(_ action: String, _ right: OperatorAction, target: String, foreignKeysOff: Bool = false,
                          _ body: (Database) throws -> T) throws -> T {
        try store.write(.member, .require(right, target: target), foreignKeysOff: foreignKeysOff) { db, _ in
            try refusing(action, target: target) { try body(db) }
        }
    }

    /// The merge's own refusals as Refusals (Store.translate audits them and throws one line).
    private func refusing<T>(_ action: String, target: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let r as MergeRefusal {
            let message = r.message(language)
            let error: StoreError
            if case .unknownMember = r { error = .notFound(message) } else { error = .invalid(message) }
            throw Refusal(action: action, target: target, message: message, thrown: error)
        }
    }

    private func member(_ db: Database, _ key: String) throws -> (id: Int64, buyerId: String) {
        let k = key.trimmingSpaces()
        guard !k.isEmpty, let id = try MemberQueries.resolve(db, k),
              let buyer = try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [id]) else {
            throw MergeRefusal.unknownMember(k)
        }
        return (id, buyer)
    }

    private func side(_ db: Database, _ id: Int64, _ row: RowSnapshot) throws -> MergeSide {
        let stats = try Row.fetchOne(db, sql: "SELECT paid_sum, paid_count FROM member_stats WHERE member_id = ?", arguments: [id])
        return MergeSide(tier: Int(integer(row["tier"])), manual: text(row["tier_source"]) == "manual", blacklisted: text(row["status"]) == "blacklist",
                         paidSum: stats?[0] ?? 0, paidCount: stats?[1] ?? 0, baseline: try TierBaseline.row(db, memberId: id))
    }

    private func setBaseline(_ db: Database, _ id: Int64, _ b: TierProgressBaseline?, by user: String) throws {
        guard let b else {
            try db.execute(sql: "DELETE FROM member_tier_baseline WHERE member_id = ?", arguments: [id])
            return
        }
        try db.execute(sql: """
            INSERT INTO member_tier_baseline(member_id, paid_sum, paid_count, set_at, set_by) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(member_id) DO UPDATE SET paid_sum = excluded.paid_sum, paid_count = excluded.paid_count
            """, arguments: [id, b.sum, b.count, Clock.nowString(), user])
    }

    /// The import's recorded candidates for this pair are decided too.
    private func decideCandidates(_ db: Database, _ pair: DuplicatePair, state: String) throws {
        try db.execute(sql: """
            UPDATE duplicate_candidate SET state = ?, decided_at = ?, decided_by = ? WHERE member_a = ? AND member_b = ? AND state = 'open'
            """, arguments: [state, Clock.nowString(), store.operatorName, pair.low, pair.high])
    }

    private func auditState(_ members: [String: MemberDetail]) throws -> String {
        struct State: Encodable {
            var buyerId: String, nick: String, tier: Int, status: String, paidCount: Int, paidSum: Int64, tags: [String], notes: Int
        }
        let states = members.mapValues { d in
            State(buyerId: d.summary.buyerId, nick: d.summary.nick, tier: d.summary.tier, status: d.summary.status,
                  paidCount: d.summary.paidCount, paidSum: d.summary.paidSum, tags: d.tags, notes: d.notes.count)
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(states), as: UTF8.self)
    }
}

private func text(_ v: SnapValue?) -> String { if case .text(let s)? = v { s } else { "" } }
private func integer(_ v: SnapValue?) -> Int64 { if case .int(let i)? = v { i } else { 0 } }

/// The stored RFM row of a merged or unmerged member until the next recompute or import: measured
/// as of the last recompute's day with its settings (exact F, M, R, lifecycle), scored against
/// that recompute's stored scale (its quintile edges, or the custom edges, and its means). The
/// whole shop's quintiles are not recomputed for one merge (that reads every member): the next
/// import or `ecrm rfm` rescoring everyone corrects any member the merge moved across an edge.
/// A store without a stored scale (before it was kept) falls back to MergeRules.mergedScore.
enum MergeRFM {
    /// Whether member_rfm's rows are every member's exact measure now (RFMEngine.basisKey): asked
    /// before a merge changes anything, so that after re-measuring its two members the merge can
    /// say they still are (and the next small import need not measure everyone).
    static func rowsAreCurrent(_ db: Database) throws -> Bool {
        try RFMEngine.basisIsCurrent(db)
    }

    /// After the merge's rows: member_rfm follows member_stats again when it did before.
    static func finish(_ db: Database, wasCurrent: Bool) throws {
        // The rows were scored against the last scale, not the whole shop's quintiles: the next
        // import scores everyone (RFMDistribution).
        try RFMDistribution.clear(db)
        if wasCurrent { try RFMEngine.markBasis(db) }
    }

    /// Callers end with `finish`, which clears the kept distribution once.
    static func refreshRow(_ db: Database, member: Int64, prior: [RFMScore]) throws {
        guard let settings = try RFMEngine.lastSettings(db) else { return }
        var acc = RFMAccumulator(settings: settings)
        if let blob = try Data.fetchOne(db, sql: "SELECT paid_days FROM member_stats WHERE member_id = ?", arguments: [member]) {
            blob.withUnsafeBytes { PaidHistory.fold(blob: $0, into: &acc) }
        }
        let x = acc.measure()
        let s: RFMScore
        if let scale = try RFMEngine.lastScale(db), scale.quintiles == (settings.mode == .auto) {
            s = scale.score(x)
        } else {
            let summary = try RFMEngine.lastSummary(db)
            s = MergeRules.mergedScore(prior.first, prior.dropFirst().first, measure: x, mode: settings.mode,
                                       means: (summary?.meanR ?? 0, summary?.meanF ?? 0, summary?.meanM ?? 0))
        }
        try db.execute(sql: """
            INSERT INTO member_rfm(member_id, last_paid, frequency, monetary, f, m, segment, lifecycle, is_returning, window_exit)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(member_id) DO UPDATE SET last_paid = excluded.last_paid, frequency = excluded.frequency, monetary = excluded.monetary,
                f = excluded.f, m = excluded.m, segment = excluded.segment, lifecycle = excluded.lifecycle, is_returning = excluded.is_returning,
                window_exit = excluded.window_exit
            """, arguments: [member, x.lastPaid?.description ?? "", x.frequency, x.monetary, Int(s.f), Int(s.m), Int(s.segment.code),
                             Int(x.lifecycle(asOf: settings.asOf, windows: settings.lifecycle).code), x.isReturning ? 1 : 0, Int(acc.windowExit)])
    }

    /// A stored RFM row's scores, for the fallback without a stored scale (MergeRules.mergedScore).
    /// Rows keep no R since v21 (RFMDerivedR; the v21 migration stores a scale wherever rows are
    /// scored, so the fallback serves no scored row): a snapshot taken before it still has one.
    static func score(_ row: RowSnapshot?) -> RFMScore? {
        guard let row else { return nil }
        func u(_ c: String) -> UInt8 { UInt8(clamping: integer(row[c])) }
        return RFMScore(r: u("r"), f: u("f"), m: u("m"), segment: Segment(code: u("segment")) ?? .none)
    }
}
