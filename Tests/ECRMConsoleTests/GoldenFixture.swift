import Foundation
import ECRMStore
import ECRMDomain

/// A small shop built from CSV through the real importer, so golden screens depend only on this
/// file (not on the demo generator, which is tuned separately): 48 members with Chinese nicks
/// and names, ~200 orders up to 2026-11-20, tags, dated notes, a published four-tier ladder and
/// a stored RFM run.
enum GoldenFixture {
    static let surnames = ["张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴", "欧阳", "司马"]
    static let given = ["小花", "丽", "伟", "芳", "娜娜", "强", "静", "磊", "洋", "敏", "军", "婷"]
    static let nickTails = ["的小店", "宝宝", "酱", "同学", "妈妈", "_sz", "lover", "不吃香菜", "在路上", "VIP"]
    static let regions = [("浙江", "杭州"), ("广东", "深圳"), ("北京", "北京"), ("四川", "成都"), ("江苏", "苏州"), ("黑龙江", "哈尔滨")]

    static func make(operatorName: String = "alice") throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store(path: dir.appendingPathComponent("shop.db").path, create: true, operatorName: operatorName)
        var members = ["buyer_id,nick,name,phone,gender,birthday,province,city,joined_at"]
        var orders = ["order_id,buyer_id,buyer_nick,paid_at,amount,status,items"]
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        var orderId = 880_000_000_000
        for i in 0..<48 {
            let name = surnames[i % surnames.count] + given[(i * 5) % given.count]
            let nick = name + nickTails[i % nickTails.count] + (i % 3 == 0 ? String(1980 + i) : "")
            let (province, city) = regions[i % regions.count]
            let birthday = i == 0 ? "1990-11-24" : String(format: "19%02d-%02d-%02d", 70 + i % 30, 1 + i % 12, 1 + (i * 7) % 28)
            let phone = "13\(8 - i % 3)\(String(format: "%08d", 10_000_000 + i * 7919))"
            members.append("tb\(String(format: "%06d", i + 1)),\(nick),\(name),\(phone),\(["F", "M"][i % 2]),\(birthday),\(province),\(city),2024-0\(1 + i % 9)-1\(i % 10) 10:00:00")
            let count = i % 7 == 6 ? 0 : 1 + next(i < 8 ? 14 : 6)
            for _ in 0..<count {
                orderId += 1
                let day = Day.parse("2026-11-20")!.adding(days: -next(700))
                let amount = [19, 39, 99, 128, 268, 520, 1299][next(7)]
                let status = next(10) == 0 ? "refunded" : "paid"
                orders.append("\(orderId),tb\(String(format: "%06d", i + 1)),\(nick),\(day) \(String(format: "%02d", 8 + next(14))):\(String(format: "%02d", next(60))):00,\(amount).\(next(2) == 0 ? "00" : "90"),\(status),\(1 + next(3))")
            }
        }
        let mPath = dir.appendingPathComponent("members.csv").path
        let oPath = dir.appendingPathComponent("orders.csv").path
        try (members.joined(separator: "\n") + "\n").write(toFile: mPath, atomically: true, encoding: .utf8)
        try (orders.joined(separator: "\n") + "\n").write(toFile: oPath, atomically: true, encoding: .utf8)
        _ = try Importer(store: store).run(.members, path: mPath)
        _ = try Importer(store: store).run(.orders, path: oPath)
        try TierService.saveDraft(store, TierLadder(metric: .amount, levels: [
            TierLevel(level: 1, enabled: true, name: "普通会员", threshold: 10_000, discount: 980),
            TierLevel(level: 2, enabled: true, name: "高级会员", threshold: 100_000, discount: 950),
            TierLevel(level: 3, enabled: true, name: "VIP会员", threshold: 300_000, discount: 920),
            TierLevel(level: 4, enabled: true, name: "至尊VIP会员", threshold: 800_000, discount: 880),
        ], distributorFloor: 850))
        try TierService.publish(store, expectedLiveVersion: nil, confirmFloor: true)
        for id in [1, 3, 5, 8, 13] as [Int64] { try MemberActions.addTag(store, memberId: id, tag: id % 2 == 1 ? "老客户" : "直播间粉丝") }
        try MemberActions.addTag(store, memberId: 1, tag: "VIP候选")
        try MemberActions.addNote(store, memberId: 1, body: "喜欢红色款，下次上新提醒", at: "2026-11-18 09:30:00")
        try MemberActions.addNote(store, memberId: 1, body: "上次物流慢，已补偿优惠券", at: "2026-11-19 15:02:00")
        try RFMEngine.recompute(store, settings: RFMSettings(asOf: pinnedDay))
        return store
    }
}
