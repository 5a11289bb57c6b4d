/// LSD radix sort of UInt64 in 16-bit digits: the index build sorts tens of millions of packed
/// (gram, rank) pairs, where this is several times faster than a comparison sort. Digits on which
/// all values agree are skipped.
enum RadixSort {
    static func sort(_ a: inout [UInt64]) {
        let n = a.count
        guard n > 1 else { return }
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 65_537)
        var inScratch = false
        for shift in stride(from: 0, to: 64, by: 16) {
            let s = UInt64(shift)
            for i in counts.indices { counts[i] = 0 }
            a.withUnsafeBufferPointer { src0 in
                scratch.withUnsafeBufferPointer { src1 in
                    let src = inScratch ? src1 : src0
                    for v in src { counts[Int((v >> s) & 0xFFFF) + 1] += 1 }
                }
            }
            if counts.contains(n) { continue }   // every value has the same digit here
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            if inScratch {
                scratch.withUnsafeBufferPointer { src in
                    a.withUnsafeMutableBufferPointer { dst in scatter(src, dst, s, &counts) }
                }
            } else {
                a.withUnsafeBufferPointer { src in
                    scratch.withUnsafeMutableBufferPointer { dst in scatter(src, dst, s, &counts) }
                }
            }
            inScratch.toggle()
        }
        if inScratch { a = scratch }
    }

    @inline(__always)
    private static func scatter(_ src: UnsafeBufferPointer<UInt64>, _ dst: UnsafeMutableBufferPointer<UInt64>,
                                _ s: UInt64, _ counts: inout [Int]) {
        counts.withUnsafeMutableBufferPointer { c in
            for v in src {
                let d = Int((v >> s) & 0xFFFF)
                dst[c[d]] = v
                c[d] += 1
            }
        }
    }
}

extension RadixSort {
    /// In-place MSD radix sort (American flag sort) on 8-bit digits from the top, with insertion
    /// sort for small ranges. Needs no scratch copy, so a search partition can hold twice the
    /// pairs in the same memory (and the build makes half the passes over every member's grams).
    static func sortInPlace(_ a: inout [UInt64]) {
        a.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count > 1 else { return }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 8 * 512) { scratch in
                sortRange(base, buf.count, shift: 56, counts: scratch.baseAddress!)
            }
        }
    }

    /// `counts` holds 512 Ints per remaining digit level (8 levels), so recursion allocates nothing.
    private static func sortRange(_ a: UnsafeMutablePointer<UInt64>, _ n: Int, shift: UInt64, counts: UnsafeMutablePointer<Int>) {
        if n <= 48 {
            for i in 1..<max(n, 1) {
                let v = a[i]
                var j = i
                while j > 0 && a[j - 1] > v { a[j] = a[j - 1]; j -= 1 }
                a[j] = v
            }
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
