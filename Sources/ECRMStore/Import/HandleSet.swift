import Foundation
import CStoreTuning

/// The store's member handles (every `member.buyer_id`) and those a load gives, as an exact set,
/// for a load whose files resolve no Taobao buyer (MemberKeys): it only asks whether a handle it
/// is about to give is taken. The key map (BuyerIndex) held each of them in a 24-byte slot with its member, though
/// nothing of such a load looks a Taobao key up: at 1M members that was 69 MB of table, zeroed by
/// the kernel page by page as the preload wrote it at random (about 0.3 s of issue 19's keys
/// phase). Here a handle costs an 8-byte slot and its bytes once, appended in order.
///
/// A slot holds the hash's top 24 bits over an offset into `bytes` (a 4-byte length, then the
/// handle): a slot whose bits match is confirmed byte for byte, so a hash collision never makes a
/// free handle look taken.
final class HandleSet {
    private static let offsetBits: UInt64 = 40
    private static let offsetMask: UInt64 = (1 << offsetBits) - 1

    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var count = 0
    private var bytes: [UInt8] = []

    /// `expected`: how many handles, `expectedBytes`: about how many bytes they hold in all.
    init(expected: Int = 0, expectedBytes: Int = 0) {
        capacity = Self.capacity(for: expected)
        slots = HugePages.allocate(UInt64.self, count: capacity)
        bytes.reserveCapacity(expectedBytes + 4 * expected)
    }

    deinit { HugePages.free(slots, count: capacity) }

    private static func capacity(for keys: Int) -> Int { max(16, keys + keys / 2 + 1) }

    /// BuyerIndex's hash of long ids.
    @inline(__always)
    private static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 { BuyerIndex.longHash(b) }

    @inline(__always)
    private func home(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h.multipliedFullWidth(by: UInt64(capacity)).high) }

    /// The hash bits a slot keeps (never 0: an empty slot is 0).
    @inline(__always)
    private static func tag(_ h: UInt64) -> UInt64 { (h >> offsetBits) | 1 }

    /// Starts loading a handle's home slot into the cache.
    @inline(__always)
    func prefetch(_ b: UnsafeRawBufferPointer) { ecrm_prefetch(slots + home(Self.hash(b))) }

    /// `prefetch` of a handle given as a String (nothing for one without contiguous UTF-8).
    @inline(__always)
    func prefetch(_ text: String) {
        _ = text.utf8.withContiguousStorageIfAvailable { prefetch(UnsafeRawBufferPointer($0)) }
    }

    func contains(_ text: String) -> Bool {
        var s = text
        return s.withUTF8 { contains(UnsafeRawBufferPointer($0)) }
    }

    func insert(_ text: String) {
        var s = text
        s.withUTF8 { insert(UnsafeRawBufferPointer($0)) }
    }

    func contains(_ b: UnsafeRawBufferPointer) -> Bool {
        let h = Self.hash(b)
        let tag = Self.tag(h)
        var i = home(h)
        while true {
            let s = slots[i]
            if s == 0 { return false }
            if s >> Self.offsetBits == tag && equals(Int(s & Self.offsetMask), b) { return true }
            i += 1
            if i == capacity { i = 0 }
        }
    }

    /// Adds a handle (one already there is left as it is).
    func insert(_ b: UnsafeRawBufferPointer) {
        if (count + 1) * 3 > capacity * 2 { grow() }
        let h = Self.hash(b)
        let tag = Self.tag(h)
        var i = home(h)
        while true {
            let s = slots[i]
            if s == 0 { break }
            if s >> Self.offsetBits == tag && equals(Int(s & Self.offsetMask), b) { return }
            i += 1
            if i == capacity { i = 0 }
        }
        let at = bytes.count
        withUnsafeBytes(of: UInt32(b.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: b)
        slots[i] = tag << Self.offsetBits | UInt64(at)
        count += 1
    }

    @inline(__always)
    private func equals(_ at: Int, _ b: UnsafeRawBufferPointer) -> Bool {
        bytes.withUnsafeBytes { a in
            let n = Int(a.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            return n == b.count && (n == 0 || memcmp(a.baseAddress! + at + 4, b.baseAddress!, n) == 0)
        }
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity = Self.capacity(for: capacity)
        slots = HugePages.allocate(UInt64.self, count: capacity)
        bytes.withUnsafeBytes { a in
            for j in 0..<oldCapacity where old[j] != 0 {
                let at = Int(old[j] & Self.offsetMask)
                let n = Int(a.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                var i = home(Self.hash(UnsafeRawBufferPointer(rebasing: a[(at + 4)..<(at + 4 + n)])))
                while slots[i] != 0 { i += 1; if i == capacity { i = 0 } }
                slots[i] = old[j]
            }
        }
        HugePages.free(old, count: oldCapacity)
    }
}
