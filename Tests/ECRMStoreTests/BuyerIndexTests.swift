import Testing
@testable import ECRMStore

@Suite struct BuyerIndexTests {
    /// Buyer ids of every length class: empty, short ASCII, exactly 15 and 16 bytes (the inline
    /// limit and one past it), Chinese nicks (3 bytes a character) and long ids, plus ids that differ
    /// only in their last byte or only in length (trailing zero bytes must not make them equal).
    private static func ids(_ n: Int) -> [String] {
        var out = ["", "a", "a\u{0}", "123456789012345", "1234567890123456", "123456789012345\u{0}"]
        for i in 0..<n {
            switch i % 5 {
            case 0: out.append("b\(String(format: "%08d", i))")
            case 1: out.append("小明\(i)")
            case 2: out.append("tb_\(i)_长长长长的淘宝会员名字")
            case 3: out.append(String(repeating: "x", count: 15 - String(i).count) + String(i))
            default: out.append(String(repeating: "y", count: 16 + i % 20) + String(i))
            }
        }
        return out
    }

    /// Agrees with a Dictionary on every id put in, on ids never put in, and on replaced members,
    /// starting from the smallest table so it grows many times.
    @Test func agreesWithADictionaryWhileGrowing() {
        let keys = Self.ids(50_000)
        let index = BuyerIndex()
        var oracle: [String: Int64] = [:]
        for (k, key) in keys.enumerated() {
            index.set(key, Int64(k) + 1)
            oracle[key] = Int64(k) + 1
        }
        #expect(index.count == oracle.count)
        var wrong = 0
        for key in keys where index.find(key) != oracle[key] { wrong += 1 }
        #expect(wrong == 0)
        // Absent: each id with one byte more, or its last byte changed.
        var foundAbsent = 0
        for key in keys {
            for probe in [key + "z", String(key.dropLast()) + "\u{7F}"] where oracle[probe] == nil && index.find(probe) != nil {
                foundAbsent += 1
            }
        }
        #expect(foundAbsent == 0)
        // Setting an id again replaces its member and adds nothing.
        for key in keys.prefix(1000) { index.set(key, -7) }
        #expect(index.count == oracle.count)
        #expect(keys.prefix(1000).allSatisfy { index.find($0) == -7 })
        #expect(index.find(keys[1000]) == oracle[keys[1000]])
    }

    /// A table sized up front for the load finds raw bytes (the preload reads them from SQLite) and
    /// Strings alike.
    @Test func bytesAndStringsAreTheSameKey() {
        let index = BuyerIndex(expected: 3)
        for (k, key) in ["b1", "长长长长长长长长长长", "张三"].enumerated() {
            var s = key
            s.withUTF8 { index.set(UnsafeRawBufferPointer($0), Int64(k)) }
        }
        #expect(index.find("b1") == 0)
        #expect(index.find("长长长长长长长长长长") == 1)
        #expect(index.find("张三") == 2)
        #expect(index.find("张") == nil)
    }
}
