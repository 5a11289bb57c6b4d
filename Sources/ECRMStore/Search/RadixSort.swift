/// In-place MSD radix sort (American flag sort) of UInt64 on 8-bit digits from the top, with an
/// insertion sort for small ranges: the index build sorts tens of millions of packed (gram, rank)
/// pairs, where this is several times faster than a comparison sort, and it needs no copy of the
/// whole input, so a search partition holds twice the pairs of an LSD sort in the same memory (and
/// the build makes half the passes over every member's grams). Only a large range goes through a
/// caller's spare room, when it fits (the largest group of a partition, far smaller than it).
enum RadixSort {
    /// Ranges up to this many keys are distributed through a scratch copy (see `sortRange`).
    static let smallKeys = 2048

    /// Room for the digit counts of every level and a small range's keys, for `sort(_:fromShift:scratch:)`.
    static func withScratch<R>(_ body: (UnsafeMutablePointer<Int>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: 8 * 512 + smallKeys) { try body($0.baseAddress!) }
    }

    /// Sorts keys that already agree on every bit above `shift + 8` (a caller that distributed
    /// them by their top bits sorts each group from the first digit that differs; 56 sorts any keys).
    /// `spare`: room to distribute a large range through (see `sortRange`), if the caller has it.
    static func sort(_ buf: UnsafeMutableBufferPointer<UInt64>, fromShift shift: UInt64, scratch: UnsafeMutablePointer<Int>,
                     spare: UnsafeMutableBufferPointer<UInt64> = .init(start: nil, count: 0)) {
        guard let base = buf.baseAddress, buf.count > 1 else { return }
        let keys = UnsafeMutableRawPointer(scratch + 8 * 512).assumingMemoryBound(to: UInt64.self)
        sortRange(base, buf.count, shift: shift, counts: scratch, keys: keys, spare: spare)
    }

    /// `counts` holds 512 Ints per remaining digit level (8 levels), so recursion allocates nothing;
    /// `keys` has room for `smallKeys` keys.
    private static func sortRange(_ a: UnsafeMutablePointer<UInt64>, _ n: Int, shift: UInt64,
                                  counts: UnsafeMutablePointer<Int>, keys: UnsafeMutablePointer<UInt64>,
                                  spare: UnsafeMutableBufferPointer<UInt64>) {
        // Below a few dozen keys a 256-way pass costs more than it saves: insertion sort finishes
        // (the standard library's sort allocates a merge buffer per call, measured 3x slower here).
        if n <= 48 {
            insertionSort(a, n)
            return
        }
        let next = counts, end = counts + 256
        for d in 0..<256 { next[d] = 0 }
        for i in 0..<n { next[Int((a[i] >> shift) & 0xFF)] += 1 }
        // Every key has the same digit here (a search partition's top byte, or a gram's bits
        // shared by its whole posting): nothing to move, go to the next digit.
        if next[Int((a[0] >> shift) & 0xFF)] == n {
            if shift > 0 { sortRange(a, n, shift: shift - 8, counts: counts, keys: keys, spare: spare) }
            return
        }
        var sum = 0, largest = 0
        for d in 0..<256 {
            let c = next[d]
            next[d] = sum
            sum += c
            end[d] = sum
            largest = max(largest, c)
        }
        // Every digit holds a few keys (a search group: ~500 keys over 256 digits). Distribute them
        // through the scratch copy, where each key's store is independent (the in-place cycles
        // below chain every move on the one before), then one insertion sort over the range only
        // moves keys within their digit: about one pass, where a call per digit cost more than
        // the sort itself. Measured: about a third of the build's sort time.
        if n <= smallKeys && largest <= 48 {
            for i in 0..<n {
                let v = a[i], d = Int((v >> shift) & 0xFF)
                keys[next[d]] = v
                next[d] += 1
            }
            a.update(from: keys, count: n)
            insertionSort(a, n)
            return
        }
        // A large range (one popular gram's members) that fits the spare room: distributed through
        // it and copied back, where the in-place cycles below chain every move on the one before
        // (measured: a third of the sort's time went to those cycles).
        if n <= spare.count, let to = spare.baseAddress {
            for i in 0..<n {
                let v = a[i], d = Int((v >> shift) & 0xFF)
                to[next[d]] = v
                next[d] += 1
            }
            a.update(from: to, count: n)
        } else {
            cycleLeader(a, shift: shift, next: next, end: end)
        }
        guard shift > 0 else { return }
        var start = 0
        for d in 0..<256 {
            let stop = end[d]
            if stop - start > 1 { sortRange(a + start, stop - start, shift: shift - 8, counts: counts + 512, keys: keys, spare: spare) }
            start = stop
        }
    }

    /// American flag sort's in-place distribution: digit d's keys go to next[d]..<end[d].
    @inline(__always)
    private static func cycleLeader(_ a: UnsafeMutablePointer<UInt64>, shift: UInt64, next: UnsafeMutablePointer<Int>, end: UnsafeMutablePointer<Int>) {
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
    }

    @inline(__always)
    private static func insertionSort(_ a: UnsafeMutablePointer<UInt64>, _ n: Int) {
        guard n > 1 else { return }
        for i in 1..<n {
            let v = a[i]
            var j = i
            while j > 0 && a[j - 1] > v {
                a[j] = a[j - 1]
                j -= 1
            }
            a[j] = v
        }
    }
}
