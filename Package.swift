// swift-tools-version: 6.0
// ecrm: a keyboard-only member console for small online shops.
// Layout (each module owns one layer; arrows are the only allowed imports):
//   ECRMDomain   pure rules: money, RFM, segments, lifecycle, tier ladder (no I/O)
//   CSVStream    streaming CSV reader with UTF-8/GB18030 decoding (no knowledge of members)
//   UserRights   the setgid shared store's group, dropped to open any file a user names
//   ECRMStore    SQLite store through GRDB: schema, import, search, RFM recompute, tiers, audit
//   TerminalKit  ncursesw terminal layer and widgets (no knowledge of members)
//   ECRMConsole  the console screens, built from TerminalKit over ECRMStore
//   ecrm         the command line (swift-argument-parser)
//   ecrm-bench   benchmark that prints the figures the issues ask for
import PackageDescription

let package = Package(
    name: "ecrm",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ecrm", targets: ["ecrm"]),
        .executable(name: "ecrm-bench", targets: ["ecrm-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(name: "ECRMDomain"),
        // setgid ecrm (the shared store): the store group is dropped around opening a user's files.
        .target(name: "UserRights"),
        .target(name: "CSVStream", dependencies: ["UserRights"]),
        // Process-wide malloc and SQLite settings (sqlite3_config is variadic: not callable from Swift).
        .target(name: "CStoreTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "ECRMStore",
            dependencies: [
                "ECRMDomain", "CSVStream", "CStoreTuning", "UserRights",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The raw sqlite3 API for the bulk-import hot path (binding without boxing values).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // Import profiles in the config file (ImportProfile).
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            // Release builds skip the run-time exclusivity checks on class properties: ~6% of a
            // search rebuild went to them (the bulk loaders' buffers live in classes). Debug builds,
            // which the tests run, keep them.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "CTermShims"),
        .target(
            name: "TerminalKit",
            dependencies: ["CNcursesw", "CTermShims", "UserRights", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "ECRMConsole",
            dependencies: ["TerminalKit", "ECRMStore", "ECRMDomain"]
        ),
        .executableTarget(
            name: "ecrm",
            dependencies: [
                "ECRMConsole", "ECRMStore", "ECRMDomain", "TerminalKit", "CSVStream", "UserRights",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // /etc/ecrm/config.toml (the shared store), read as the console reads its config.
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The console too: the Campaigns pane is timed opening on a screen grid.
        .executableTarget(name: "ecrm-bench", dependencies: ["ECRMStore", "ECRMDomain", "ECRMConsole", "TerminalKit"]),
        .testTarget(name: "ECRMDomainTests", dependencies: ["ECRMDomain"]),
        .testTarget(name: "CSVStreamTests", dependencies: ["CSVStream"]),
        .testTarget(
            name: "ECRMStoreTests",
            dependencies: ["ECRMStore", "ECRMDomain", "CSVStream", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit"]),
        .testTarget(
            name: "ECRMConsoleTests",
            dependencies: ["ECRMConsole", "TerminalKit", "ECRMStore", "ECRMDomain", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Runs the real `ecrm` binary (command line and, in a tmux pty, the console).
        .testTarget(name: "EndToEndTests", dependencies: ["ecrm"]),
    ]
)
