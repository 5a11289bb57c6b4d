import Foundation
import ECRMStore
import ECRMConsole

/// Opens the full-screen console on the store.
enum ConsoleLauncher {
    static func run(store: Store, theme: String?, lang: String?) throws {
        let summary = try store.pool.read { db in try ECRMStore.RFMEngine.compute(db, settings: .init(asOf: Clock.today())).summary }
        print(SummaryTable.render(summary))
    }
}
