import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

struct OperatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "operators", abstract: "Who may use this store (OS users; owner or staff).",
                                                    subcommands: [List.self, Add.self, Remove.self])

    struct List: ParsableCommand {
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                for o in try s.operators() { print(CLIMessages.now.operatorLine(o.user, "\(o.role)", at: "\(o.addedAt)", by: o.addedBy)) }
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
                try s.addOperator(user, role: role)
                print(CLIMessages.now.operatorIsNow(user, "\(role)"))
            }
        }
    }

    struct Remove: ParsableCommand {
        @Argument var user: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                try s.removeOperator(user)
                print(CLIMessages.now.operatorRemoved(user))
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
            let entries = try Audit.recent(s, limit: limit)
            if json { try printJSON(entries); return }
            for e in entries {
                print("\(e.at)  \(e.operatorName)  \(e.action)  \(e.target)\(e.reason.map { CLIMessages.now.auditReason($0) } ?? "")")
            }
        }
    }
}
