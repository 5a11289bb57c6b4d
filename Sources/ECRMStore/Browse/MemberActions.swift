import Foundation
import GRDB
import ECRMDomain

/// What the member card can change: tags, notes, and revealing a phone (always audited).
/// Each call is one short write transaction, so several consoles can share the store.
public enum MemberActions {
    /// The member's phone in clear. Needs a reason; writes audit action "phone.reveal".
    public static func revealPhone(_ store: Store, memberId: Int64, reason: String) throws -> String {
        let why = reason.trimmingSpaces()
        guard !why.isEmpty else { throw StoreError.invalid("a reason is needed to reveal a phone number") }
        return try store.write(.member, .require(.revealPhone)) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT buyer_id, phone FROM member WHERE id = ?", arguments: [memberId]) else {
                throw StoreError.notFound("no member with id \(memberId)")
            }
            let phone: String = row[1]
            try Audit.record(db, operator: store.operatorName, action: "phone.reveal", target: row[0] as String,
                             before: Phone.masked(phone), after: phone.isEmpty ? "0 numbers shown" : "1 numbers shown", reason: why)
            return phone
        }
    }

    /// Clear phones for the command line's `--reveal`, in one transaction with its audit row (the
    /// reason and how many numbers were shown). The owner may reveal any number of members (a reason
    /// is optional); staff exactly one, with a reason. A refusal is logged too.
    public static func revealPhones(_ store: Store, memberIds: [Int64], reason: String?, context: String) throws -> [Int64: String] {
        let why = reason?.trimmingSpaces() ?? ""
        // Staff's limits (one member, a reason) depend on the role the check read.
        return try store.write(.member, .require(.revealPhone), role: { db, role in
            if role != .owner {
                if memberIds.count > 1 {
                    throw Refusal(action: "reveal phones in bulk", target: context, message: StoreMessages.staffRevealOne(memberIds.count))
                }
                if why.isEmpty { throw StoreError.invalid(StoreMessages.reasonNeededLocalized) }
            }
            var out: [Int64: String] = [:]
            var buyers: [String] = []
            for id in memberIds {
                guard let row = try Row.fetchOne(db, sql: "SELECT buyer_id, phone FROM member WHERE id = ?", arguments: [id]) else { continue }
                let phone: String = row[1]
                out[id] = phone
                buyers.append(row[0])
            }
            let shown = out.values.filter { !$0.isEmpty }.count
            let target = buyers.count == 1 ? buyers[0] : "\(buyers.count) members (\(context))"
            try Audit.record(db, operator: store.operatorName, action: "phone.reveal", target: target,
                             before: nil, after: "\(shown) numbers shown", reason: why.isEmpty ? nil : why)
            return out
        })
    }

    /// Adds a tag (created on first use) through TagService, so the card obeys the same rules as the
    /// command line: audited, name checks, rule tags refused. Adding a tag the member has is a no-op.
    /// Creating the tag and tagging the member are one transaction: no tag is left without its member.
    public static func addTag(_ store: Store, memberId: Int64, tag: String) throws {
        try TagService(store: store).add(tag.trimmingSpaces(), memberId: memberId, createIfMissing: true)
    }

    /// Removes a tag from the member; the tag itself stays (other members may carry it).
    public static func removeTag(_ store: Store, memberId: Int64, tag: String) throws {
        let name = tag.trimmingSpaces()
        guard try TagService(store: store).remove(name, memberId: memberId) else {
            throw StoreError.notFound("the member has no tag '\(name)'")
        }
    }

    /// Adds a note, signed with the operator and the time.
    public static func addNote(_ store: Store, memberId: Int64, body: String, at time: String = Clock.nowString()) throws {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError.invalid("an empty note is not saved") }
        try store.write(.note, .require(.note)) { db in
            try db.execute(sql: "INSERT INTO member_note(member_id, operator, created_at, body) VALUES (?, ?, ?, ?)",
                           arguments: [memberId, store.operatorName, time, text])
        }
    }
}
