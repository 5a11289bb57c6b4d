import Foundation
import GRDB
import CSVStream
import ECRMDomain

/// `ecrm import members|orders FILE`: reads a CSV (generic or Taobao report, UTF-8 or GB18030),
/// loads the good rows in one transaction (a killed import leaves the store as it was), reports
/// every bad row with its line and reason, then refreshes aggregates, tiers and search.
public struct Importer {
    public enum Kind: String, Sendable { case members, orders }

    /// Called now and then with (bytes read, file size, rows so far) for a progress line.
    public typealias Progress = (Int64, Int64, Int) -> Void

    let store: Store
    /// Files larger than this load in bulk mode: secondary indexes dropped and rebuilt, stats merged
    /// in one pass, unless they change only a small part of a big store (`bulkPays`). Tests set
    /// 0 to load every file in bulk mode, whatever the store holds.
    var bulkThreshold: Int64 = 32 << 20
    /// nil: a load that is not bulk reads the store's whole key map first when `preloads` says it
    /// pays (ImportPreload.swift). Tests set it to run the same files through either path.
    var preload: Bool?
    /// When set, RFM is recomputed as of this day inside the import's own transaction, with the
    /// store's saved window and scoring: a big import's first recompute then goes through the
    /// bulk settings too, and a killed import leaves RFM as it was along with the rest.
    public var recomputeRFMAsOf: Day?
    /// Each phase also reports its peak memory (ImportReport.phases, .peakMemoryMiB); for the
    /// benchmark, as it restarts the process's high-water mark (PhaseTimer).
    public var measurePhasePeaks = false
    /// The import's date: a paid time more than a day after it is a rejected row (a typo such as
    /// 2099 would otherwise count toward a tier for ever). The day's slack covers a shop whose clock
    /// or time zone runs ahead of this machine's. Tests set it.
    public var today: Day = Clock.today()
    /// The shop's time zone: a time written with an offset is moved into it (ShopTime). The
    /// machine's (TZ); tests set it.
    public var timeZone: TimeZone = .current

    public init(store: Store) { self.store = store }

    public func run(_ kind: Kind, path: String, encoding: CSVEncoding = .auto, channel: Channel = .default,
                    progress: Progress? = nil) throws -> ImportReport {
        try run([(kind, path)], encoding: encoding, channel: channel, progress: progress.map { p in { _, done, size, rows in p(done, size, rows) } })[0]
    }

    /// Several files in one transaction, in the order given (members before the orders that refer
    /// to them), with indexes, aggregates, tiers and search brought up to date once at the end:
    /// setting up a shop from its members and orders files then builds the search index once, not
    /// once per file. `progress` gets the file's position in `files` first. One report per file; the
    /// last one carries the tier upgrades and the phases after loading.
    public func run(_ files: [(kind: Kind, path: String)], encoding: CSVEncoding = .auto, channel: Channel = .default,
                    profile: ImportProfile? = nil, progress: ((Int, Int64, Int64, Int) -> Void)? = nil) throws -> [ImportReport] {
        try run(files: files.map { File($0.kind, $0.path) }, encoding: encoding, channel: channel, profile: profile, progress: progress)
    }

    /// One file of a load and the channel its rows come from (nil: the load's `channel`; a
    /// profile's channel, like a Shopify export's, wins over both). Several channels' exports then load in one transaction, e.g. a shop's JD and
    /// till files: one key map, one merge into the search index and one commit, where an import
    /// per channel paid each of them once a channel (ImportChannelsTogetherTests: the same store).
    public struct File: Sendable {
        public var kind: Kind
        public var path: String
        public var channel: Channel?
        public init(_ kind: Kind, _ path: String, channel: Channel? = nil) {
            self.kind = kind; self.path = path; self.channel = channel
        }
    }

