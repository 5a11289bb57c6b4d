/// How search sees text: Unicode scalars with ASCII letters folded to lower case (Amy = amy = AMY;
/// shoppers type Latin nicks in any case, while CJK has no case). Nothing else is folded, so every
/// character a user types, `"` `*` `%` `_` `\` included, is matched literally.
enum SearchText {
    static func normalized(_ s: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.utf8.count)
        append(s, to: &out)
        return out
    }

    static func append(_ s: String, to out: inout [UInt32]) {
        for u in s.unicodeScalars {
            let v = u.value
            out.append(v >= 65 && v <= 90 ? v + 32 : v)
        }
    }

    static func isDigits(_ q: [UInt32]) -> Bool {
        !q.isEmpty && q.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    static func contains(_ text: [UInt32], _ q: [UInt32]) -> Bool {
        guard q.count <= text.count else { return false }
        if q.isEmpty { return true }
        var i = 0
        while i + q.count <= text.count {
            if text[i] == q[0] {
                var j = 1
                while j < q.count && text[i + j] == q[j] { j += 1 }
                if j == q.count { return true }
            }
            i += 1
        }
        return false
    }

    static func hasPrefix(_ text: [UInt32], _ q: [UInt32]) -> Bool {
        q.count <= text.count && text[0..<q.count].elementsEqual(q)
    }

    static func hasSuffix(_ text: [UInt32], _ q: [UInt32]) -> Bool {
        q.count <= text.count && text[(text.count - q.count)...].elementsEqual(q)
    }
}

/// The grams a member is indexed under, as 64-bit hashes. A hash collision only adds a candidate,
/// and every candidate is checked against the member's real text before it is shown, so the hash
/// needs no exactness — only spread (the top bits pick the build partition and bucket).
enum Gram {
    enum Kind: UInt64 { case uni = 1, bi, tri, prefix1, prefix2, exact, phoneTail }

    /// Scalars are < 2^21, so up to three pack losslessly into 63 bits before hashing.
    @inline(__always)
    static func key(_ kind: Kind, _ a: UInt32, _ b: UInt32 = 0, _ c: UInt32 = 0) -> UInt64 {
        mix(UInt64(a) | UInt64(b) << 21 | UInt64(c) << 42, kind)
    }

    static func exactKey(_ text: ArraySlice<UInt32>) -> UInt64 {
        text.withUnsafeBufferPointer { exactKey($0) }
    }

    @inline(__always)
    static func exactKey(_ text: UnsafeBufferPointer<UInt32>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325   // FNV-1a over the scalars
        for v in text { h = (h ^ UInt64(v)) &* 0x100000001b3 }
        return mix(h ^ UInt64(text.count) << 56, .exact)
    }

    /// splitmix64's finalizer, salted by kind so a bigram and a unigram never share a key by design.
    @inline(__always)
    static func mix(_ x: UInt64, _ kind: Kind) -> UInt64 {
        var z = x &+ kind.rawValue &* 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// Every gram of one field: each scalar, pair and triple, the first one and two scalars, and the
    /// whole text. Duplicates are fine (the builder drops them after sorting). Over raw memory: the
    /// index build runs this ~30M times, where slicing the shared text array cost a reference-count
    /// round trip and bounds checks per field.
    @inline(__always)
    static func forEach(field t: UnsafeBufferPointer<UInt32>, _ body: (UInt64) -> Void) {
        let n = t.count
        guard n > 0, let p = t.baseAddress else { return }
        for i in 0..<n {
            let a = p[i]
            body(key(.uni, a))
            if i + 1 < n {
                let b = p[i + 1]
                body(key(.bi, a, b))
                if i + 2 < n { body(key(.tri, a, b, p[i + 2])) }
            }
        }
        body(key(.prefix1, p[0]))
        if n > 1 { body(key(.prefix2, p[0], p[1])) }
        body(exactKey(t))
    }

    /// Every gram a member is indexed under: its nick's and name's (`forEach(field:)`) and its phone
    /// tail key (0: none). The one definition the table build, the early pairs and a refresh share.
    @inline(__always)
    static func forEachOfMember(nick: UnsafeBufferPointer<UInt32>, name: UnsafeBufferPointer<UInt32>, phoneKey: UInt64,
                                _ body: (UInt64) -> Void) {
        forEach(field: nick, body)
        forEach(field: name, body)
        if phoneKey != 0 { body(phoneKey) }
    }

    /// Phone tails are indexed by their last four digits; longer tails are checked on the text.
    static func phoneTailKey(_ phone: [UInt32]) -> UInt64? {
        guard phone.count >= 4 else { return nil }
        let n = phone.count
        return key(.phoneTail, phone[n - 4], phone[n - 3], phone[n - 2] | phone[n - 1] << 8)
    }
}
