/// A growable buffer of plain values, reused from one partition to the next, with no per-append
/// checks beyond `reserve`: appending tens of millions of varint bytes or packed pairs to arrays
/// checked capacity and uniqueness for each (a tenth of the sorting threads' time). The posting
/// encoder's bytes (ByteBuffer) and the search merge's pairs (PairBuffer) are both this.
final class UncheckedBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Room for `n` more values.
    @inline(__always)
    func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        capacity = max(2 * capacity, needed)
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
    }

    /// One value; room reserved by the caller.
    @inline(__always)
    func append(_ v: Element) {
        base[count] = v
        count += 1
    }

    /// Another buffer's values after these.
    func append(_ other: UncheckedBuffer<Element>) {
        reserve(other.count)
        (base + count).update(from: other.base, count: other.count)
        count += other.count
    }
}

typealias ByteBuffer = UncheckedBuffer<UInt8>
/// Packed (gram, rank) pairs.
typealias PairBuffer = UncheckedBuffer<UInt64>
