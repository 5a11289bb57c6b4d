import CStoreTuning

/// Member id or identity row id → a small value, for a load's key map (MemberKeys): a flat array
/// indexed by id, since both kinds of ids count up from 1 with few gaps. A Swift Dictionary cost a
/// hash and a probe or two per order row of a channel import (identity row → member, the member's
/// empty fields: about a fifth of the parsing thread's resolving); here it is one array read.
/// Zero means absent (the values kept are never zero: a member id, a non-empty field mask, a
/// non-empty channel mask). An id beyond `denseLimit` (a store with far-apart ids) goes to a
/// dictionary instead, so memory stays bounded by the ids actually used.
struct DenseMap<Value: FixedWidthInteger> {
    private var values: [Value] = []
    private var far: [Int64: Value] = [:]
    /// Whether any value was ever set (a cheap test before a look-up, as Dictionary.isEmpty was).
    private(set) var isEmpty = true
    static var denseLimit: Int64 { 1 << 26 }

    init() {}

    subscript(key: Int64) -> Value? {
        get {
            if key >= 0 && key < Int64(values.count) {
                let v = values[Int(key)]
                return v == 0 ? nil : v
            }
            return key >= 0 && key < Self.denseLimit ? nil : far[key]
        }
        set {
            let v = newValue ?? 0
            if v != 0 { isEmpty = false }
            guard key >= 0 && key < Self.denseLimit else {
                far[key] = v == 0 ? nil : v
                return
            }
            let i = Int(key)
            if i >= values.count {
                guard v != 0 else { return }
                // Doubling: ids mostly arrive one past the last (a new member), each must not copy.
                if i >= values.capacity { values.reserveCapacity(max(i + 1, values.capacity * 2)) }
                values.append(contentsOf: repeatElement(0, count: i + 1 - values.count))
            }
            values[i] = v
        }
    }

    subscript(key: Int64, default value: Value) -> Value {
        get { self[key] ?? value }
        set { self[key] = newValue }
    }

    /// Starts loading a key's value into the cache (a hint: nothing for a key not stored densely).
    @inline(__always)
    func prefetch(_ key: Int64) {
        guard key >= 0 && key < Int64(values.count) else { return }
        values.withUnsafeBufferPointer { ecrm_prefetch($0.baseAddress! + Int(key)) }
    }

    /// Room for ids up to `maxKey` without regrowing.
    mutating func reserve(upTo maxKey: Int64) {
        guard maxKey > 0 && maxKey < Self.denseLimit else { return }
        values.reserveCapacity(Int(maxKey) + 1)
    }
}
