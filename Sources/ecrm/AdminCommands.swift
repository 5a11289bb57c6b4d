import ArgumentParser
import Foundation
import GRDB
import ECRMStore
import ECRMDomain

struct TiersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tiers", abstract: "Show the tier ladder (VIP等级).", subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the live tier ladder and member counts.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            try guarded {
                let s = try store.open()
                _ = try s.requireRole()
                let (ladder, counts) = try s.pool.read { db -> (TierLadder?, [Int: Int]) in
                    let l = try TierStore.liveLadder(db)
                    var c: [Int: Int] = [:]
                    for row in try Row.fetchAll(db, sql: "SELECT tier, count(*) FROM member GROUP BY tier") { c[row[0]] = row[1] }
                    return (l, c)
                }
                guard let ladder else { print("no tier ladder published yet"); return }
                if json { try printJSON(ladder); return }
                print("metric: \(ladder.metric == .amount ? "cumulative paid amount" : "cumulative paid orders")")
                for t in ladder.levels {
                    let threshold = ladder.metric == .amount ? Money.display(t.threshold) : "\(t.threshold) 笔"
                    print(TextColumns.row([("\(t.level)", 2), (t.name, 12), (t.enabled ? "on" : "off", 4), (threshold, -12),
                                           (discountLabel(t.discount), -7), ("\(t.discount)‰", -6), ("\(counts[t.level] ?? 0) members", -16)]))
                }
                print("0 \(TierLevel.defaultNames[0]): \(counts[0] ?? 0) members")
            }
        }
    }
}

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tags", abstract: "Buyer tags (买家标签).", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tags with member counts.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                _ = try s.requireRole()
                let rows = try s.pool.read { try Row.fetchAll($0, sql: "SELECT t.name, (SELECT count(*) FROM member_tag mt WHERE mt.tag_id = t.id) FROM tag t ORDER BY t.name") }
                for r in rows { print(TextColumns.row([(r[0], 16), (String(r[1] as Int), -9)])) }
            }
        }
    }
}

struct OperatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "operators", abstract: "Who may use this store (OS users; owner or staff).",
                                                    subcommands: [List.self, Add.self, Remove.self])

    struct List: ParsableCommand {
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                _ = try s.requireRole()
                for o in try s.pool.read({ try Operators.list($0) }) { print("\(o.user)\t\(o.role)\tadded \(o.addedAt) by \(o.addedBy)") }
            }
        }
    }

    struct Add: ParsableCommand {
        @Argument var user: String
        @Option var role = "staff"
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                try s.requireOwner("add operators")
                try s.pool.write { try Operators.add($0, user: user, role: role, by: s.operatorName) }
                print("\(user) is now \(role)")
            }
        }
    }

    struct Remove: ParsableCommand {
        @Argument var user: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                try s.requireOwner("remove operators")
                try s.pool.write { try Operators.remove($0, user: user, by: s.operatorName) }
                print("removed \(user)")
            }
        }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit log, newest first.")
    @OptionGroup var store: StoreOptions
    @Option var limit = 50
    @Flag var json = false
    func run() throws {
        try guarded {
            let s = try store.open()
            _ = try s.requireRole()
            let entries = try s.pool.read { try Audit.recent($0, limit: limit) }
            if json { try printJSON(entries); return }
            for e in entries {
                print("\(e.at)  \(e.operatorName)  \(e.action)  \(e.target)\(e.reason.map { "  reason: \($0)" } ?? "")")
            }
        }
    }
}
