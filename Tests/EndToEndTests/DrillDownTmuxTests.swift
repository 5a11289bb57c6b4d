import Foundation
import Testing

/// In a real pty: Segments pane → move the cursor into the R×F grid → Enter lists that cell's
/// members → Enter opens a member card.
@Suite(.serialized) struct DrillDownTmuxTests {
    let store: String

    init() throws { store = try sharedDemoStore() }

    @Test func gridCellToMemberListToCard() throws {
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try t.keys("2")
        try t.waitFor(text: "R×F人数")
        // 9 segment rows, the lifecycle line, then the grid's top row (R5); right to F5.
        for _ in 0..<10 { try t.keys("j") }
        for _ in 0..<4 { try t.keys("Right") }
        try t.waitFor(text: "R5 F5")
        try t.keys("Enter")
        _ = try t.waitFor("the R5×F5 member list", timeout: 30) { $0.contains("R5×F5") && $0.contains("累计消费") }
        // A settled screen: the list is drawn over the Segments pane row by row, its header first.
        let list = try t.settledCapture()
        #expect(list.contains("> "), "a selected member row:\n\(list)")
        try t.keys("Enter")
        try t.waitFor(text: "生命周期")   // the card's RFM lines
        try t.keys("q")
        try t.waitFor(text: "R5×F5")
    }
}
