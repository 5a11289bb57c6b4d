import Foundation
import ECRMDomain
@testable import ECRMStore

extension TempStore {
    /// A store with these members and orders imported row by row without scoring them, then RFM
    /// stored as of `asOf` under the stored config as `configure` changes it (saved first): the
    /// shop the RFM incremental, day-advance and stored-base tests compare a recompute against.
    static func rfmShop(members: String, orders: String, asOf: Day,
                        configure: (inout RFMEngine.Config) -> Void = { _ in }) throws -> TempStore {
        let t = try TempStore()
        var importer = t.importer(bulk: false)
        importer.recomputeRFMAsOf = nil
        _ = try importer.run([(.members, try t.file("m.csv", members)), (.orders, try t.file("o.csv", orders))])
        try t.store.pool.write { db in
            var config = try RFMEngine.loadConfig(db)
            configure(&config)
            try RFMEngine.saveConfig(db, config)
            try RFMEngine.recompute(db, settings: config.settings(asOf: asOf))
        }
        return t
    }
}
