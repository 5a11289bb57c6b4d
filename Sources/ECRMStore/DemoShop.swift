import Foundation
import GRDB
import ECRMDomain

/// `ecrm demo`: a realistic, deterministic (per seed and end date) shop: Chinese nicks and names,
/// phones, regions, birthdays, skewed three-year order histories with refunds and closed orders,
/// a few tags, blacklisted buyers, notes, and a published tier ladder.
public struct DemoShop {
    public var members = 20_000
    /// Default: five orders per member on average.
    public var orders: Int? = nil
    public var seed: UInt64 = 1
    /// Last day with orders (default today); the histories cover the three years before it.
    public var endDay: Day = Clock.today()

    public init(members: Int = 20_000, orders: Int? = nil, seed: UInt64 = 1, endDay: Day = Clock.today()) {
        self.members = members; self.orders = orders; self.seed = seed; self.endDay = endDay
    }

    public struct Result: Sendable { public var members: Int; public var orders: Int; public var upgraded: Int }

    public func generate(into store: Store, progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        var rng = SplitMix64(demoSeed: seed)
        let orderCount = orders ?? members * 5
        let startDay = endDay.adding(days: -3 * 365)
        var upgraded = 0
        try store.translate {
            // Always a fresh store: load it the bulk way (indexes and search built once, at the end).
            try Maintenance.bulkWrite(store, bulk: true, .demo, .require(.importData)) { db in
                try Maintenance.dropBulkIndexes(db, for: .all)
                let loader = try BulkLoader(db: db, bulk: true, expectedOrders: orderCount, expectedMembers: members)
                var joined = [Int32](repeating: 0, count: members)
                var buyerIds = [String](); buyerIds.reserveCapacity(members)
                var nicks = [String](); nicks.reserveCapacity(members)
                for i in 0..<members {
                    let (name, gender) = DemoNames.person(&rng)
                    let nick = DemoNames.nick(&rng, name: name, index: i)
                    let (province, city) = DemoNames.region(&rng)
                    let jd = startDay.number + Int32(rng.below(3 * 365 - 30))
                    joined[i] = jd
                    let birthday = Day(year: 1965 + rng.below(40), month: 1 + rng.below(12), day: 1 + rng.below(28))!
                    var row = BulkLoader.MemberRow(buyerId: String(format: "tb%08d", i + 1))
                    row.nick = nick; row.name = name; row.phone = DemoNames.phone(&rng)
                    row.gender = gender; row.birthday = birthday.description
                    row.province = province; row.city = city
                    row.joinedAt = LocalTime(day: Day(number: jd), secondOfDay: Int32(rng.below(86_400))).description
                    if rng.below(10) == 0 { row.cardNo = String(format: "VIP%06d", i + 1) }
                    _ = try loader.loadMember(row)
                    buyerIds.append(row.buyerId); nicks.append(nick)
                    if i % 50_000 == 0 { progress?(i, members + orderCount) }
                }
                let baseOrderId: Int64 = 3_000_000_000_000_000 + Int64(seed % 1000) * 1_000_000_000_000
                for j in 0..<orderCount {
                    // Skew: 30% of orders go to a loyal core (5% of members, a few whales among them),
                    // the rest spread over everyone, so most buyers order once or twice.
                    let core = max(1, members / 20)
                    let i = rng.below(10) < 3 ? min(core - 1, Int(Double(core) * pow(rng.unit(), 1.6))) : rng.below(members)
                    let span = Double(endDay.number - joined[i])
                    let day = joined[i] + Int32(span * pow(rng.unit(), 0.6))
                    let amount = Int64(min(2_000_000, max(100, exp(8.6 + 0.9 * rng.gaussian()))))
                    let roll = rng.below(100)
                    let status: OrderStatus = roll < 4 ? .refunded : (roll < 7 ? .closed : .paid)
                    let t = LocalTime(day: Day(number: day), secondOfDay: Int32(rng.below(86_400)))
                    _ = try loader.loadOrder(.init(orderId: baseOrderId + Int64(j) * 7, buyerId: buyerIds[i], nick: nicks[i],
                                                   paidAt: t, amount: amount / 100 * 100 + (rng.below(4) == 0 ? 90 : 0),
                                                   status: status, items: Int64(1 + rng.below(3))))
                    if j % 50_000 == 0 { progress?(members + j, members + orderCount) }
                }
                // The published ladder and the blacklist come first, so auto-upgrade sees them.
                try loader.flushPending()
                try seedExtras(db, rng: &rng, members: members)
                upgraded = try loader.finish()
            }
        }
        progress?(members + orderCount, members + orderCount)
        return Result(members: members, orders: orderCount, upgraded: upgraded)
    }

    /// Tags, blacklist, notes and the published ladder.
    private func seedExtras(_ db: Database, rng: inout SplitMix64, members: Int) throws {
        let user = "demo"
        let now = Clock.nowString()
        let ladder = TierLadder(metric: .amount, levels: [
            TierLevel(level: 1, enabled: true, name: "普通会员", threshold: 10_000, discount: 980),
            TierLevel(level: 2, enabled: true, name: "高级会员", threshold: 100_000, discount: 950),
            TierLevel(level: 3, enabled: true, name: "VIP会员", threshold: 300_000, discount: 920),
            TierLevel(level: 4, enabled: true, name: "至尊VIP会员", threshold: 800_000, discount: 880),
        ], distributorFloor: 850)
        _ = try TierStore.appendPublished(db, ladder: ladder, by: user)
        let tags = ["老客户", "直播间粉丝", "差评风险", "生日礼已送", "VIP候选"]
        for t in tags {
            try db.execute(sql: "INSERT OR IGNORE INTO tag(name, created_at, created_by) VALUES (?, ?, ?)", arguments: [t, now, user])
        }
        let tagIds = try Int64.fetchAll(db, sql: "SELECT id FROM tag ORDER BY id")
        let ins = try RawStatement(db, "INSERT OR IGNORE INTO member_tag(tag_id, member_id) VALUES (?, ?)")
        for (k, tagId) in tagIds.enumerated() {
            let share = [20, 50, 200, 100, 40][k % 5]   // one member in `share`
            for _ in 0..<max(1, members / share) {
                ins.bind(1, tagId); ins.bind(2, Int64(1 + rng.below(members))); try ins.step()
            }
        }
        let bl = try RawStatement(db, "UPDATE member SET status = '\(MemberStatus.blacklist.rawValue)' WHERE id = ?")
        for _ in 0..<max(1, members / 200) { bl.bind(1, Int64(1 + rng.below(members))); try bl.step() }
        let note = try RawStatement(db, "INSERT INTO member_note(member_id, operator, created_at, body) VALUES (?, ?, ?, ?)")
        let bodies = ["喜欢红色款，下次上新提醒", "上次物流慢，已补偿优惠券", "要求开发票", "大码，偏好宽松版型", "生日在月底，记得送礼"]
        for _ in 0..<max(1, members / 100) {
            note.bind(1, Int64(1 + rng.below(members))); note.bind(2, user); note.bind(3, now)
            note.bind(4, bodies[rng.below(bodies.count)]); try note.step()
        }
    }
}

/// The demo's draws (the shop a seed makes is part of what users and tests see: keep them stable).
extension SplitMix64 {
    /// The demo's seeding: its state starts one step past the seed.
    init(demoSeed seed: UInt64) { self.init(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func gaussian() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
