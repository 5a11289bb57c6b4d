/// The order ids one file has given so far, each with the line it came on, so a repeat is
/// rejected naming both lines (the first row wins) before it can resolve a buyer or reach the store.
///
/// Files list orders in id order, so nearly every id is above all before it: that ascending run is
/// kept as 16-bit steps (an id further on is kept whole in `farIds`), with the absolute id at every
/// 64th entry for a binary search, and its lines as runs of consecutive lines. That costs a
/// comparison and an append per row on the parsing thread, and about 2 bytes an order (10 MB for
/// 5M orders in id order) instead of a hash set's ~40 and its cache misses. The few ids out of
/// order go in a dictionary.
final class SeenOrderIds {
    private static let blockLength = 64
    private static let far = UInt16.max

    private var steps: [UInt16] = []
    private var farIds: [Int64] = []
    /// The id of entry b*64 and how many far ids come before it.
    private var blockFirstId: [Int64] = []
    private var blockFarStart: [Int32] = []
    /// Runs of consecutive lines: entry `lineRunStart[r]` is on `lineRunLine[r]`, the next ones on the next lines.
    private var lineRunStart: [Int32] = []
    private var lineRunLine: [Int32] = []
    private var lastId: Int64 = .min
    private var lastLine = 0
    private var others: [Int64: Int] = [:]

    /// The line `id` was first seen on, or nil if this is its first time (it is then remembered at `line`).
    @inline(__always)
    func firstLine(of id: Int64, at line: Int) -> Int? {
        if id > lastId || steps.isEmpty {
            append(id, line)
            return nil
        }
        if let first = inAscendingRun(id) ?? others[id] { return first }
        others[id] = line
        return nil
    }

    private func append(_ id: Int64, _ line: Int) {
        let k = steps.count
        let (step, overflow) = id.subtractingReportingOverflow(lastId)
        if k % Self.blockLength == 0 {
            blockFirstId.append(id)
            blockFarStart.append(Int32(farIds.count))
            steps.append(0)
        } else if !overflow && step < Int64(Self.far) {
            steps.append(UInt16(step))
        } else {
            steps.append(Self.far)
            farIds.append(id)
        }
        if k == 0 || line != lastLine + 1 {
            lineRunStart.append(Int32(k))
            lineRunLine.append(Int32(truncatingIfNeeded: line))
        }
        lastId = id
        lastLine = line
    }

    /// The last index in `a` whose value is <= `x`, or nil.
    private static func lastAtMost<T: Comparable>(_ a: [T], _ x: T) -> Int? {
        var low = 0, high = a.count
        while low < high {
            let mid = (low + high) / 2
            if a[mid] <= x { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? low - 1 : nil
    }

    private func inAscendingRun(_ id: Int64) -> Int? {
        guard let b = Self.lastAtMost(blockFirstId, id) else { return nil }
        let start = b * Self.blockLength, end = min(start + Self.blockLength, steps.count)
        var current = blockFirstId[b], far = Int(blockFarStart[b])
        for k in start..<end {
            if k > start {
                if steps[k] == Self.far { current = farIds[far]; far += 1 } else { current += Int64(steps[k]) }
            }
            if current == id {
                let r = Self.lastAtMost(lineRunStart, Int32(k))!
                return Int(lineRunLine[r]) + (k - Int(lineRunStart[r]))
            }
            if current > id { return nil }
        }
        return nil
    }
}

/// The lines of the keys one file made for its text order numbers, key by key from the file's
/// first: runs of consecutive lines, as a file lists its rows (one run for a file without a
/// rejected row), instead of 4 bytes a key (20 MB at 5M orders, and twice that while the array regrew).
struct KeyLines {
    private(set) var count = 0
    /// Key `runStart[r]` (counted from the file's first) is on line `runLine[r]`, the next ones on the next lines.
    private var runStart: [Int] = []
    private var runLine: [Int32] = []
    private var lastLine: Int32 = 0

    mutating func append(line: Int) {
        let line = Int32(clamping: line)
        if count == 0 || line != lastLine &+ 1 {
            runStart.append(count)
            runLine.append(line)
        }
        lastLine = line
        count += 1
    }

    /// The line of key number `i` (0 is the file's first key).
    func line(at i: Int) -> Int32 {
        precondition(i >= 0 && i < count)
        var low = 0, high = runStart.count
        while low < high {
            let mid = (low + high) / 2
            if runStart[mid] <= i { low = mid + 1 } else { high = mid }
        }
        return runLine[low - 1] + Int32(i - runStart[low - 1])
    }
}
