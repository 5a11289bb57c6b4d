import GRDB

/// UPDATE statements on member_rfm that set only the columns that changed, one prepared per set
/// of changed column groups: SQLite leaves an index alone when its columns keep their values, which
/// is most of an update's cost. Parameters are numbered as `RFMIncremental.columns` (?1 member_id,
/// ?2 frequency, … ?11 window_exit); a caller binds all eleven (SQLite ignores numbers a variant lacks).
/// Used by the incremental refresh (RFMIncremental.write) and the recompute's writer (RFMResultWriter).
struct RFMRowUpdates {
    /// The measure (frequency, monetary, is_returning, window_exit: in no list index).
    static let measure = 1
    static let lastPaid = 2
    static let lifecycle = 4
    /// r is in no index, and the members an R edge moves past change only r (and maybe segment).
    static let r = 8
    static let segment = 16
    static let m = 32
    static let f = 64

    private static let groups: [(bit: Int, sets: [String])] = [
        (measure, ["frequency = ?2", "monetary = ?3", "is_returning = ?9", "window_exit = ?11"]),
        (lastPaid, ["last_paid = ?10"]),
        (lifecycle, ["lifecycle = ?8"]),
        (r, ["r = ?4"]),
        (f, ["f = ?5"]),
        (segment, ["segment = ?7"]),
        (m, ["m = ?6"]),
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
