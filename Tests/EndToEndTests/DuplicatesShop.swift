import Foundation
import Testing

/// The two-pair shop the duplicates tests share (DuplicatesTmuxTests, DuplicatesLiveTmuxTests,
/// MergeCLITests): fang/fang2 share a phone, wei/wei2 share name and birthday; fang and fang2 have
/// paid orders.
enum DuplicatesShop {
    static let members = """
        buyer_id,nick,name,phone,gender,birthday,province,city
        fang,小芳,王芳,13800000001,F,1990-01-01,浙江,杭州市
        fang2,芳芳,,13800000001,,,,
        wei,阿伟,张伟,13900000002,M,1985-05-05,上海,上海市
        wei2,伟哥,张伟,,M,1985-05-05,,

        """
    static let orders = "order_id,buyer_id,paid_at,amount,status\n11,fang,2026-11-01 10:00:00,300.00,paid\n12,fang2,2026-11-02 10:00:00,800.00,paid\n"

    /// A fresh directory named `prefix`-UUID holding the CSVs and `shop.db`, imported with the real
    /// `ecrm`. The caller removes `dir`.
    static func make(_ prefix: String) throws -> (db: String, dir: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let m = dir + "/m.csv", o = dir + "/o.csv", db = dir + "/shop.db"
        try members.write(toFile: m, atomically: true, encoding: .utf8)
        try orders.write(toFile: o, atomically: true, encoding: .utf8)
        for (kind, file) in [("members", m), ("orders", o)] {
            let r = try runTool(builtEcrm, ["import", kind, file, "--db", db], captureOutput: false)
            try #require(r.status == 0, "ecrm import \(kind) failed")
        }
        return (db, dir)
    }
}
