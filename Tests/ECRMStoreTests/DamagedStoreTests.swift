import Foundation
import Testing
import GRDB
import ECRMDomain
@testable import ECRMStore

/// A read that meets a damaged page must fail in words, never stop as if the rows had ended: a raw
/// step loop that took SQLITE_CORRUPT for the end gave a short, wrong answer (an RFM over half the
/// members, an export missing rows). Each raw-loop path is read over a store whose big tables were
/// overwritten after their first leaf page, so every scan starts and then breaks mid-way.
@Suite(.serialized) struct DamagedStoreTests {
    /// A demo shop whose `tables`' leaf pages, all but the first and the last of each, are
    /// overwritten with 0xFF (no valid page type): a scan of one starts, then breaks mid-way, while
    /// `max(id)` and the other tables still read, as the queries before each loop need.
    static func damagedShop(_ tables: Set<String>, prepare: (Store) throws -> Void = { _ in }) throws -> (TempStore, path: String, buyers: [String]) {
        let t = try TempStore()
        let path = t.dir + "/damaged.sqlite"
        do {
            let store = try Store(path: path, create: true, operatorName: "owner1")
            _ = try DemoShop(members: 3000, orders: 15000, seed: 7, endDay: Day(year: 2025, month: 6, day: 30)!).generate(into: store)
            try prepare(store)
        }
        // The store is closed: one connection moves the WAL into the file, where the pages are damaged.
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let buyers = try queue.read { try String.fetchAll($0, sql: "SELECT buyer_id FROM member ORDER BY buyer_id") }
        let (pageSize, pages): (Int, [Int]) = try queue.read { db in
            let size = try Int.fetchOne(db, sql: "PRAGMA page_size")!
            // dbstat lists each b-tree's pages in traversal order: keep the first leaf of each.
            let rows = try Row.fetchAll(db, sql: "SELECT name, pageno, pagetype FROM dbstat ORDER BY name, path")
            var leaves: [String: [Int]] = [:]
            for r in rows where (r["pagetype"] as String) == "leaf" && tables.contains(r["name"]) {
                leaves[r["name"], default: []].append(r["pageno"])
            }
            return (size, leaves.values.flatMap { $0.dropFirst().dropLast() })
        }
        #expect(pages.count > 2 * tables.count)
        try queue.close()
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for p in pages {
            try h.seek(toOffset: UInt64((p - 1) * pageSize))
            h.write(Data(repeating: 0xFF, count: pageSize))
        }
        try h.close()
        return (t, path, buyers)
    }

