import Foundation
import GRDB
import ECRMDomain

/// The frozen target of a new campaign: members in every one of the given sets, blacklisted members
/// left out. Segment, lifecycle and grid sets are taken as of the day before the start with the
/// shop's RFM settings (computed, not read from the last stored `ecrm rfm`, which may be of another
/// day); tag, tier, region and listed sets are as they are now (they keep no history).
enum CampaignTarget {
    /// The target's members, how many blacklisted were left out, and the RFM computation as of the
    /// day before when one had to be made (its measures also give the base rate: CampaignOutcome).
    static func select(_ db: Database, sets: [MemberSet], dayBefore: Day,
                       timer: inout PhaseTimer) throws -> (ids: [Int64], blacklisted: Int, computation: RFMEngine.Computation?) {
        guard !sets.isEmpty else { throw StoreError.invalid("say which members: --segment, --lifecycle, --grid, --tag, --tags, --tier, --province or --list") }
        let settings = try RFMEngine.loadConfig(db).settings(asOf: dayBefore)
        // The stored computation is used when it is exactly the one needed (same day and settings,
        // every member in it), e.g. a send planned for tomorrow after today's `ecrm rfm`; any other
        // day is computed (about a second at 1M members).
        let stored = try storedComputationMatches(db, settings)
        timer.mark("freshness")
        var computation: RFMEngine.Computation?
        func rfm() throws -> RFMEngine.Computation {
            if let c = computation { return c }
            let c = try RFMEngine.compute(db, settings: settings)
            timer.mark("rfm")
            computation = c
            return c
        }
        var result: [Int64]?
        for set in sets {
            // An explicit list (a search result, a saved list file, the whole store) is already ids:
            // no round trip through SQL.
            if let list = set.memberIds {
                let ids = try existing(db, Array(Set(list)).sorted())
                result = result.map { intersect($0, ids) } ?? ids
                continue
            }
            // Refuses what any member set refuses (a grid cell out of range, an unknown tag) in the same words.
            _ = try MemberSetSQL.of(db, set)
            let rule = set.rule ?? MemberRule()
            var ids: [Int64]
            if rule.usesRFM && !stored {
                let c = try rfm()
                let part = rule.rfmPart
                ids = c.ids.indices.compactMap {
                    let s = c.scoring.scores[$0]
                    return part.matchesRFM(segment: s.segment, lifecycle: c.lifecycles[$0], r: Int(s.r), f: Int(s.f)) ? c.ids[$0] : nil
                }
                if !rule.withoutRFM.isEmpty { ids = intersect(ids, try MemberSetSQL.allIds(db, .rule(rule.withoutRFM))) }
            } else {
                ids = try MemberSetSQL.allIds(db, set)
            }
            result = result.map { intersect($0, ids) } ?? ids
        }
        timer.mark("sets")
        // Through the partial index member_blacklist (v16): only the blacklisted rows are read.
        // (A literal, not a bound value: SQLite uses a partial index only for a term it can see.)
        let black = Set(try Int64.fetchAll(db, sql: "SELECT id FROM member WHERE status = '\(MemberStatus.blacklist.rawValue)'"))
        let all = result ?? []
        let kept = black.isEmpty ? all : all.filter { !black.contains($0) }
        return (kept, all.count - kept.count, computation)
    }

    static func storedComputationMatches(_ db: Database, _ settings: RFMSettings) throws -> Bool {
        guard let last = try RFMEngine.lastSettings(db), last == settings else { return false }
        return try RFMFreshness.check(db, today: settings.asOf).membersNotComputed == 0
    }

    /// The given member ids (ascending, distinct) that are still members: an explicit list (a search
    /// result, a saved list file, the whole store) is already ids, so no JSON round trip through SQL;
    /// a long one is checked by one ordered pass over the member ids, a short one id by id.
    static func existing(_ db: Database, _ sorted: [Int64]) throws -> [Int64] {
        guard !sorted.isEmpty else { return [] }
        if sorted.count < 20_000 {
            let find = try db.makeStatement(sql: "SELECT 1 FROM member WHERE id = ?")
            return try sorted.filter { try Int.fetchOne(find, arguments: [$0]) != nil }
        }
        let all = try Int64.fetchAll(db, sql: "SELECT id FROM member WHERE id BETWEEN ? AND ? ORDER BY id", arguments: [sorted.first!, sorted.last!])
        return intersect(sorted, all)
    }

    /// Both ascending.
    static func intersect(_ a: [Int64], _ b: [Int64]) -> [Int64] {
        var out: [Int64] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { i += 1 } else if a[i] > b[j] { j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    static func describe(_ sets: [MemberSet]) -> String {
        sets.map { set -> String in
            if let r = set.rule, let name = (r.tagsAny ?? r.tagsAll)?.first, set == .tags([name], .any) || set == .tags([name], .all) {
                return "tag \(name)"
            }
            // Its size is the target's (duplicates and former members are not in it).
            if set.memberIds != nil { return "listed members" }
            return set.description
        }.joined(separator: " & ")
    }
}
