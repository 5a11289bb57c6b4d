/// In-place MSD radix sort (American flag sort) of UInt64 on 8-bit digits from the top, with a
/// comparison sort for small ranges: the index build sorts tens of millions of packed (gram, rank)
/// pairs, where this is several times faster than a comparison sort, and it needs no scratch copy,
/// so a search partition holds twice the pairs of an LSD sort in the same memory (and the build
/// makes half the passes over every member's grams).
enum RadixSort {
    static func sort(_ a: inout [UInt64]) {
        a.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count > 1 else { return }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 8 * 512) { scratch in
                sortRange(base, buf.count, shift: 56, counts: scratch.baseAddress!)
            }
        }
    }

    /// `counts` holds 512 Ints per remaining digit level (8 levels), so recursion allocates nothing.
    private static func sortRange(_ a: UnsafeMutablePointer<UInt64>, _ n: Int, shift: UInt64, counts: UnsafeMutablePointer<Int>) {
        // Below a few hundred keys a 256-way pass costs more than it saves: a comparison sort finishes.
        if n <= 256 {
            var small = UnsafeMutableBufferPointer(start: a, count: n)
            small.sort()
            return
        }
        let next = counts, end = counts + 256
        for d in 0..<256 { next[d] = 0 }
        for i in 0..<n { next[Int((a[i] >> shift) & 0xFF)] += 1 }
        var sum = 0
        for d in 0..<256 {
            let c = next[d]
            next[d] = sum
            sum += c
            end[d] = sum
        }
        for d in 0..<256 {
            while next[d] < end[d] {
                var v = a[next[d]]
                var vd = Int((v >> shift) & 0xFF)
                while vd != d {
                    swap(&v, &a[next[vd]])
                    next[vd] += 1
                    vd = Int((v >> shift) & 0xFF)
                }
                a[next[d]] = v
                next[d] += 1
            }
        }
        guard shift > 0 else { return }
        var start = 0
        for d in 0..<256 {
            let stop = end[d]
            if stop - start > 1 { sortRange(a + start, stop - start, shift: shift - 8, counts: counts + 512) }
            start = stop
        }
    }
}