    /// Several files in one transaction, each from its own channel (`File.channel`) or `channel`.
    public func run(files: [File], encoding: CSVEncoding = .auto, channel: Channel = .default,
                    profile: ImportProfile? = nil, progress: ((Int, Int64, Int64, Int) -> Void)? = nil) throws -> [ImportReport] {
        guard !files.isEmpty else { return [] }
        // Every file is opened and its columns recognised before anything is written.
        var inputs: [(kind: Kind, reader: CSVReader, columns: Columns, given: Channel)] = []
        for file in files {
            let (kind, path) = (file.kind, file.path)
            let reader: CSVReader
            do {
                reader = try CSVReader(path: path, encoding: encoding)
            } catch let e as CSVError {
                throw StoreError.invalid(e.description)
            }
            do {
                guard let h = try reader.readHeader() else { throw StoreError.invalid(StoreMessages.rows.empty(path)) }
                let columns: Columns
                if kind == .members { columns = .members(try ImportFormat.members(h)) }
                else if let profile { columns = .orders(try profile.orderColumns(h, path: path)) }
                else if let layout = LineItemLayout.recognise(h) { columns = .lineItems(layout) }
                else { columns = .orders(try ImportFormat.orders(h)) }
                inputs.append((kind, reader, columns, profile?.channel ?? file.channel ?? channel))
            } catch let e as CSVRowError {
                throw StoreError.invalid(StoreMessages.rows.badHeader(path, e))
            }
        }
        var reports = inputs.map { input -> ImportReport in
            var r = ImportReport()
            r.kind = input.kind.rawValue
            r.encoding = input.reader.encoding.description
            r.channel = input.columns.channel(else: input.given).rawValue
            return r
        }
        let kinds = Set(inputs.map(\.kind))
        // Rows are ~70 bytes (orders) or ~90 bytes (members) of CSV: room enough without regrowing.
        let expectedOrders = inputs.filter { $0.kind == .orders }.reduce(0) { $0 + Int($1.reader.fileSize) / 70 }
        let expectedMembers = inputs.filter { $0.kind == .members }.reduce(0) { $0 + Int($1.reader.fileSize) / 90 } + expectedOrders / 100
        // A members file of another channel than Taobao adds up to two keys a row to the key map (the
        // identity and the member's handle), and its rows are often short (issue 19's JD file: ~69
        // bytes): sized for that, the map does not regrow in the middle of the load.
        let expectedChannelKeys = inputs.filter { $0.kind == .members && $0.columns.channel(else: $0.given) != .taobao }
            .reduce(0) { $0 + 2 * Int($1.reader.fileSize) / 60 }
        // Bulk mode (drop secondary indexes, rebuild after) pays off only for big files, and only
        // when they change much of the store (ImportPreload.swift).
        let bulk = inputs.contains { $0.reader.fileSize > bulkThreshold }
            && (bulkThreshold == 0 || bulkPays(touching: expectedMembers + expectedOrders / 5))
        var timer = PhaseTimer(peaks: measurePhasePeaks)
        var loading = 0
        // A small load with RFM: everyone's RFM as the store stands is read on a connection of its
        // own from now on, before the write lock and while the rows go in, so under the lock only
        // the touched members are measured (RFMBase checks nothing was committed meanwhile).
        // (A bulk load may hold the store in a rollback journal, which a reader would wait on.)
        let rfmBase = !bulk ? recomputeRFMAsOf.map { RFMBase.start(store, asOf: $0) } : nil
        // bulkWrite is one write transaction: role checked inside it, busy and refusals translated.
        do {
            try Maintenance.bulkWrite(store, bulk: bulk, .importing, .require(.importData)) { db in
                if bulk {
                    // The member table's bulk index (member_card) holds only members with a card
                    // number: without that column a load leaves it as it is and skips its rebuild
                    // (a scan of the whole member table, 60 ms at 1M).
                    let cards = inputs.contains { if case .members(let c) = $0.columns { c.cardNo != nil } else { false } }
                    for kind in kinds where kind == .orders || cards {
                        try Maintenance.dropBulkIndexes(db, for: kind == .members ? .members : .orders)
                    }
                    // Another channel's members file adds an identity row a member (issue 19's 300k JD
                    // rows), a third of them to existing members at random places of the store:
                    // their index by member is rebuilt after the load instead (Maintenance).
                    if inputs.contains(where: { $0.kind == .members && $0.columns.channel(else: $0.given) != .taobao }) {
                        try Maintenance.dropIdentityBulkIndexes(db)
                    }
                }
                let preload = try bulk || (preload ?? Self.preloads(db, rows: expectedOrders + expectedMembers,
                                                                    phones: inputs.contains { $0.columns.bringsPhones }))
                let loader = try BulkLoader(db: db, bulk: bulk, preload: preload, expectedOrders: expectedOrders, expectedMembers: expectedMembers,
                                            expectedKeys: expectedChannelKeys,
                                            operatorName: store.operatorName,
                                            channels: Set(inputs.map { $0.columns.channel(else: $0.given) }))
                loader.rfmAsOf = recomputeRFMAsOf
                loader.rfmBase = rfmBase
                if preload { timer.mark("keys") }   // the store's key map, read once
                if preload && !bulk { try Self.widenCache(db) }
                defer { if preload && !bulk { try? Self.restoreCache(db) } }
                for (k, input) in inputs.enumerated() {
                    loading = k
                    // No file from here on brings a phone: the phone map's memory goes now (it would
                    // otherwise stay through a 5M-order file, the import's peak).
                    if !inputs[k...].contains(where: { $0.columns.bringsPhones }) { loader.keys.dropPhones() }
                    loader.startFile(channel: input.columns.channel(else: input.given))
                    try load(input.reader, input.columns, into: loader, report: &reports[k]) { progress?(k, $0, $1, $2) }
                    timer.mark(inputs.count == 1 ? "load" : "load \(input.kind.rawValue)")
                }
                reports[reports.count - 1].membersUpgraded = try loader.finish { timer.mark($0) }
                reports[reports.count - 1].searchBuild = loader.searchBuild
                reports[reports.count - 1].searchEarly = loader.searchEarly
                reports[reports.count - 1].rfm = loader.rfmRefresh
                // Who loaded which file and what it did, committed with the rows themselves.
                for (k, r) in reports.enumerated() {
                    try Audit.record(db, operator: store.operatorName, action: "import.\(r.kind)", target: files[k].path, before: nil,
                                     after: "\(r.added) added, \(r.updated) updated, \(r.rejected) rejected", reason: nil)
                }
            }
        } catch let e as DatabaseError where e.resultCode != .SQLITE_BUSY && e.resultCode != .SQLITE_LOCKED {
            throw Self.stopped(files[loading].path, code: e.resultCode)
        } catch let e as BatchInsert.Stopped {
            throw Self.stopped(files[loading].path, code: e.error.resultCode)
        }
        timer.mark("commit")
        // The search delta's growth, folded outside the import's transaction (SearchAdmin.foldIfDue);
        // the import stands whatever happens to the fold.
        if !bulk, (try? SearchAdmin.foldIfDue(store)) == true { timer.mark("search fold") }
        reports[reports.count - 1].phases = timer.summary
        if measurePhasePeaks { reports[reports.count - 1].peakMemoryMiB = timer.peakMiB }
        return reports
    }

