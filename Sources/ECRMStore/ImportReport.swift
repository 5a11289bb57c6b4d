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
    public var added = 0
    public var updated = 0
    public var skipped = 0
    public var rejected = 0
    /// Members an orders file created because their buyer was unknown.
    public var membersCreated = 0
    /// Members whose tier rose after the import (auto-upgrade, never a demotion).
    public var membersUpgraded = 0
    /// The first problems, in file order (capped so a wholly wrong file cannot exhaust memory).
    public var problems: [Problem] = []
    /// How a bulk load built the search index: "early" (pairs made from the members' texts while
    /// the load's stats and indexes were written, EarlyPairs) or "table" (read back from the member
    /// table); "" when a small load refreshed it. For the benchmark and tests.
    public var searchBuild = ""
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

    public var summary: String {
        "\(kind) (\(format), \(encoding)): \(added) added, \(updated) updated, \(skipped) skipped, \(rejected) rejected"
            + (membersCreated > 0 ? "; \(membersCreated) members created from orders" : "")
            + (membersUpgraded > 0 ? "; \(membersUpgraded) members upgraded" : "")
    }
}
