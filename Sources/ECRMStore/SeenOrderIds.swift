/// The order ids one file has given so far, each with the line it came on, so a repeat is
/// rejected naming both lines (the first row wins) before it can resolve a buyer or reach the store.
///
/// Files list orders in id order, so nearly every id is above all before it: those are kept as
/// steps (4 bytes, and 1 for the line step) in blocks of at most 64 that start from a whole id,
/// and found again by a binary search over the blocks. That costs a comparison and two appends per
/// row on the parsing thread, and 5 bytes an order (25 MB for 5M orders) instead of a hash set's
/// ~40 and its cache misses. The few ids out of order go in a dictionary.
final class SeenOrderIds {
    private static let blockLength = 64
    private var blockFirstId: [Int64] = []
    private var blockFirstLine: [Int] = []
    private var blockStart: [Int] = []
    private var idSteps: [UInt32] = []
    private var lineSteps: [UInt8] = []
    private var lastId: Int64 = .min
    private var lastLine = 0
    private var others: [Int64: Int] = [:]

    /// The line `id` was first seen on, or nil if this is its first time (it is then remembered at `line`).
    func firstLine(of id: Int64, at line: Int) -> Int? {
        if idSteps.isEmpty || id > lastId {
            let step = UInt64(bitPattern: id &- lastId)
            let lineStep = line - lastLine
            if idSteps.isEmpty || idSteps.count - blockStart[blockStart.count - 1] >= Self.blockLength
                || step > UInt64(UInt32.max) || lineStep < 0 || lineStep > Int(UInt8.max) {
                blockFirstId.append(id)
                blockFirstLine.append(line)
                blockStart.append(idSteps.count)
                idSteps.append(0)
                lineSteps.append(0)
            } else {
                idSteps.append(UInt32(step))
                lineSteps.append(UInt8(lineStep))
            }
            lastId = id
            lastLine = line
            return nil
        }
        if let first = inAscendingRun(id) ?? others[id] { return first }
        others[id] = line
        return nil
    }

    private func inAscendingRun(_ id: Int64) -> Int? {
        // The last block whose first id is <= id.
        var low = 0, high = blockFirstId.count
        while low < high {
            let mid = (low + high) / 2
            if blockFirstId[mid] <= id { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let b = low - 1
        let end = b + 1 < blockStart.count ? blockStart[b + 1] : idSteps.count
        var current = blockFirstId[b], line = blockFirstLine[b]
        for k in blockStart[b]..<end {
            current &+= Int64(idSteps[k])
            line += Int(lineSteps[k])
            if current == id { return line }
            if current > id { return nil }
        }
        return nil
    }
}