    /// What a person reads when the store refuses a load as a whole (the transaction is rolled
    /// back): the file and what to do, never SQLite's own text.
    static func stopped(_ path: String, code: ResultCode) -> StoreError {
        .invalid(StoreMessages.rows.stopped(path, full: code == .SQLITE_FULL, refused: code == .SQLITE_CONSTRAINT, code: code.rawValue))
    }

    /// A file's recognised columns, by kind.
    private enum Columns {
        case members(ImportFormat.MemberColumns)
        case orders(ImportFormat.OrderColumns)
        case lineItems(LineItemLayout)

        /// Whether its rows can carry a phone that links a new identity.
        var bringsPhones: Bool {
            switch self {
            case .members(let c): c.phone != nil
            case .orders(let c): c.mobile != nil
            case .lineItems(let l): l.phone != nil
            }
        }

        /// A Shopify or TikTok export is that channel's, whatever --channel says.
        func channel(else given: Channel) -> Channel {
            if case .lineItems(let l) = self { l.channel } else { given }
        }
    }

    /// Parses one file on a second thread while this thread writes its rows through `loader`.
    private func load(_ reader: CSVReader, _ columns: Columns, into loader: BulkLoader,
                      report: inout ImportReport, progress: Progress) throws {
        let channel = loader.channel
        var rows = 0
        let membersCreatedBefore = loader.membersCreatedByOrders
        let linkedBefore = loader.keys.linked, candidatesBefore = loader.keys.candidates.count
        defer {
            report.identitiesLinked = loader.keys.linked - linkedBefore
            report.candidates = loader.keys.candidates.count - candidatesBefore
        }
        // Rows arrive parsed, in file order, from the pipeline thread; this thread only writes.
        func tally(_ outcome: BulkLoader.Outcome) {
            switch outcome {
            case .added: report.added += 1
            case .updated: report.updated += 1
            case .unchanged: report.skipped += 1
            case .refused(let line): report.reject(line: line, BulkLoader.refusedReason)
            case .rejected(let line, let reason): report.reject(line: line, reason)
            }
        }
        // Rows counted as added while they waited for a batch, then refused by the store.
        func settleRefusals() {
            for line in loader.takeLateRefusals() {
                report.added -= 1
                report.reject(line: line, BulkLoader.refusedReason)
            }
        }
        func drain<Row: Sendable>(_ pipeline: RowPipeline<Row>, _ load: (UnsafeBufferPointer<Row>) throws -> Void) throws {
            do {
                while let batch = try pipeline.next() {
                    for p in batch.problems {
                        report.reject(line: p.line, p.message)
                        if p.encoding { report.encodingRejected += 1 }
                    }
                    try batch.rows.withUnsafeBufferPointer { try load($0) }
                    settleRefusals()
                    rows += batch.records
                    progress(batch.bytesConsumed, reader.fileSize, rows)
                }
                pipeline.wait()
                try loader.flushPending()
                settleRefusals()
                // Rows refused late are reported where they were found: put every problem back in line order.
                report.problems.sort { $0.line < $1.line }
            } catch {
                pipeline.cancelAndWait()
                throw error
            }
        }
        // Preloaded (bulk and big loads): the parsing thread also resolves each row's member
        // (loader.keys): it owns the key map until the pipeline ends, and this thread touches it
        // again only after `wait`. Small loads resolve here, on the writing thread, where the keys
        // may look buyers up in the store.
        let keys = UncheckedBox(loader.keys)
        let onParser = loader.keys.preloaded
        switch columns {
        case .members(let cols):
            report.format = "members"
            if onParser {
                try drain(RowPipeline(reader: reader, parse: { MemberRowParser.parse($0, cols) }, finish: { keys.value.resolveAll($0) })) {
                    try loader.write(members: $0, tally)
                }
            } else {
                try drain(RowPipeline(reader: reader) { MemberRowParser.parse($0, cols) }) { rows in
                    for i in rows.indices { tally(try loader.loadMember(rows[i])) }
                }
            }
        case .lineItems(let layout):
            report.format = layout.kind.rawValue
            let folded = try layout.fold(reader, latestPaidDay: today.adding(days: 1), timeZone: timeZone)
            for p in folded.problems { report.reject(line: p.line, p.reason) }
            report.warnings = folded.warnings
            for o in folded.orders { tally(try loader.loadOrder(o)); rows += 1 }
            try loader.flushPending()
            settleRefusals()
            report.problems.sort { $0.line < $1.line }
            report.membersCreated = loader.membersCreatedByOrders - membersCreatedBefore
        case .orders(let cols):
            report.format = cols.isTaobao ? "taobao-order-report" : cols.statusWords != nil || cols.timeFormat != nil ? "profile" : "orders"
            // On the parsing thread, before a row can resolve (or create) its buyer: a repeated order
            // id is a rejected row naming the line that keeps it.
            let seen = UncheckedBox(SeenOrderIds())
            let latest = today.adding(days: 1)
            let parse: @Sendable (borrowing CSVRecord) -> Result<BulkLoader.OrderRow, RowProblem> = { r in
                OrderRowParser.parse(r, cols, latestPaidDay: latest, seen: seen.value, channel: channel)
            }
            if onParser {
                try drain(RowPipeline(reader: reader, parse: parse, finish: { keys.value.resolveAll($0) })) {
                    try loader.write(orders: $0, tally)
                }
            } else {
                try drain(RowPipeline(reader: reader, parse: parse)) { rows in
                    for i in rows.indices { tally(try loader.loadOrder(rows[i])) }
                }
            }
            report.membersCreated = loader.membersCreatedByOrders - membersCreatedBefore
        }
        progress(reader.fileSize, reader.fileSize, rows)
    }
}

