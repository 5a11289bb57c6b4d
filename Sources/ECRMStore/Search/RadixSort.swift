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
