/// A compact list of member ids for the bulk-tag undo log: ids sorted ascending, each stored as
/// the LEB128 varint of its gap from the previous one. 100,000 ids out of a million take ~200 KB
/// instead of 800 KB, and the log row is written and read in one piece.
enum MemberIdBlob {
    static func encode(sortedIds ids: [Int64]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(ids.count * 2)
        var prev: Int64 = 0
        for id in ids {
            precondition(id >= prev, "ids must be sorted ascending and non-negative")
            var gap = UInt64(id - prev)
            prev = id
            while gap >= 0x80 {
                out.append(UInt8(gap & 0x7F) | 0x80)
                gap >>= 7
            }
            out.append(UInt8(gap))
        }
        return out
    }

    /// Nil when the bytes end in the middle of a number.
    static func decode(_ bytes: [UInt8]) -> [Int64]? {
        var ids: [Int64] = []
        var prev: Int64 = 0
        var gap: UInt64 = 0
        var shift: UInt64 = 0
        for b in bytes {
            guard shift < 64 else { return nil }
            gap |= UInt64(b & 0x7F) << shift
            if b & 0x80 != 0 { shift += 7; continue }
            prev += Int64(gap)
            ids.append(prev)
            gap = 0; shift = 0
        }
        return shift == 0 ? ids : nil
    }
}