    /// The store's one-line error for an unreadable file, not a short answer and not SQLite's own.
    static func expectDamaged(_ what: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("\(what): read a damaged store without an error")
        } catch let e as StoreError {
            guard case .unreadable = e else { Issue.record("\(what): \(e)"); return }
            #expect(e.description.contains("may be damaged"), "\(what)")
        } catch {
            Issue.record("\(what): not a StoreError: \(error)")
        }
    }

    static let asOf = Day(year: 2025, month: 6, day: 30)!

    @Test func loopsOverMemberStatsThrow() throws {
        let (t, path, _) = try Self.damagedShop(["member_stats"])
        defer { t.cleanup() }
        let store = try Store(path: path, operatorName: "owner1")
        let settings = RFMSettings(asOf: Self.asOf)
        Self.expectDamaged("RFM") { _ = try RFMEngine.recompute(store, settings: settings) }
        Self.expectDamaged("RFM compute") { _ = try store.pool.read { try RFMEngine.compute($0, settings: settings) } }
        Self.expectDamaged("export") {
            _ = try Exporter(store: store).export(to: t.dir + "/out.csv", settings: settings, reveal: false)
        }
        Self.expectDamaged("health") { _ = try ShopHealth.compute(store, asOf: Self.asOf) }
        Self.expectDamaged("tier preview") { _ = try TierService.preview(store, asOf: Self.asOf) }
        Self.expectDamaged("existing rows") {
            try store.pool.read { db in
                let rows = try ExistingRows(db, table: "member_stats", columns: "member_id", ordered: true)
                _ = try rows.row(of: .max)
            }
        }
    }

    @Test func loopsOverOrdersThrow() throws {
        let (t, path, _) = try Self.damagedShop(["orders"])
        defer { t.cleanup() }
        let store = try Store(path: path, operatorName: "owner1")
        Self.expectDamaged("order lists") { try store.pool.write { try MemberOrderLists.rebuildAll($0) } }
        Self.expectDamaged("member stats") { try store.pool.write { try MemberStatsUpdater.rebuildAll(db: $0) } }
    }

    @Test func loopsOverMembersThrow() throws {
        let (t, path, _) = try Self.damagedShop(["member"])
        defer { t.cleanup() }
        let store = try Store(path: path, operatorName: "owner1")
        Self.expectDamaged("search index") { try store.pool.write { _ = try SearchIndex.rebuildAll($0) } }
    }

    /// Search walks its postings and then each candidate's row, by rank.
    @Test func searchThrows() throws {
        let (t, path, _) = try Self.damagedShop(["search_rank", "search_large", "search_small"])
        defer { t.cleanup() }
        let store = try Store(path: path, operatorName: "owner1")
        Self.expectDamaged("search") { _ = try store.pool.read { try MemberSearch.allIds($0, "1") } }
    }

    /// A recompute compares the stored results with the new ones in one ordered scan.
    @Test func rfmResultScanThrows() throws {
        let settings = RFMSettings(asOf: Self.asOf)
        let (t, path, _) = try Self.damagedShop(["member_rfm"]) { _ = try RFMEngine.recompute($0, settings: settings) }
        defer { t.cleanup() }
        let store = try Store(path: path, operatorName: "owner1")
        Self.expectDamaged("RFM results") { _ = try RFMEngine.recompute(store, settings: settings) }
    }

    /// A campaign's outcome tallies its frozen target in one scan, with each member's paid days.
    @Test func campaignTallyThrows() throws {
        let start = Day(year: 2025, month: 6, day: 1)!
        let (t, path, _) = try Self.damagedShop(["member_stats"]) {
            _ = try CampaignService(store: $0).create(CampaignDraft(name: "c", holdoutBasisPoints: 5_000, start: start),
                                                      target: [.tier(0)], seed: 1, today: start)
        }
        defer { t.cleanup() }
        let store = try Store(path: path, operatorName: "owner1")
        Self.expectDamaged("campaign outcome") { _ = try CampaignService(store: store).report("c", today: Self.asOf) }
    }

    /// A small load looks each buyer up through the buyer-id index, one step per buyer.
    @Test func buyerLookupsThrow() throws {
        let (t, path, buyers) = try Self.damagedShop(["sqlite_autoindex_member_1"])
        defer { t.cleanup() }
        let store = try Store(path: path, operatorName: "owner1")
        Self.expectDamaged("member keys") {
            try store.pool.read { db in
                let keys = try MemberKeys(db: db, expectedMembers: 0, preload: false)
                for b in buyers { _ = try keys.resolve(BulkLoader.MemberRow(buyerId: b)) }
            }
        }
    }

    /// SQLite's own words for a damaged page, met by a GRDB query rather than a raw loop, become
    /// the same message at the command line and in the console.
    @Test func aDamagedPageMetByAQueryIsSaidInWords() throws {
        let (t, path, _) = try Self.damagedShop(["member"])
        defer { t.cleanup() }
        let store = try Store(path: path, operatorName: "owner1")
        do {
            _ = try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member WHERE nick <> ''") }
            Issue.record("read a damaged table without an error")
        } catch {
            let e = try #require(StoreError.unreadable(from: error))
            #expect(e.description.contains("may be damaged"))
        }
    }
}
