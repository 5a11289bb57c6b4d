import Foundation
import GRDB
import ECRMDomain

/// How old the stored RFM computation (`member_rfm`) is, for sets built on segment, grid cell or
/// lifecycle: stale when its as-of day is before today or members were imported since.
public struct RFMFreshness: Sendable, Equatable, Codable {
    /// As-of of the last recompute (setting 'rfm.last'); nil when RFM was never computed.
    public var asOf: Day?
    /// Days between that as-of and today (0 = computed for today).
    public var daysBehind: Int?
    /// Members without a stored row (imported after the last recompute).
    public var membersNotComputed: Int

    public var isStale: Bool { asOf == nil || (daysBehind ?? 0) > 0 || membersNotComputed > 0 }

    /// One line for a hint bar or the command line, in the operator's language; nil when fresh.
    public var warning: String? { warning(StoreMessages.language) }

    public func warning(_ language: MessageLanguage) -> String? {
        guard isStale else { return nil }
        return StoreMessages.rfmStale(asOf: asOf, daysBehind: daysBehind ?? 0, membersNotComputed: membersNotComputed, language)
    }

    static func check(_ db: Database, today: Day = Clock.today()) throws -> RFMFreshness {
        let asOf = try RFMEngine.lastSettings(db)?.asOf
        let members = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0
        let computed = try Int.fetchOne(db, sql: "SELECT count(*) FROM member_rfm") ?? 0
        return RFMFreshness(asOf: asOf, daysBehind: asOf.map { today - $0 }, membersNotComputed: max(0, members - computed))
    }

    /// Whether a member set reads the stored computation.
    public static func matters(for set: MemberSet) -> Bool { set.rule?.usesRFM ?? false }
}
