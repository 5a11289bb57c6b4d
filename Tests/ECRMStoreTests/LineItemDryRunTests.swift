import Foundation
import Testing
@testable import ECRMStore
import ECRMDomain

/// Issue 18 item 5 for the line-item layouts: `--dry-run` of a Shopify export shows the layout, the
/// channel, the first rows folded as they would be stored, and every rejected row with its line,
/// plus the first-row-wins warning, the same as the import then reports. Kills the mutation
/// `dry-run-line-items-every-rejected-row` (Tests/Mutations/run.sh).
@Suite struct LineItemDryRunTests {
    @Test func aShopifyDryRunShowsTheFoldedOrdersAndEveryRejectedRow() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let path = try t.file("orders_export.csv", LineItemImportTests.shopify)
        let today = Day(year: 2024, month: 12, day: 31)!
        let r = try Importer.dryRun(.orders, path: path, today: today, timeZone: LineItemImportTests.shanghai)
        #expect(r.layout == "shopify-orders" && r.channel == "shopify")
        #expect(r.rows == 5)
        // Every rejected row, each with its line and reason: the impossible offset, the unknown
        // status, and the later row of the order rejected on line 10.
        #expect(r.problems.map(\.line) == [9, 10, 11])
        #expect(r.problems.map(\.reason).first?.contains("impossible time offset") == true)
        #expect(r.problems.map(\.reason).last?.contains("rejected on line 10") == true)
        #expect(r.warnings.map(\.line) == [8])
        #expect(r.preview.count == DryRunReport.previewRows)
        let first = r.preview[0].joined(separator: "  ")
        #expect(first.hasPrefix("order_id=#1001  channel=shopify  buyer_id=ann@example.com"), "\(first)")
        #expect(first.contains("paid_at=2024-03-01 10:00:00  amount=40.00  status=paid  items=7"), "\(first)")
        #expect(!first.contains("13812345678"))
        #expect(r.preview[1].contains("amount=70.00"))   // 100 − 30 refunded

        // The import then does what the dry run said.
        var importer = t.importer(bulk: false)
        importer.timeZone = LineItemImportTests.shanghai
        importer.today = today
        let done = try importer.run(.orders, path: path)
        #expect(done.added == r.rows && done.problems.map(\.line) == r.problems.map(\.line) && done.warnings.map(\.line) == r.warnings.map(\.line))
    }
}