/// A rejected row's reason (a value, so the importer can count and report it).
struct RowProblem: Error { let message: String }

enum MemberRowParser {
    static func parse(_ r: borrowing CSVRecord, _ c: ImportFormat.MemberColumns) -> Result<BulkLoader.MemberRow, RowProblem> {
        let key = ImportFormat.unwrapExcel(r.string(at: c.buyerId))
        let mayHaveControls = r.withBytes(at: c.buyerId) { (b: UnsafeRawBufferPointer) -> Bool in ImportFormat.mayHoldControls(b) }
        if let problem = ImportFormat.idProblem(key, "buyer_id", mayHaveControls: mayHaveControls) { return .failure(problem) }
        func opt(_ i: Int?) -> String? {
            guard let i else { return nil }
            let s = r.string(at: i).trimmingSpaces()
            return s.isEmpty ? nil : s
        }
        var row = BulkLoader.MemberRow(buyerId: key)
        row.nick = opt(c.nick)
        row.name = opt(c.name)
        row.phone = opt(c.phone).map { Phone.imported(ImportFormat.unwrapExcel($0)) }
        if let g = opt(c.gender) {
            guard let code = Gender.code(g) else { return .failure(RowProblem(message: StoreMessages.rows.unknownGender(g))) }
            row.gender = code
        }
        if let b = opt(c.birthday) {
            if isCanonical(b, length: 10) {
                row.birthday = b   // already as stored: no reformatting
            } else {
                guard let d = Day.parse(b) else { return .failure(RowProblem(message: StoreMessages.rows.badBirthday(b))) }
                row.birthday = d.description
            }
        }
        row.province = opt(c.province)
        row.city = opt(c.city)
        if let j = opt(c.joinedAt) {
            if isCanonical(j, length: 19) {
                row.joinedAt = j
            } else {
                guard let t = LocalTime.parse(j) else { return .failure(RowProblem(message: StoreMessages.rows.badJoinedAt(j))) }
                row.joinedAt = t.description
            }
        }
        row.cardNo = opt(c.cardNo).map(ImportFormat.unwrapExcel)
        return .success(row)
    }
}

