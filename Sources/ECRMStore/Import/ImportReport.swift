import ECRMDomain
/// What an import did, row by row where it went wrong (PRODUCT.md: Import).
public struct ImportReport: Sendable, Equatable, Codable {
    public struct Problem: Sendable, Equatable, Codable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public var kind: String = ""
    public var format: String = ""
    public var encoding: String = ""
    /// The channel the file's orders belong to (PRODUCT.md: Channels).
    public var channel: String = Channel.default.rawValue
    public var added = 0
    public var updated = 0
    public var skipped = 0
    public var rejected = 0
    /// Rows rejected because they could not be decoded in the file's encoding (among `rejected`).
    public var encodingRejected = 0
    /// Members an orders file created because their buyer was unknown.
    public var membersCreated = 0
    /// New identities linked to an existing member by phone (PRODUCT.md: One member across channels).
    public var identitiesLinked = 0
    /// Pairs of members recorded as duplicate candidates because a phone could not link.
    public var candidates = 0
    /// Members whose tier rose after the import (auto-upgrade, never a demotion).
    public var membersUpgraded = 0
    /// The first problems, in file order (capped so a wholly wrong file cannot exhaust memory).
    public var problems: [Problem] = []
    /// Rows kept but worth a look: a line-item row whose order-level values disagree with its order's first row.
    public var warnings: [Problem] = []
    /// How a bulk load built the search index: "early" (pairs made from the members' texts while
    /// the load's stats and indexes were written, EarlyPairs), "table" (rebuilt from the member
    /// table) or "merged" (a load into a store that had members, merged into the built postings:
    /// SearchMerge); "" when a small load refreshed it. For the benchmark and tests.
    public var searchBuild = ""
    /// With "extra": its postings were paired, sorted and encoded while the load's stats, lists and
    /// indexes were written (EarlyExtra). For the benchmark and tests.
    public var searchEarly = false
    /// How the stored RFM followed the import: "members" (only the touched members measured again,
    /// everyone scored), "all" (everyone measured) or "" (not refreshed). For the benchmark and tests.
    public var rfm = ""
    /// Per phase "name=wall/cpu/peak" (seconds, seconds, MiB), for the benchmark.
    public var phases = ""
    /// The highest resident memory of any phase, in MiB, when the benchmark asked for it
    /// (Importer.measurePhasePeaks restarts the kernel's high-water mark at every phase, so the
    /// process's own maximum no longer covers the whole import); nil otherwise.
    public var peakMemoryMiB: Int?
    public static let problemLimit = 1000

    public init() {}

    mutating func reject(line: Int, _ reason: String) {
        rejected += 1
        if problems.count < ImportReport.problemLimit { problems.append(Problem(line: line, reason: reason)) }
    }

    /// One line saying what to do when a file failed as a whole: every row was rejected, or most
    /// rows could not be decoded (the file is in the other encoding); nil otherwise. The rows that
    /// were read are in: importing the file again in the right encoding changes nothing for them.
    public func failure(path: String) -> String? {
        let rows = added + updated + skipped + rejected
        guard rejected > 0 else { return nil }
        if encodingRejected * 2 > rows { return StoreMessages.rows.wrongEncoding(path, encodingRejected, of: rows, read: encoding) }
        guard rejected == rows else { return nil }
        return StoreMessages.rows.allRejected(path, rejected)
    }

    public var summary: String { StoreMessages.rows.summary(self) }
}
