import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain
import UserRights

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Create a realistic demo shop (deterministic per seed).")
    @OptionGroup var store: StoreOptions
    @Option(help: "Number of members.") var members = 20_000
    @Option(help: "Number of orders (default: 5 per member).") var orders: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Last day with orders, YYYY-MM-DD (default: today).") var end: String?
    @Flag(help: "Replace an existing store at --db.") var force = false

    func run() throws {
        try guarded {
            let path = store.path
            // Never on the shared store (through the setgid binary or by root): a demo would replace the team's shop.
            if UserRights.isSetgid || SystemConfig.sharedStore.map({ SystemConfig.sameFile(path, $0) }) == true {
                fail(CLIMessages.now.demoOnShared(path))
            }
            if FileManager.default.fileExists(atPath: path) {
                guard force else { fail(CLIMessages.now.demoExists(path)) }
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            guard members > 0 else { fail(CLIMessages.now.membersAtLeastOne) }
            let s = try store.open(create: true)
            let progress = ProgressLine("demo")
            let started = Date()
            let endDay = try end.map { try parseAsOf($0) } ?? Clock.today()
            let result = try DemoShop(members: members, orders: orders, seed: seed, endDay: endDay).generate(into: s) { done, total in
                progress.update("\(done * 100 / max(total, 1))%")
            }
            progress.done()
            let summary = try RFMEngine.recompute(s, settings: RFMSettings(asOf: endDay))
            print(CLIMessages.now.demoReady(path, members: result.members, orders: result.orders, upgraded: result.upgraded, seconds: Date().timeIntervalSince(started)))
            print(SummaryTable.render(summary))
        }
    }
}
