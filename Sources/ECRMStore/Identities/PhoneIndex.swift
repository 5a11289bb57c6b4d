import Foundation
import CStoreTuning

/// Link phone → member for a load's phone links (MemberKeys): an open-addressing table of one
/// 64-bit word per slot, the phone (11 digits from 1, below 2^35) in the high 35 bits and the member
/// id in the low 29. A Swift `[UInt64: Int64]` cost a SipHash and two cache misses per member
/// (find, then insert) and about 30 MB at 1M members, in the load's bottleneck thread: here a
/// member costs one probe, prefetched ahead in a batch (MemberKeys.resolveAll), 12 MB at 1M.
/// A phone two or more members have is marked (`sharedMark`); its members are kept apart.
final class PhoneIndex {
    private static let memberBits: UInt64 = 29
    private static let memberMask: UInt64 = (1 << memberBits) - 1
    /// The member field of a phone two or more members have.
    static let sharedMark = Int64(memberMask)

    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var count = 0
    /// Members of shared phones (at most MemberKeys.candidateLimit + 1 each).
    private(set) var shared: [UInt64: [Int64]] = [:]

    init(expected: Int = 0) {
        capacity = Self.capacity(for: expected)
        slots = HugePages.allocate(UInt64.self, count: capacity)
    }

    deinit { HugePages.free(slots, count: capacity) }

    private static func capacity(for keys: Int) -> Int { max(16, keys + keys / 2 + 1) }

    /// Whether a member id fits a slot (ids beyond 2^29 - 1 are not indexed: they never link).
    static func fits(_ member: Int64) -> Bool { member > 0 && member < sharedMark }

    @inline(__always)
    private func home(_ phone: UInt64) -> Int {
        let h = (phone &* 0x9E37_79B9_7F4A_7C15) ^ (phone >> 29)
        return Int(truncatingIfNeeded: (h &* 0xBF58_476D_1CE4_E5B9).multipliedFullWidth(by: UInt64(capacity)).high)
    }

    /// Starts loading a phone's home slot into the cache.
    @inline(__always)
    func prefetch(_ phone: UInt64) { ecrm_prefetch(slots + home(phone)) }

    /// The members that have this phone (in the order they were added).
    func owners(_ phone: UInt64) -> [Int64] {
        var i = home(phone)
        while true {
            let s = slots[i]
            if s == 0 { return [] }
            if s >> Self.memberBits == phone {
                let m = Int64(s & Self.memberMask)
                return m == Self.sharedMark ? shared[phone] ?? [] : [m]
            }
            i += 1
            if i == capacity { i = 0 }
        }
    }

    /// Adds a member to a phone's owners (a second member marks the phone shared).
    func add(_ phone: UInt64, _ member: Int64, limit: Int) {
        guard Self.fits(member), phone < (1 << 35) else { return }
        if (count + 1) * 3 > capacity * 2 { grow() }
        var i = home(phone)
        while true {
            let s = slots[i]
            if s == 0 {
                slots[i] = phone << Self.memberBits | UInt64(member)
                count += 1
                return
            }
            if s >> Self.memberBits == phone {
                let m = Int64(s & Self.memberMask)
                if m == member { return }
                if m != Self.sharedMark {
                    slots[i] = phone << Self.memberBits | Self.memberMask
                    shared[phone] = [m, member]
                } else if shared[phone]!.count < limit, !shared[phone]!.contains(member) {
                    shared[phone]!.append(member)
                }
                return
            }
            i += 1
            if i == capacity { i = 0 }
        }
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity = Self.capacity(for: capacity)
        slots = HugePages.allocate(UInt64.self, count: capacity)
        for j in 0..<oldCapacity where old[j] != 0 {
            var i = home(old[j] >> Self.memberBits)
            while slots[i] != 0 { i += 1; if i == capacity { i = 0 } }
            slots[i] = old[j]
        }
        HugePages.free(old, count: oldCapacity)
    }
}