/// A date (10 bytes) or time (19) already in the one form the store keeps, and valid.
private func isCanonical(_ s: String, length: Int) -> Bool {
    var s = s
    return s.utf8.count == length && s.withUTF8 { LocalTime.parseCanonical($0) } != nil
}

enum OrderRowParser {
    /// `latestPaidDay`: the last day a paid time may fall on (the day after the import's date).
    /// `seen`: the file's order ids so far; a good row whose id is there is a repeat, rejected.
    static func parse(_ r: borrowing CSVRecord, _ c: ImportFormat.OrderColumns, latestPaidDay: Day,
                      seen: SeenOrderIds, channel: Channel = .taobao) -> Result<BulkLoader.OrderRow, RowProblem> {
        // Fast path: a Taobao number in plain digits is its own key; else unwrap Taobao's ="…"
        // quoting and surrounding spaces, and keep any other number as text (OrderNumber).
        var orderId = channel == .taobao ? r.int64(at: c.orderId) : nil
        var number: OrderNumberText?
        if let n = orderId, n <= 0 || n >= OrderNumber.surrogateBase || r.withBytes(at: c.orderId, { $0.first == UInt8(ascii: "0") || $0.first == UInt8(ascii: "-") }) {
            orderId = nil
        }
        // A plain number (E2024…, S01-000123) straight from its bytes, without a String.
        if orderId == nil, let plain = r.withBytes(at: c.orderId, { OrderNumberText.plain($0, channel: channel) }) {
            number = plain
        } else if orderId == nil {
            let s = ImportFormat.unwrapExcel(r.string(at: c.orderId))
            if let problem = StoreMessages.rows.order(s) { return .failure(RowProblem(message: problem)) }
            orderId = OrderNumber.integerKey(s, channel: channel)
            if orderId == nil { number = OrderNumberText(s) }
        }
        // Spaces around a buyer id would make a second member of the same buyer.
        let buyer = r.string(at: c.buyerId).trimmingSpaces()
        let mayHaveControls = r.withBytes(at: c.buyerId) { (b: UnsafeRawBufferPointer) -> Bool in ImportFormat.mayHoldControls(b) }
        if let problem = ImportFormat.idProblem(buyer, c.isTaobao ? "买家会员名" : "buyer_id", mayHaveControls: mayHaveControls) {
            return .failure(problem)
        }
        var status = OrderStatus.paid
        if let si = c.status, !r.isEmpty(at: si) {
            let isPaid = r.withBytes(at: si) { (b: UnsafeRawBufferPointer) -> Bool in
                b.count == 4 && b.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6469_6170)   // "paid"
            }
            if !isPaid {
                let word = r.string(at: si)
                guard let s = c.statusWords?[word.trimmingSpaces()] ?? OrderStatus.fromImport(word) else { return .failure(RowProblem(message: StoreMessages.rows.unknownStatus(word))) }
                status = s
            }
        }
        // Fast path: plain digits and a dot; else a sign, spaces and thousands groups (Money.checkYuan).
        let amount: Int64
        if let fen = r.withBytes(at: c.amount, { Money.parseYuan(bytes: $0) }) {
            amount = fen
        } else {
            let a = r.string(at: c.amount)
            switch Money.checkYuan(a) {
            case .success(let fen): amount = fen
            case .failure(let problem):
                return .failure(RowProblem(message: a.trimmingSpaces().isEmpty ? StoreMessages.rows.missingAmount : StoreMessages.rows.amount(a, problem)))
            }
        }
        // The canonical form is kept as it came, so the writer binds these bytes without reformatting.
        var paidText: TimeText?
        var paidAt = r.withBytes(at: c.paidAt) { b -> LocalTime? in
            if b.count == 19, let t = LocalTime.parseCanonical(b) {
                paidText = TimeText(canonical: b)
                return t
            }
            return LocalTime.parse(bytes: b)
        }
        if paidAt == nil, let format = c.timeFormat, !r.isEmpty(at: c.paidAt) {
            paidAt = ImportProfile.parseTime(r.string(at: c.paidAt), format: format)
        }
        if paidAt == nil {
            let raw = r.string(at: c.paidAt).trimmingSpaces()
            if !raw.isEmpty || status == .paid {
                // An unpaid or closed Taobao order has no payment time: fall back to its creation time.
                if raw.isEmpty, let ci = c.createdAt, let t = LocalTime.parse(r.string(at: ci)) {
                    paidAt = t
                } else if raw.isEmpty {
                    return .failure(RowProblem(message: StoreMessages.rows.missingPaidAt))
                } else {
                    return .failure(RowProblem(message: StoreMessages.rows.badPaidAt(raw)))
                }
            }
        }
        if let t = paidAt, t.day > latestPaidDay {
            return .failure(RowProblem(message: StoreMessages.rows.future(t, after: latestPaidDay)))
        }
        var items: Int64 = 1
        if let ii = c.items, !r.isEmpty(at: ii) {
            guard let n = r.int64(at: ii) ?? Int64(r.string(at: ii).trimmingSpaces()), n >= 0 else {
                return .failure(RowProblem(message: StoreMessages.rows.badItems(r.string(at: ii))))
            }
            items = n
        }
        // Last, so a row rejected for another reason does not hold its id against a later good row.
        // (A text number's repeats are found by the writer, which looks the number up anyway.)
        if number == nil, let first = seen.firstLine(of: orderId!, at: r.line) {
            return .failure(RowProblem(message: StoreMessages.rows.repeats(String(orderId!), firstLine: first)))
        }
        var row = BulkLoader.OrderRow(orderId: orderId ?? 0, buyerId: buyer, nick: nil, paidAt: paidAt, amount: amount, status: status, items: items)
        row.number = number
        row.paidText = paidText
        row.line = r.line
        if let ni = c.buyerNick, !r.isEmpty(at: ni) {
            let nick = r.string(at: ni).trimmingSpaces()
            if !nick.isEmpty { row.nick = nick }
        }
        if c.isTaobao {
            row.nick = buyer
            func raw(_ i: Int?) -> String? { i.flatMap { r.isEmpty(at: $0) ? nil : r.string(at: $0) } }
            row.taobaoRaw = .init(name: raw(c.receiverName), mobile: raw(c.mobile), address: raw(c.address))
        } else if let mi = c.mobile, !r.isEmpty(at: mi) {
            // A profile's phone column: it fills an empty phone and links a new buyer (MemberKeys).
            row.taobaoRaw = .init(name: nil, mobile: r.string(at: mi), address: nil)
        }
        return .success(row)
    }
}
