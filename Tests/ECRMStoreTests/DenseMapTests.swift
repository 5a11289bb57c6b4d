import Testing
@testable import ECRMStore

/// The load's id-indexed maps (MemberKeys): zero is absent, far ids go to a dictionary.
@Suite struct DenseMapTests {
    @Test func setGetAndClear() {
        var m = DenseMap<UInt8>()
        #expect(m.isEmpty && m[5] == nil && m[-1] == nil)
        m[5] = 3
        m[1] = 1
        #expect(!m.isEmpty && m[5] == 3 && m[1] == 1 && m[4] == nil && m[6] == nil)
        m[5] = nil
        #expect(m[5] == nil)
        m[7, default: 0] |= 4
        m[7, default: 0] |= 1
        #expect(m[7] == 5)
    }

    @Test func farAndNegativeIdsAreKeptApart() {
        var m = DenseMap<Int64>()
        let far = DenseMap<Int64>.denseLimit + 12
        m[far] = 9
        m[-3] = 2
        m[3] = 1
        #expect(m[far] == 9 && m[-3] == 2 && m[3] == 1 && m[far - 1] == nil)
        m[far] = 0
        #expect(m[far] == nil)
    }
}
