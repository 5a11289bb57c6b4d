import ECRMDomain

/// A member's paid orders as compact (day, amount) pairs: the `member_stats.paid_days` blob.
/// 12 bytes an order (Int32 day number + Int64 fen, little-endian), sorted by day. It lets RFM for any
/// as-of date and window read one row per member instead of rescanning the orders table.
struct PaidHistory: Equatable {
    var days: [Int32] = []
    var amounts: [Int64] = []

    init() {}

    init(blob: UnsafeRawBufferPointer) {
        let n = blob.count / 12
        days.reserveCapacity(n)
        amounts.reserveCapacity(n)
        for i in 0..<n {
            days.append(Int32(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12, as: Int32.self)))
            amounts.append(Int64(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12 + 4, as: Int64.self)))
        }
    }

    var count: Int { days.count }

    mutating func append(day: Int32, amount: Int64) {
        days.append(day)
        amounts.append(amount)
    }

    /// Sorts by day; the blob is kept sorted so readers may stop early.
    mutating func sort() {
        guard days.count > 1 else { return }
        var sorted = true
        for i in 1..<days.count where days[i] < days[i - 1] { sorted = false; break }
        if sorted { return }
        let order = days.indices.sorted { days[$0] < days[$1] }
        days = order.map { days[$0] }
        amounts = order.map { amounts[$0] }
    }

    var blob: [UInt8] {
        var out = [UInt8](repeating: 0, count: days.count * 12)
        out.withUnsafeMutableBytes { buf in
            for i in days.indices {
                buf.storeBytes(of: days[i].littleEndian, toByteOffset: i * 12, as: Int32.self)
                buf.storeBytes(of: amounts[i].littleEndian, toByteOffset: i * 12 + 4, as: Int64.self)
            }
        }
        return out
    }

    var sum: Int64 { amounts.reduce(0, +) }

    /// Folds the blob straight into an accumulator without decoding into arrays (the recompute hot path).
    static func fold(blob: UnsafeRawBufferPointer, into acc: inout RFMAccumulator) {
        let n = blob.count / 12
        for i in 0..<n {
            let day = Int32(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12, as: Int32.self))
            let amount = Int64(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12 + 4, as: Int64.self))
            acc.add(day: day, amount: amount)
        }
    }
}
