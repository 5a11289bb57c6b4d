import Testing
@testable import TerminalKit
@Test func smoke() { #expect(1 == 1) }
