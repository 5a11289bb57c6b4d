import Foundation
import CStoreTuning

/// buyer id → member id for a load: an open-addressing table with linear probing whose 24-byte
/// slots hold buyer ids of up to 15 UTF-8 bytes inline (gen_shop's `b00064655`, most shops' ids).
/// Hand-written because Swift's `[String: Int64]` costs a SipHash and three cache misses (bucket
/// bitmap, key, value) per lookup: at 5M order rows against 1M members that was about 30% of the
/// parsing thread, the bulk load's bottleneck. Here a lookup is a multiply hash and usually one miss.
/// Longer ids live in an arena and are found by a 64-bit hash, then compared byte for byte, so a
/// hash collision can never give an order to the wrong member.
final class BuyerIndex {
    /// Inline key: `a`, `b` hold the bytes zero-padded, b's top byte is length + 1.
    /// Long key: `a` is its hash, b's top byte is 0xFF and its low 56 bits the arena offset.
    /// An empty slot has b == 0 (every key's top byte is at least 1).
    private struct Slot { var a: UInt64; var b: UInt64; var id: Int64 }
    fileprivate struct Key { var a: UInt64; var b: UInt64; var hash: UInt64 }

    private static let inlineMax = 15
    private static let longTag: UInt64 = 0xFF << 56

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private(set) var count = 0
    /// Long keys: a 4-byte length, then the bytes.
    private var arena: [UInt8] = []

    init(expected: Int = 0) {
        capacity = Self.capacity(for: expected)
        slots = HugePages.allocate(Slot.self, count: capacity)   // zeroed: every slot empty
    }

    deinit { HugePages.free(slots, count: capacity) }

    /// At most two thirds full: linear probing then averages about two slots a hit, mostly in one cache line.
    private static func capacity(for keys: Int) -> Int { max(16, keys + keys / 2 + 1) }

    func find(_ buyerId: String) -> Int64? {
        var s = buyerId
        return s.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    func find(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        find(Self.key(bytes), bytes)
    }

    /// A buyer id's key and slot, computed ahead of its lookup so the slot can be prefetched.
    struct Probe {
        fileprivate let key: Key
    }

    func probe(_ buyerId: String) -> Probe {
        if let k = buyerId.utf8.withContiguousStorageIfAvailable({ Self.key(UnsafeRawBufferPointer($0)) }) { return Probe(key: k) }
        var s = buyerId
        return Probe(key: s.withUTF8 { Self.key(UnsafeRawBufferPointer($0)) })
    }

    /// A probe of raw bytes (the key map's preload reads ids straight from SQLite's rows).
    func probe(bytes: UnsafeRawBufferPointer) -> Probe { Probe(key: Self.key(bytes)) }

    /// `find` for a probed id given as bytes.
    func find(_ p: Probe, bytes: UnsafeRawBufferPointer) -> Int64? { find(p.key, bytes) }

    /// `set` for a probed id given as bytes (the key's hash is not worked out again).
    func set(_ p: Probe, bytes: UnsafeRawBufferPointer, _ id: Int64) { set(p.key, bytes, id) }

    /// Starts loading the probe's home slot into the cache (a hint: the table may grow meanwhile).
    @inline(__always)
    func prefetch(_ p: Probe) {
        ecrm_prefetch(slots + home(p.key.hash))
    }

    /// `find` for a probed id (the same String: long ids are compared byte for byte).
    func find(_ p: Probe, _ buyerId: String) -> Int64? {
        if p.key.b >> 56 != 0xFF { return find(p.key, UnsafeRawBufferPointer(start: nil, count: 0)) }
        if let id = buyerId.utf8.withContiguousStorageIfAvailable({ find(p.key, UnsafeRawBufferPointer($0)) }) { return id }
        var s = buyerId
        return s.withUTF8 { find(p.key, UnsafeRawBufferPointer($0)) }
    }

    private func find(_ k: Key, _ bytes: UnsafeRawBufferPointer) -> Int64? {
        var i = home(k.hash)
        while true {
            let s = slots[i]
            if s.b == 0 { return nil }
            if matches(s, k, bytes) { return s.id }
            i += 1
            if i == capacity { i = 0 }
        }
    }

    /// Sets the member of a buyer id (replacing its member if the id is there already).
    func set(_ buyerId: String, _ id: Int64) {
        var s = buyerId
        s.withUTF8 { set(UnsafeRawBufferPointer($0), id) }
    }

    func set(_ bytes: UnsafeRawBufferPointer, _ id: Int64) { set(Self.key(bytes), bytes, id) }

    private func set(_ key: Key, _ bytes: UnsafeRawBufferPointer, _ id: Int64) {
        if (count + 1) * 3 > capacity * 2 { grow() }
        var k = key
        var i = home(k.hash)
        while slots[i].b != 0 {
            let s = slots[i]
            if matches(s, k, bytes) {
                slots[i].id = id
                return
            }
            i += 1
            if i == capacity { i = 0 }
        }
        if k.b >> 56 == 0xFF {
            k.b = Self.longTag | UInt64(arena.count)
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { arena.append(contentsOf: $0) }
            arena.append(contentsOf: bytes)
        }
        slots[i] = Slot(a: k.a, b: k.b, id: id)
        count += 1
    }

    @inline(__always)
    private func matches(_ s: Slot, _ k: Key, _ bytes: UnsafeRawBufferPointer) -> Bool {
        if k.b >> 56 != 0xFF { return s.b == k.b && s.a == k.a }
        return s.b >> 56 == 0xFF && s.a == k.a && arenaEquals(s.b, bytes)
    }

    private func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(capacity)).high)
    }

    private func arenaEquals(_ b: UInt64, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let at = Int(b & ~Self.longTag)
        return arena.withUnsafeBytes { a in
            let n = Int(a.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            return n == bytes.count && memcmp(a.baseAddress! + at + 4, bytes.baseAddress!, n) == 0
        }
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity = Self.capacity(for: capacity)   // 1.5 times: the keys then fill 44%
        slots = HugePages.allocate(Slot.self, count: capacity)
        for j in 0..<oldCapacity where old[j].b != 0 {
            let s = old[j]
            let hash = s.b >> 56 == 0xFF ? s.a : Self.inlineHash(s.a, s.b)
            var i = home(hash)
            while slots[i].b != 0 { i += 1; if i == capacity { i = 0 } }
            slots[i] = s
        }
        HugePages.free(old, count: oldCapacity)
    }

    private static func key(_ bytes: UnsafeRawBufferPointer) -> Key {
        let n = bytes.count
        if n <= inlineMax {
            var a: UInt64 = 0, b: UInt64 = 0
            if n > 0 {
                withUnsafeMutableBytes(of: &a) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(8))) }
                if n > 8 {
                    withUnsafeMutableBytes(of: &b) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[8...])) }
                }
            }
            b |= UInt64(n + 1) << 56
            return Key(a: a, b: b, hash: inlineHash(a, b))
        }
        let h = longHash(bytes)
        return Key(a: h, b: longTag, hash: h)
    }

    /// A long key's hash (HandleSet hashes every handle with it): FNV-1a over 8-byte words, then
    /// the splitmix finalizer for spread.
    @inline(__always)
    static func longHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0xcbf29ce484222325 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100000001b3
            i += 8
        }
        var tail: UInt64 = 0
        withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[i...])) }
        return mix(h ^ tail)
    }

    @inline(__always)
    private static func inlineHash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(a &* 0x9E3779B97F4A7C15 ^ b)
    }

    /// splitmix64's finalizer: every input bit reaches the high bits that pick the slot.
    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = (x ^ (x >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
