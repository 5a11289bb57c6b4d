import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Campaigns with a random holdout (PRODUCT.md: Campaigns and their effect). Each call is one
/// transaction that checks the operator's role inside it; owners create and close, anyone looks.
public struct CampaignService: Sendable {
    public let store: Store
    public init(store: Store) { self.store = store }

    /// One member of a frozen target.
    public struct Member: Sendable, Equatable, Codable {
        public var memberId: Int64
        public var buyerId: String
        public var group: CampaignGroup
    }

    // MARK: create

    /// Freezes the target, splits it at random (reproducibly from `seed`), tags the treatment
    /// `活动:<name>` and audits, all in one write transaction. Refusals are worded in `language`.
    public func create(_ draft: CampaignDraft, target sets: [MemberSet], seed: UInt64, today: Day = Clock.today(),
                       language: MessageLanguage = .en) throws -> CampaignCreated {
        let user = store.operatorName
        // Store.write: other sessions' writes waiting meanwhile say whose campaign they wait for.
        return try store.write(.campaign, .require(.manageCampaigns)) { db in
            var timer = PhaseTimer()
            let names = Set(try String.fetchAll(db, sql: "SELECT name FROM campaign"))
            do { try CampaignRules.check(draft, today: today, existingNames: names) } catch let e as CampaignProblem { throw StoreError.invalid(e.message(language)) }
            let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
            let tagName = try TagName.validated(CampaignRules.tagName(name))
            if try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [tagName]) != nil {
                throw StoreError.conflict(language == .zh ? "已有标签“\(tagName)”：请换一个活动名称" : "a tag named '\(tagName)' already exists; choose another campaign name")
            }
            timer.mark("check")
            let (ids, blacklisted, computation) = try CampaignTarget.select(db, sets: sets, dayBefore: draft.start.adding(days: -1), timer: &timer)
            do { try CampaignRules.check(targetSize: ids.count, holdoutBasisPoints: draft.holdoutBasisPoints) } catch let e as CampaignProblem { throw StoreError.invalid(e.message(language)) }
            let groups = CampaignAssignment.assign(count: ids.count, holdoutBasisPoints: draft.holdoutBasisPoints, seed: seed)
            let control = groups.lazy.filter { $0 == .control }.count
            timer.mark("assign")
            let baseRate = try computation.map { CampaignOutcome.baseRate($0, start: draft.start, windowDays: draft.windowDays) }
                ?? CampaignOutcome.baseRate(db, start: draft.start, windowDays: draft.windowDays)
            timer.mark("base_rate")
            let now = Clock.nowString()
            try db.execute(sql: "INSERT INTO tag(name, rule, created_at, created_by) VALUES (?, NULL, ?, ?)", arguments: [tagName, now, user])
            let tagId = db.lastInsertedRowID
            // An explicit list (a search result, a saved list file, the whole store) is kept as its
            // frozen members only: its ids in the definition would be decoded by every list of campaigns.
            let definition = sets.map { set -> MemberSet in set.memberIds != nil ? .ids([]) : set }
            let targetJSON = String(decoding: try JSONEncoder().encode(definition), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO campaign(name, target, target_text, holdout_bp, seed, start_day, window_days, target_size,
                                     control_size, base_rate, tag_id, status, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
                """, arguments: [name, targetJSON, CampaignTarget.describe(sets), draft.holdoutBasisPoints, Int64(bitPattern: seed),
                                 draft.start.description, draft.windowDays, ids.count, control, baseRate, tagId, now, user])
            let id = db.lastInsertedRowID
            let insert = try BatchInsert(db, "INSERT INTO campaign_member(campaign_id, member_id, treatment)", values: "(?, ?, ?)", columns: 3)
            var k = 0
            try insert.insert(count: ids.count) { s, at in
                s.bind(at + 1, id); s.bind(at + 2, ids[k]); s.bind(at + 3, Int64(groups[k] == .treatment ? 1 : 0))
                k += 1
            }
            timer.mark("members")
            // The send list's tag, so customer service sees the campaign on the card.
            try db.execute(sql: "INSERT INTO member_tag(tag_id, member_id) SELECT ?, member_id FROM campaign_member WHERE campaign_id = ? AND treatment = 1",
                           arguments: [tagId, id])
            timer.mark("tag")
            let info = try CampaignQueries.info(db, id: id)!
            try Audit.record(db, operator: user, action: "campaign.create", target: name, before: nil,
                             after: "\(info.targetText): \(info.treatmentSize) treatment, \(info.controlSize) control (holdout \(CampaignRules.percentText(info.holdoutBasisPoints))%, seed \(seed), start \(info.start), \(info.windowDays) days)",
                             reason: nil)
            timer.mark("audit")
            var made = CampaignCreated(info: info, blacklistedLeftOut: blacklisted)
            made.phases = timer.summary
            return made
        }
    }

    // MARK: look

    /// Every campaign, newest first, with its last computed headline.
    public func list() throws -> [CampaignInfo] {
        try store.read(.require(.lookUp)) { db in try CampaignQueries.all(db) }
    }

    /// The outcome so far (one read transaction: computing it takes up to half a second on a large
    /// target, too long to hold the write lock). The headline it finds is then remembered for the
    /// list in a write of its own, best effort (see `remember`).
    public func report(_ key: String, today: Day = Clock.today()) throws -> CampaignReport {
        let report = try store.read(.require(.lookUp)) { db in
            try CampaignQueries.report(db, info: try CampaignQueries.find(db, key), today: today)
        }
        remember([Headline(campaign: report.info.id, uplift: report.effect.uplift, pValue: report.effect.pValue, statsVersion: report.statsVersion)])
        return report
    }

    /// Every campaign, newest first, with every headline current: the ones computed before the
    /// paid histories last changed (an import, an order edit) are recomputed from the response
    /// counts alone, a fraction of a full outcome, in one read transaction, then remembered.
    /// The Campaigns pane shows `list()` at once and calls this in the background.
    public func refreshHeadlines(today: Day = Clock.today()) throws -> [CampaignInfo] {
        let (infos, fresh) = try store.read(.require(.lookUp)) { db in
                let version = try StatsVersion.current(db)
                var infos = try CampaignQueries.all(db, version: version)
                var fresh: [Headline] = []
                for i in infos.indices where !infos[i].headlineCurrent {
                    let e = try CampaignOutcome.headline(db, campaign: infos[i].id, start: infos[i].start, windowDays: infos[i].windowDays)
                    infos[i].headlineUplift = e.uplift
                    infos[i].headlinePValue = e.pValue
                    infos[i].headlineAt = Clock.nowString()
                    infos[i].headlineCurrent = true
                    fresh.append(Headline(campaign: infos[i].id, uplift: e.uplift, pValue: e.pValue, statsVersion: version))
                }
                return (infos, fresh)
        }
        remember(fresh)
        return infos
    }

    struct Headline { var campaign: Int64; var uplift: Double; var pValue: Double; var statsVersion: Int64 }

    /// Remembers headlines for the list. Not `Store.write`: that waits for the lock and announces
    /// the wait; this gives up at once, so a busy or read-only store just keeps the older headline
    /// and no user ever sees an error or a "waiting for…" line for it. The no-wait flag is per
    /// thread, so it is set on the writer's thread, inside the closure.
    func remember(_ headlines: [Headline]) {
        guard !headlines.isEmpty else { return }
        _ = try? store.pool.writeWithoutTransaction { db in
            try store.withoutWaiting {
                try db.inTransaction(.immediate) {
                    let now = Clock.nowString()
                    for h in headlines {
                        try db.execute(sql: """
                            INSERT INTO campaign_headline(campaign_id, computed_at, uplift, p_value, stats_version)
                            SELECT id, ?, ?, ?, ? FROM campaign WHERE id = ?
                            ON CONFLICT(campaign_id) DO UPDATE SET computed_at = excluded.computed_at, uplift = excluded.uplift,
                                p_value = excluded.p_value, stats_version = excluded.stats_version
                            """, arguments: [now, h.uplift, h.pValue, h.statsVersion, h.campaign])
                    }
                    return .commit
                }
            }
        }
    }

    /// The frozen target with each member's group, in member order.
    public func members(_ key: String) throws -> (info: CampaignInfo, members: [Member]) {
        try store.read(.require(.lookUp)) { db in
            let info = try CampaignQueries.find(db, key)
            let rows = try Row.fetchAll(db, sql: """
                SELECT cm.member_id, coalesce(m.buyer_id, ''), cm.treatment FROM campaign_member cm
                LEFT JOIN member m ON m.id = cm.member_id WHERE cm.campaign_id = ? ORDER BY cm.member_id
                """, arguments: [info.id])
            return (info, rows.map { Member(memberId: $0[0], buyerId: $0[1], group: ($0[2] as Int) == 1 ? .treatment : .control) })
        }
    }

    /// Writes the send list (the treatment group) with the export's columns and phone rules and
    /// audits it with the phone rule used. Clear phones are owner-only. The right is checked in the
    /// read that finds the members (a refusal comes before any file exists) and again inside the
    /// write transaction that records the audit row; the file itself is written between the two,
    /// outside any write transaction, for the reasons the member export gives (Exporter.export),
    /// and is removed when its audit row cannot be written.
    public func exportTreatment(_ key: String, to path: String, settings: RFMSettings, reveal: Bool,
                                encoding: ListExport.Encoding = .utf8, headers: Exporter.Headers = .keys) throws -> (info: CampaignInfo, written: Int) {
        let (info, ids): (CampaignInfo, [Int64]) = try store.read(.require(reveal ? .clearExport : .export)) { db in
            let info = try CampaignQueries.find(db, key)
            return (info, try Int64.fetchAll(db, sql: "SELECT member_id FROM campaign_member WHERE campaign_id = ? AND treatment = 1", arguments: [info.id]))
        }
        let user = store.operatorName
        let written = try Exporter(store: store).export(to: path, settings: settings, set: .ids(ids),
                                                        reveal: reveal, encoding: encoding.csv, headers: headers) { db, written in
            try Audit.record(db, operator: user, action: "campaign.export", target: info.name, before: nil,
                             after: "\(written) treatment members to \(path), phones \(reveal ? "clear" : "masked")", reason: nil)
        }
        return (info, written)
    }

    /// Closes a campaign (owner): it stops counting as running; its target and outcome stay.
    @discardableResult
    public func close(_ key: String) throws -> CampaignInfo {
        try store.write(.campaign, .require(.manageCampaigns)) { db in
            let info = try CampaignQueries.find(db, key)
            guard !info.closed else { throw StoreError.conflict("campaign '\(info.name)' is already closed (\(info.closedAt ?? "") by \(info.closedBy ?? ""))") }
            try db.execute(sql: "UPDATE campaign SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ?",
                           arguments: [Clock.nowString(), store.operatorName, info.id])
            try Audit.record(db, operator: store.operatorName, action: "campaign.close", target: info.name, before: "open", after: "closed", reason: nil)
            return try CampaignQueries.info(db, id: info.id)!
        }
    }
}

enum CampaignQueries {
    static let columns = """
        c.id, c.name, c.target, c.target_text, c.holdout_bp, c.seed, c.start_day, c.window_days, c.target_size, c.control_size,
        c.base_rate, t.name, c.status, c.created_at, c.created_by, c.closed_at, c.closed_by, h.uplift, h.p_value, h.computed_at,
        h.stats_version
        FROM campaign c LEFT JOIN tag t ON t.id = c.tag_id LEFT JOIN campaign_headline h ON h.campaign_id = c.id
        """

    static func decode(_ r: Row, version: Int64?) -> CampaignInfo {
        let sets = (try? JSONDecoder().decode([MemberSet].self, from: Data((r[2] as String).utf8))) ?? []
        var info = CampaignInfo(id: r[0], name: r[1], target: sets, targetText: r[3], holdoutBasisPoints: r[4],
                            seed: UInt64(bitPattern: r[5] as Int64), start: Day.parse(r[6]) ?? Day(number: 0), windowDays: r[7],
                            targetSize: r[8], controlSize: r[9], baseRate: r[10], tag: r[11], closed: (r[12] as String) == "closed",
                            createdAt: r[13], createdBy: r[14], closedAt: r[15], closedBy: r[16],
                            headlineUplift: r[17], headlinePValue: r[18], headlineAt: r[19])
        info.headlineCurrent = version != nil && (r[20] as Int64?) == version
        return info
    }

    static func all(_ db: Database, version: Int64? = nil) throws -> [CampaignInfo] {
        let v = try version ?? StatsVersion.current(db)
        return try Row.fetchAll(db, sql: "SELECT \(columns) ORDER BY c.id DESC").map { decode($0, version: v) }
    }

    static func info(_ db: Database, id: Int64) throws -> CampaignInfo? {
        let v = try StatsVersion.current(db)
        return try Row.fetchOne(db, sql: "SELECT \(columns) WHERE c.id = ?", arguments: [id]).map { decode($0, version: v) }
    }

    /// By name, or by number (`12` or `#12`) when no campaign has that name.
    static func find(_ db: Database, _ key: String) throws -> CampaignInfo {
        let k = key.trimmingCharacters(in: .whitespacesAndNewlines)
        if let r = try Row.fetchOne(db, sql: "SELECT \(columns) WHERE c.name = ?", arguments: [k]) { return decode(r, version: try StatsVersion.current(db)) }
        if let n = Int64(k.hasPrefix("#") ? String(k.dropFirst()) : k), let i = try info(db, id: n) { return i }
        throw StoreError.notFound("no campaign '\(k)' (see: ecrm campaign list)")
    }

    static func report(_ db: Database, info: CampaignInfo, today: Day) throws -> CampaignReport {
        let t = try CampaignOutcome.tally(db, campaign: info.id, start: info.start, windowDays: info.windowDays)
        let treatment = GroupOutcome.tally(revenues: t.revenues[1], responders: t.responders[1].count)
        let control = GroupOutcome.tally(revenues: t.revenues[0], responders: t.responders[0].count)
        let elapsed = max(0, min(info.windowDays, today - info.start + 1))
        let daily = CampaignTimeline.cumulativeUplift(treatmentFirstDays: t.firstDays[1], treatmentMembers: treatment.members,
                                                      controlFirstDays: t.firstDays[0], controlMembers: control.members, days: elapsed)
        var r = CampaignReport(info: info, today: today, treatment: treatment, control: control,
                               effect: CampaignEffect(treatment: treatment, control: control), daily: daily,
                               overlap: try overlap(db, info: info, today: today),
                               treatmentResponders: t.responders[1], controlResponders: t.responders[0])
        r.statsVersion = try StatsVersion.current(db)
        r.info.headlineUplift = r.effect.uplift
        r.info.headlinePValue = r.effect.pValue
        r.info.headlineCurrent = true
        return r
    }

    /// Members of this target who are also in another campaign running today. The other campaigns'
    /// members are read in their stored order (one range each) against a bitmap of this target:
    /// probing each target member in every other campaign took most of an outcome's time once ten
    /// 140k-member campaigns were running.
    static func overlap(_ db: Database, info: CampaignInfo, today: Day) throws -> Int {
        let others = try all(db).filter { $0.id != info.id && $0.status(today: today) == .running }.map(\.id)
        guard !others.isEmpty else { return 0 }
        let ids = try Int64.fetchAll(db, sql: "SELECT member_id FROM campaign_member WHERE campaign_id = ?", arguments: [info.id])
        guard let maxId = ids.max(), maxId >= 0 else { return 0 }
        var target = [UInt64](repeating: 0, count: Int(maxId) / 64 + 1)
        for id in ids where id >= 0 { target[Int(id) / 64] |= 1 << UInt64(id % 64) }
        var seen = target.map { _ in UInt64(0) }
        var count = 0
        let scan = try RawStatement(db, "SELECT member_id FROM campaign_member WHERE campaign_id = ?")
        for other in others {
            scan.bind(1, other)
            while try scan.next() {
                let id = sqlite3_column_int64(scan.handle, 0)
                guard id >= 0, id <= maxId else { continue }
                let w = Int(id) / 64, bit = UInt64(1) << UInt64(id % 64)
                if target[w] & bit != 0 && seen[w] & bit == 0 { seen[w] |= bit; count += 1 }
            }
            sqlite3_reset(scan.handle)
        }
        return count
    }
}
