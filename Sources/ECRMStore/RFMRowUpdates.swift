import GRDB

/// UPDATE statements on member_rfm that set only the columns that changed, one prepared per set
/// of changed column groups: SQLite leaves an index alone when its columns keep their values, which
/// is most of an update's cost. Parameters are numbered as `RFMIncremental.columns` (?1 member_id,
/// ?2 frequency, … ?10 window_exit); a caller binds all ten (SQLite ignores numbers a variant lacks).
/// There is no R column (v21: RFMDerivedR), so a member an R edge moves past is written only when
/// its segment changes with it.
/// Used by the incremental refresh (RFMIncremental.write) and the recompute's writer (RFMResultWriter).
struct RFMRowUpdates {
    /// The measure (frequency, monetary, is_returning, window_exit: in no list index).
    static let measure = 1
    static let lastPaid = 2
    static let lifecycle = 4
    static let segment = 16
    static let m = 32
    static let f = 64

    private static let groups: [(bit: Int, sets: [String])] = [
        (measure, ["frequency = ?2", "monetary = ?3", "is_returning = ?8", "window_exit = ?10"]),
        (lastPaid, ["last_paid = ?9"]),
        (lifecycle, ["lifecycle = ?7"]),
        (f, ["f = ?4"]),
        (segment, ["segment = ?6"]),
        (m, ["m = ?5"]),
    ]

    private var statements: [Int: RawStatement] = [:]

    /// The statement that sets the column groups in `changed` (a union of the bits above).
    mutating func statement(_ db: Database, changed: Int) throws -> RawStatement {
        if let known = statements[changed] { return known }
        let sets = Self.groups.filter { changed & $0.bit != 0 }.flatMap(\.sets)
        let st = try RawStatement(db, "UPDATE member_rfm SET \(sets.joined(separator: ", ")) WHERE member_id = ?1")
        statements[changed] = st
        return st
    }
}
