import Foundation
import ECRMStore
import ECRMConsole

/// Opens the full-screen console on the store (after the operator check in `Ecrm.run`).
enum ConsoleLauncher {
    static func run(store: Store, theme: String?, lang: String?) throws {
        try Console.run(store: store, options: Console.Options(theme: theme, language: lang))
    }
}
