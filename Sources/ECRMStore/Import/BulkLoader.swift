import GRDB
import GRDBSQLite
import ECRMDomain

/// Writes members and orders inside one write transaction, as fast as SQLite allows, and keeps the
/// side effects (member_stats, unknown buyers created from orders) consistent.
/// Both `ecrm import` and `ecrm demo` load through this one path.
final class BulkLoader {
    enum Outcome {
        case added, updated, unchanged
        /// The store refused the row (a constraint the parser did not foresee): a rejected row, never
        /// SQLite's error for the whole file.
        case refused(line: Int)
        /// A rejected row with its own reason (a text order number repeated in one file).
        case rejected(line: Int, reason: String)
    }

    static var refusedReason: String { StoreMessages.rows.refused }

    struct MemberRow {
        var buyerId: String
        var nick: String? = nil
        var name: String? = nil
        var phone: String? = nil
        var gender: String? = nil
        var birthday: String? = nil
        var province: String? = nil
        var city: String? = nil
        var joinedAt: String? = nil
        var cardNo: String? = nil
    }

    /// One parsed order line. It is copied a few times on its way from the parser to the writer,
    /// so it holds few references: the Taobao extras sit behind one (nil for other formats).
    struct OrderRow {
        /// The integer key of a Taobao number in plain digits; 0 when `number` holds the text.
        var orderId: Int64
        /// Any other order number as written (OrderNumber); its key is found or made by the writer.
        var number: OrderNumberText? = nil
        var buyerId: String
        var nick: String?
        var paidAt: LocalTime?
        var amount: Int64
        var status: OrderStatus
        var items: Int64
        /// The paid time as the file wrote it, when that is already the canonical text.
        var paidText: TimeText? = nil
        /// A Taobao report's receiver, mobile and address as the file wrote them.
        var taobaoRaw: TaobaoRaw? = nil
        /// The line the row starts on, to report it if the store refuses it.
        var line = 0

        final class TaobaoRaw: Sendable {
            let name, mobile, address: String?
            /// Given apart by the line-item layouts (LineItemLayout), which have no address to split.
            let province, city: String?
            init(name: String?, mobile: String?, address: String?, province: String? = nil, city: String? = nil) {
                self.name = name; self.mobile = mobile; self.address = address; self.province = province; self.city = city
            }
        }

        /// What this row can fill in a member: the nick, and from a Taobao report the receiver,
        /// mobile and address worked out into name, phone, province and city. Worked out only for
        /// the few rows that fill a member, not for each of millions.
        func memberFields() -> MemberFields {
            var f = MemberFields(nick: nick)
            guard let raw = taobaoRaw else { return f }
            if let s = raw.name?.trimmingSpaces(), !s.isEmpty { f.name = s }
            if let m = raw.mobile {
                let p = Phone.imported(ImportFormat.unwrapExcel(m))
                if !p.isEmpty { f.phone = p }
            }
            if let a = raw.address { (f.province, f.city) = ImportFormat.provinceCity(fromAddress: a) }
            if let p = raw.province { f.province = p }
            if let c = raw.city { f.city = c }
            return f
        }
    }

    struct MemberFields {
        var nick: String?
        var name: String? = nil
        var phone: String? = nil
        var province: String? = nil
        var city: String? = nil
    }

    /// A member row with its id resolved (MemberKeys): a plain insert for a new member.
    struct MemberWrite: Sendable {
        var row: MemberRow
        var id: Int64
        var isNew: Bool
        /// nil: the row's buyer id is its member's implicit Taobao identity (the bulk path).
        var extra: MemberExtra? = nil
    }

    /// A buyer identity this load adds (IdentityTables): a member's first, or one linked by phone.
    final class NewIdentity: Sendable {
        let id: Int64
        let channel: String
        let externalId: String
        let member: Int64
        let how: IdentityTables.How
        init(id: Int64, channel: String, externalId: String, member: Int64, how: IdentityTables.How) {
            self.id = id; self.channel = channel; self.externalId = externalId; self.member = member; self.how = how
        }
    }

    /// What a row resolved through an identity row (not an implicit Taobao identity) needs written.
    final class MemberExtra: Sendable {
        /// A new member's buyer_id (handle) and home channel; nil for an existing member.
        let handle: String?
        let channel: String?
        /// The identity row to insert (new member's first, or a phone link); nil when it exists.
        let identity: NewIdentity?
        /// A members file row overwrites its member's fields (its own first identity) or only fills
        /// empty ones (an identity linked to a member of another channel).
        let overwrite: Bool
        /// For a row that only fills: whether it can fill anything (false: the key map knows the
        /// member has none of the fields it brings empty, and no UPDATE is made).
        let fills: Bool
        init(handle: String?, channel: String?, identity: NewIdentity?, overwrite: Bool, fills: Bool = true) {
            self.handle = handle; self.channel = channel; self.identity = identity; self.overwrite = overwrite; self.fills = fills
        }
    }

    /// An order row with its member resolved (MemberKeys) and its time already formatted: nothing
    /// left for the writing thread but binding. Strings travel only when the member changes.
    struct OrderWrite: Sendable {
        var orderId: Int64
        var number: OrderNumberText?
        var memberId: Int64 = 0
        var amount: Int64
        var items: Int64
        var status: OrderStatus
        var paidAt: LocalTime?
        var paidText: TimeText
        var patch: MemberPatch?
        var line: Int
        /// The member_identity row the order came through; 0 = its member's implicit Taobao identity.
        var identity: Int64 = 0

        init(_ o: OrderRow) {
            orderId = o.orderId
            number = o.number
            line = o.line
            amount = o.amount
            items = o.items
            status = o.status
            paidAt = o.paidAt
            paidText = o.paidText ?? TimeText(o.paidAt)
        }
    }

    /// A member an order row creates (an unknown buyer) or whose empty fields it fills. A class, so
    /// the rows that need none (nearly all) carry one nil pointer instead of seven strings.
    final class MemberPatch: Sendable {
        let isNew: Bool
        let buyerId: String
        let nick, name, phone, province, city, joinedAt: String?
        /// A new member's home channel and identity row, or a phone link's identity (MemberKeys).
        let extra: MemberExtra?

        init(isNew: Bool, buyerId: String, nick: String?, name: String?, phone: String?, province: String?, city: String?, joinedAt: String?,
             extra: MemberExtra? = nil) {
            self.isNew = isNew; self.buyerId = buyerId
            self.nick = nick; self.name = name; self.phone = phone
            self.province = province; self.city = city; self.joinedAt = joinedAt
            self.extra = extra
        }
    }

    private let db: Database
    /// A big load: secondary indexes were dropped, and existing stats are read by one ordered scan.
    let bulk: Bool
    /// Buyer → member resolution. The importer hands it to its parsing thread for the load
    /// (`resolve` there, `write` here); the demo and `loadMember`/`loadOrder` use it in line.
    let keys: MemberKeys
    /// New orders in compact columns (16 bytes each), merged into member_stats (the paid ones) and
    /// member_orders (all) in member order by `finish` (bulk loads: a merge join; small loads: a
    /// probe per member).
    private var newOrders = NewOrders()
    /// Existing orders this load gave to another member.
    private var movedOrders: [MemberRefresh.MovedOrder] = []
    private let upsertMember: RawStatement
    private let insertMemberKeyOnly: RawStatement
    private let fillMember: RawStatement
    private let insertOrder: RawStatement
    /// A member whose first identity is a row (IdentityTables): its handle and home channel.
    private let insertMemberFull: RawStatement
    /// A members file row for a member found through an identity row (not by its buyer_id).
    private let updateMember: RawStatement
    private let insertIdentity: RawStatement
    private let findNumber: RawStatement
    /// The key the next new text order number gets (ascending, so a load's keys stay compact in NewOrders).
    private var nextNumberKey: Int64
    /// The channel of the file being loaded (its text order numbers are unique within it).
    private(set) var channel = Channel.default
    /// This file's text numbers so far, for a repeat: keys made from `fileFirstKey` on (their lines
    /// in order), and the line of each stored number it found.
    private var fileFirstKey: Int64 = .max
    private var fileKeyLines = KeyLines()
    private var fileFoundLines: [Int64: Int32] = [:]

    /// Before each file's rows: its channel, and a fresh memory of its text order numbers.
    func startFile(channel: Channel) {
        // Waiting text-numbered rows take the channel when they go in: the last file's are in.
        precondition(pendingNumbered.isEmpty, "flushPending() before the next file")
        self.channel = channel
        keys.channel = channel
        channelText.deallocate()
        channelText = Self.stable(channel.rawValue)
        fileFirstKey = nextNumberKey
        fileKeyLines = KeyLines()
        fileFoundLines = [:]
    }
    private let readOrder: RawStatement
    private let updateOrder: RawStatement
    private(set) var changedMembers: Set<Int64> = []
    /// ImportReport.searchBuild and .rfm, once finished.
    private(set) var searchBuild = ""
    private(set) var searchEarly = false
    private(set) var rfmRefresh = ""
    /// Members updated or given new orders (small loads), so tier auto-upgrade and the search
    /// refresh can be limited to them; members created are in `keys.created`.
    private var updatedMembers: Set<Int64> = []
    /// Of those, the members whose row was written (their searchable text may have changed).
    private var textMembers: Set<Int64> = []
    var membersCreatedByOrders: Int { keys.createdByOrders }
    var touchedMembers: Set<Int64> { updatedMembers.union(textMembers).union(keys.created) }

    /// `expectedOrders`/`expectedMembers` size the in-memory maps up front for bulk loads, so they
    /// never regrow (a regrow briefly holds two copies: the peak memory of a 5M-order import).
    /// `preload` (always with `bulk`): the whole key map is read first and rows resolve on the
    /// parsing thread (Importer.preloads: a big load into a store that stays as it is otherwise).
    /// `expectedKeys`: the key map's entries the files may add, when more than one a member (MemberKeys).
    init(db: Database, bulk: Bool, preload: Bool? = nil, expectedOrders: Int = 0, expectedMembers: Int = 0, expectedKeys: Int = 0,
         operatorName: String = "", channels: Set<Channel>? = nil) throws {
        self.db = db
        self.bulk = bulk
        let preload = bulk || preload == true
        if preload { newOrders.reserve(orders: expectedOrders) }
        // Bulk: the whole key map in memory, one hash lookup per order instead of an index probe.
        keys = try MemberKeys(db: db, expectedMembers: preload ? expectedMembers : 0, expectedKeys: preload ? expectedKeys : 0,
                              preload: preload, operatorName: operatorName, channels: channels)
        atText = Self.stable(keys.at)
        byText = Self.stable(keys.by)
        // Empty or absent values never erase what the store already knows ("loses nothing"), and a
        // masked phone (with '*') never replaces a clear one: it only fills or updates a hint.
        let phone = "CASE WHEN instr(coalesce(?5,''), '*') > 0 AND phone <> '' AND instr(phone, '*') = 0 THEN phone ELSE coalesce(nullif(?5,''), phone) END"
        upsertMember = try RawStatement(db, """
            INSERT INTO member(id, buyer_id, nick, name, phone, gender, birthday, province, city, joined_at, card_no)
            VALUES (?1, ?2, coalesce(?3,''), coalesce(?4,''), coalesce(?5,''), coalesce(?6,''), ?7, coalesce(?8,''), coalesce(?9,''), ?10, ?11)
            ON CONFLICT(buyer_id) DO UPDATE SET
                nick = coalesce(nullif(?3,''), nick), name = coalesce(nullif(?4,''), name),
                phone = \(phone), gender = coalesce(nullif(?6,''), gender),
                birthday = coalesce(nullif(?7,''), birthday), province = coalesce(nullif(?8,''), province),
                city = coalesce(nullif(?9,''), city), joined_at = coalesce(nullif(?10,''), joined_at),
                card_no = coalesce(nullif(?11,''), card_no)
            WHERE coalesce(nullif(?3,''), nick) IS NOT nick OR coalesce(nullif(?4,''), name) IS NOT name
               OR \(phone) IS NOT phone OR coalesce(nullif(?6,''), gender) IS NOT gender
               OR coalesce(nullif(?7,''), birthday) IS NOT birthday OR coalesce(nullif(?8,''), province) IS NOT province
               OR coalesce(nullif(?9,''), city) IS NOT city OR coalesce(nullif(?10,''), joined_at) IS NOT joined_at
               OR coalesce(nullif(?11,''), card_no) IS NOT card_no
            """)
        // New members go in without their id: SQLite then numbers them max(id) + 1, which is the id
        // MemberKeys gave each (it counts on from the largest), and appends them without the
        // uniqueness search an explicit id costs. AppendKey.checkLastInsert holds the two to each other: any
        // other id would tie orders to the wrong members, so the load stops (and rolls back).
        appendMembers = try BatchInsert(db, "INSERT INTO member(buyer_id, nick, name, phone, gender, birthday, province, city, joined_at, card_no)",
                                        values: "(?, coalesce(?,''), coalesce(?,''), coalesce(?,''), coalesce(?,''), ?, coalesce(?,''), coalesce(?,''), ?, ?)",
                                        columns: 10)
        appendOrders = try BatchInsert(db, "INSERT INTO orders(order_id, member_id, paid_at, amount, status, items)",
                                       values: "(?, ?, ?, ?, ?, ?)", columns: Self.orderColumns)
        appendNumbered = try BatchInsert(db, "INSERT INTO orders(order_id, member_id, paid_at, amount, status, items, channel, order_no, identity_id)",
                                         values: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", columns: Self.numberedColumns)
        // The unique index's last entry (its WHERE matches, so SQLite reads it from the index).
        numberHighWater = try String.fetchOne(db, sql: "SELECT order_no FROM orders WHERE order_no IS NOT NULL ORDER BY order_no DESC LIMIT 1")
            .map(OrderNumberText.init)
        insertMemberKeyOnly = try RawStatement(db, "INSERT INTO member(id, buyer_id, nick, name, phone, province, city, joined_at) VALUES (?1, ?2, coalesce(?3,''), coalesce(?4,''), coalesce(?5,''), coalesce(?6,''), coalesce(?7,''), ?8)")
        fillMember = try RawStatement(db, """
            UPDATE member SET
                nick = CASE WHEN nick = '' THEN coalesce(?2, '') ELSE nick END,
                name = CASE WHEN name = '' THEN coalesce(?3, '') ELSE name END,
                phone = CASE WHEN phone = '' THEN coalesce(?4, '') ELSE phone END,
                province = CASE WHEN province = '' THEN coalesce(?5, '') ELSE province END,
                city = CASE WHEN city = '' THEN coalesce(?6, '') ELSE city END
            WHERE id = ?1 AND ((nick = '' AND coalesce(?2,'') <> '') OR (name = '' AND coalesce(?3,'') <> '')
               OR (phone = '' AND coalesce(?4,'') <> '') OR (province = '' AND coalesce(?5,'') <> '')
               OR (city = '' AND coalesce(?6,'') <> ''))
            """)
        insertOrder = try RawStatement(db, "INSERT INTO orders(order_id, member_id, paid_at, amount, status, items, channel, order_no, identity_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(order_id) DO NOTHING")
        insertMemberFull = try RawStatement(db, """
            INSERT INTO member(id, buyer_id, nick, name, phone, gender, birthday, province, city, joined_at, card_no, channel)
            VALUES (?1, ?2, coalesce(?3,''), coalesce(?4,''), coalesce(?5,''), coalesce(?6,''), ?7, coalesce(?8,''), coalesce(?9,''), ?10, ?11, ?12)
            """)
        updateMember = try RawStatement(db, """
            UPDATE member SET
                nick = coalesce(nullif(?3,''), nick), name = coalesce(nullif(?4,''), name),
                phone = \(phone), gender = coalesce(nullif(?6,''), gender),
                birthday = coalesce(nullif(?7,''), birthday), province = coalesce(nullif(?8,''), province),
                city = coalesce(nullif(?9,''), city), joined_at = coalesce(nullif(?10,''), joined_at),
                card_no = coalesce(nullif(?11,''), card_no)
            WHERE id = ?1 AND ?2 IS NOT NULL AND (coalesce(nullif(?3,''), nick) IS NOT nick OR coalesce(nullif(?4,''), name) IS NOT name
               OR \(phone) IS NOT phone OR coalesce(nullif(?6,''), gender) IS NOT gender
               OR coalesce(nullif(?7,''), birthday) IS NOT birthday OR coalesce(nullif(?8,''), province) IS NOT province
               OR coalesce(nullif(?9,''), city) IS NOT city OR coalesce(nullif(?10,''), joined_at) IS NOT joined_at
               OR coalesce(nullif(?11,''), card_no) IS NOT card_no)
            """)
        insertIdentity = try RawStatement(db, "INSERT INTO member_identity(id, channel, external_id, member_id, how, linked_at, linked_by) VALUES (?, ?, ?, ?, ?, ?, ?)")
        appendMembersFull = try BatchInsert(db, "INSERT INTO member(id, buyer_id, nick, name, phone, gender, birthday, province, city, joined_at, card_no, channel)",
                                            values: "(?, ?, coalesce(?,''), coalesce(?,''), coalesce(?,''), coalesce(?,''), ?, coalesce(?,''), coalesce(?,''), ?, ?, ?)",
                                            columns: 12)
        appendIdentities = try BatchInsert(db, "INSERT INTO member_identity(id, channel, external_id, member_id, how, linked_at, linked_by)",
                                           values: "(?, ?, ?, ?, ?, ?, ?)", columns: 7)
        memberKeys = try AppendKey(db, table: "member", column: "id")
        identityKeys = try AppendKey(db, table: "member_identity", column: "id")
        numberKeys = try AppendKey(db, table: "orders", column: "order_id")
        findNumber = try RawStatement(db, "SELECT order_id FROM orders WHERE order_no = ?1 AND channel = ?2")
        readOrder = try RawStatement(db, "SELECT member_id, paid_at, amount, status, items, coalesce(identity_id, 0) FROM orders WHERE order_id = ?")
        updateOrder = try RawStatement(db, "UPDATE orders SET member_id = ?2, paid_at = ?3, amount = ?4, status = ?5, items = ?6, identity_id = nullif(?7, 0) WHERE order_id = ?1")
        // Plain Taobao numbers and the keys of text numbers are two ranges (OrderNumber.surrogateBase).
        orderHighWater = try Int64.fetchOne(db, sql: "SELECT order_id FROM orders WHERE order_id < ? ORDER BY order_id DESC LIMIT 1",
                                            arguments: [OrderNumber.surrogateBase]) ?? .min
        nextNumberKey = max(OrderNumber.surrogateBase, (try Int64.fetchOne(db, sql: "SELECT max(order_id) FROM orders") ?? 0) + 1)
        // Into an empty store, every member is an append: their texts can feed the search build
        // early. Without the file (no room) the build just reads the table.
        if bulk, try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") == nil {
            texts = try? MemberTextSpool(directory: PairSpool.directory(of: db))
        } else if bulk, EarlyExtra.enabled {
            createdTexts = try? MemberTextSpool(directory: PairSpool.directory(of: db))
        }
    }

    /// The members' texts as appended (a bulk load into an empty store), for EarlyPairs.
    private var texts: MemberTextSpool?
    /// A bulk load into a store that had members: the texts of the members it created, as
    /// appended (those written again later are read back from the table), for EarlyExtra.
    private var createdTexts: MemberTextSpool?

    /// A member just appended with these texts.
    private func appended(_ id: Int64, nick: String?, name: String?, phone: String?) {
        texts?.append(id: id, nick: nick, name: name, phone: phone)
        createdTexts?.append(id: id, nick: nick, name: name, phone: phone)
    }

    /// Rows waiting to go in together (BatchInsert): orders above every stored id, new members.
    private var pending: [OrderWrite] = []
    /// The highest order id in the store or written by this load (a sorted file appends above it).
    private var orderHighWater: Int64 = .max
    private let appendOrders: BatchInsert
    private let appendMembers: BatchInsert

    private var pendingMembers: [MemberWrite] = []
    /// With a preloaded key map (nothing on this thread looks identities up): new members with a
    /// handle and home channel, and identity rows (a new member's first, or a phone link), waiting
    /// to go in BatchInsert.size to a statement. One INSERT per row was most of the writing thread
    /// for issue 19's 300k JD members. At most one of `pendingMembers` and `pendingFull` holds rows
    /// (appendMembers lets SQLite number its rows, so every lower id must be in first).
    private var pendingFull: [MemberWrite] = []
    private var pendingIdentities: [NewIdentity] = []
    private let appendMembersFull: BatchInsert
    private let appendIdentities: BatchInsert
    private var memberKeys: AppendKey
    private var identityKeys: AppendKey
    /// The keys of text-numbered rows appended (`appendNumbered`): each one above every order id,
    /// so SQLite numbers the row itself (max + 1) instead of searching the table for the key it was
    /// given (a descent of the orders tree per row). Keys made elsewhere (insertOrder) are bound as
    /// they are; `check` holds SQLite's numbers to ours.
    private var numberKeys: AppendKey
    /// Text-numbered rows above `numberHighWater`, waiting for `appendNumbered`.
    private var pendingNumbered: [OrderWrite] = []
    private let appendNumbered: BatchInsert
    /// The largest text order number stored or written by this load (nil: none yet).
    private var numberHighWater: OrderNumberText?
    /// Whether `number` sorts after every text number stored or written by this load.
    private func aboveHighWater(_ number: OrderNumberText) -> Bool { numberHighWater.map { $0.precedes(number) } ?? true }

    /// Writes the waiting members, then the waiting identity rows (which refer to them).
    private func flushPendingMembers() throws {
        if !pendingMembers.isEmpty {
            defer { pendingMembers.removeAll(keepingCapacity: true) }
            try appendMembers.insert(pendingMembers) { s, w, k in bind(s, newMember: w.row, from: k) }
            try AppendKey.checkLastInsert(db, table: "member", expected: pendingMembers[pendingMembers.count - 1].id)
            if texts != nil || createdTexts != nil { for w in pendingMembers { appended(w.id, nick: w.row.nick, name: w.row.name, phone: w.row.phone) } }
        }
        if !pendingFull.isEmpty {
            defer { pendingFull.removeAll(keepingCapacity: true) }
            try pendingFull.withUnsafeBufferPointer { try appendFull($0[...]) }
        }
        if !pendingIdentities.isEmpty {
            defer { pendingIdentities.removeAll(keepingCapacity: true) }
            try appendIdentities.insert(pendingIdentities) { s, i, k in
                let slot = memberScratch + Int(k) / 7 * Self.memberSlotBytes
                var t = SlotTexts(s, at: slot, room: Self.memberSlotBytes)
                identityKeys.bind(s, k + 1, i.id)
                bindChannel(s, k + 2, i.channel); t.bind(k + 3, i.externalId); s.bind(k + 4, i.member)
                switch i.how {
                case .new: s.bind(k + 5, textUntilStep: howNewText)
                case .phone: s.bind(k + 5, textUntilStep: howPhoneText)
                default: s.bind(k + 5, i.how.rawValue)
                }
                s.bind(k + 6, textUntilStep: atText); s.bind(k + 7, textUntilStep: byText)
            }
            try identityKeys.check()
        }
    }

    /// New members with a handle and home channel (`appendMembersFull`), bound from where they
    /// are: from `pendingFull`, or straight from a batch's run (`write(members:)`), where copying
    /// each into `pendingFull` retained and released its ten strings twice.
    private func appendFull(_ rows: Slice<UnsafeBufferPointer<MemberWrite>>) throws {
        var k = rows.startIndex
        try appendMembersFull.insert(count: rows.count) { s, at in
            let w = rows[k]
            memberKeys.bind(s, at + 1, w.id)
            bind(s, newMember: w.row, from: at + 1, slot: memberScratch + Int(at) / 12 * Self.memberSlotBytes)
            bindChannel(s, at + 12, w.extra!.channel)
            k += 1
        }
        try memberKeys.check()
        if texts != nil || createdTexts != nil { for w in rows { appended(w.id, nick: w.row.nick, name: w.row.name, phone: w.row.phone) } }
    }

    /// A channel's name: the file's, bound without a copy (every identity and new member of a
    /// load is in the file's channel), any other as it is.
    private func bindChannel(_ s: RawStatement, _ index: Int32, _ name: String?) {
        if name == channel.rawValue { s.bind(index, textUntilStep: channelText) } else { s.bind(index, name) }
    }

    /// An identity row to write: waiting for a batch with a preloaded key map, else at once.
    private func add(identity i: NewIdentity) throws {
        guard keys.preloaded else { try insert(identity: i); return }
        pendingIdentities.append(i)
        if pendingIdentities.count == BatchInsert.size { try flushPendingMembers() }
    }

    /// Lines of rows counted as added while they waited in `pending`, then refused by the store.
    private var lateRefusals: [Int] = []

    func takeLateRefusals() -> [Int] {
        defer { lateRefusals = [] }
        return lateRefusals
    }

    /// Writes the rows waiting for a multi-row INSERT (call before anything reads orders or members).
    func flushPending() throws {
        try flushPendingMembers()
        try flushPendingNumbered()
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        try append(pending, appendOrders) { s, o, k in bind(s, appended: o, from: k) }
    }

    /// The text-numbered rows waiting for a multi-row INSERT (keys made, numbers above the high water).
    private func flushPendingNumbered() throws {
        guard !pendingNumbered.isEmpty else { return }
        defer { pendingNumbered.removeAll(keepingCapacity: true) }
        try append(pendingNumbered, appendNumbered, stopped: { try numberKeys.reload() }) { s, o, k in bind(s, numbered: o, key: o.orderId, from: k) }
        try numberKeys.check()
    }

    /// `rows` through `batch`'s multi-row INSERTs. The statement that failed is undone as a whole:
    /// the rows before it are in, the rest go one by one so only the row the store refuses is left out.
    /// `stopped`: called when a statement failed, before the rest go one by one.
    private func append(_ rows: [OrderWrite], _ batch: BatchInsert, stopped whenStopped: () throws -> Void = {},
                        _ bindRow: (RawStatement, OrderWrite, Int32) -> Void) throws {
        do {
            try batch.insert(rows, bindRow)
            for o in rows { added(o) }
        } catch let stopped as BatchInsert.Stopped {
            try whenStopped()
            for o in rows[..<stopped.done] { added(o) }
            for o in rows[stopped.done...] {
                if case .refused(let line) = try insertAlone(o) { lateRefusals.append(line) }
            }
        }
    }

    /// One order above every stored id, after its batch failed: inserted alone, refused alone.
    private func insertAlone(_ o: OrderWrite) throws -> Outcome {
        let s = insertOrder
        bind(s, order: o)
        do {
            try s.step()
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            return .refused(line: o.line)
        }
        guard s.changes > 0 else { return .refused(line: o.line) }
        added(o)
        return .added
    }

    /// The six order columns, at parameters k+1…k+6.
    private func bind(_ s: RawStatement, order o: OrderWrite, from k: Int32) {
        s.bind(k + 1, o.orderId); s.bind(k + 2, o.memberId)
        o.paidText.withBytes { s.bind(k + 3, bytes: $0) }
        s.bind(k + 4, o.amount); s.bind(k + 5, o.status.rawValue); s.bind(k + 6, o.items)
    }

    private static let orderColumns = 6

    /// The six order columns of a row of `appendOrders` at parameters k+1…k+6, its texts from the
    /// row's slot of `scratch` (as `bind(_:numbered:key:from:)`).
    private func bind(_ s: RawStatement, appended o: OrderWrite, from k: Int32) {
        let slot = scratch + Int(k) / Self.orderColumns * Self.slotBytes
        s.bind(k + 1, o.orderId); s.bind(k + 2, o.memberId)
        o.paidText.withBytes { b in
            if b.isEmpty { s.bind(k + 3, bytes: b); return }
            slot.copyMemory(from: b.baseAddress!, byteCount: b.count)
            s.bind(k + 3, textUntilStep: UnsafeRawBufferPointer(start: slot, count: b.count))
        }
        s.bind(k + 4, o.amount); s.bind(k + 5, textUntilStep: statusTexts[Self.statusIndex(o.status)]); s.bind(k + 6, o.items)
    }

    /// One row's eight columns (insertOrder): a text number's channel and text, NULL for a plain Taobao number.
    private func bind(_ s: RawStatement, order o: OrderWrite) {
        bind(s, order: o, from: 0)
        s.bind(7, o.number == nil ? nil : channel.rawValue)
        bind(s, 8, number: o.number)
        s.bind(9, o.identity == 0 ? nil : o.identity)
    }

    private static let numberedColumns = 9
    /// One row's room in `scratch`: its paid time (19 bytes), status (≤ 8) and number (most are far shorter).
    private static let slotBytes = 320
    /// The text values of one statement of `appendNumbered` or `appendOrders` (BatchInsert.size rows), copied here and
    /// bound without SQLite's own copy: SQLite frees a copied value at the next bind and allocates
    /// again (past its per-connection lookaside, whose slots the four text values of 32 rows used
    /// up, each was a malloc and a free). A statement is stepped before its slots are bound again.
    private let scratch = UnsafeMutableRawPointer.allocate(byteCount: BatchInsert.size * BulkLoader.slotBytes, alignment: 8)
    /// The file's channel and the statuses' words, bound the same way (plain pointers: reading a
    /// class instance here would retain and release it for every row).
    private var channelText = BulkLoader.stable(Channel.default.rawValue)
    private let statusTexts: UnsafeMutablePointer<UnsafeRawBufferPointer> = {
        let p = UnsafeMutablePointer<UnsafeRawBufferPointer>.allocate(capacity: 4)
        for (i, status) in [OrderStatus.paid, .refunded, .closed, .unpaid].enumerated() {
            precondition(BulkLoader.statusIndex(status) == i)
            (p + i).initialize(to: BulkLoader.stable(status.rawValue))
        }
        return p
    }()

    /// One member or identity row's room in `memberScratch` (its texts are far shorter, nearly always).
    private static let memberSlotBytes = 512
    /// The texts of one statement of `appendMembersFull` or `appendIdentities`, as `scratch`.
    private let memberScratch = UnsafeMutableRawPointer.allocate(byteCount: BatchInsert.size * BulkLoader.memberSlotBytes, alignment: 8)
    /// The identity rows' how, time and operator, bound the same way (the same for every row of a load).
    private let howNewText = BulkLoader.stable(IdentityTables.How.new.rawValue)
    private let howPhoneText = BulkLoader.stable(IdentityTables.How.phone.rawValue)
    private let atText: UnsafeRawBufferPointer
    private let byText: UnsafeRawBufferPointer

    deinit {
        memberScratch.deallocate()
        howNewText.deallocate(); howPhoneText.deallocate(); atText.deallocate(); byText.deallocate()
        scratch.deallocate()
        channelText.deallocate()
        for i in 0..<4 { statusTexts[i].deallocate() }
        statusTexts.deallocate()
    }

    /// A copy of `text` at an address that stays put until deallocated.
    private static func stable(_ text: String) -> UnsafeRawBufferPointer {
        var t = text
        let p = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, t.utf8.count), alignment: 1)
        t.withUTF8 { p.copyMemory(from: UnsafeRawBufferPointer($0)) }
        return UnsafeRawBufferPointer(start: p.baseAddress, count: t.utf8.count)
    }

    @inline(__always)
    private static func statusIndex(_ s: OrderStatus) -> Int {
        switch s { case .paid: 0; case .refunded: 1; case .closed: 2; case .unpaid: 3 }
    }

    /// A text-numbered row's nine columns (appendNumbered) at parameters k+1…k+9, under `key`.
    private func bind(_ s: RawStatement, numbered o: OrderWrite, key: Int64, from k: Int32) {
        let slot = scratch + Int(k) / Self.numberedColumns * Self.slotBytes
        var used = 0
        /// Copies the text into the row's slot and binds it there (an empty or overlong one is copied by SQLite).
        func text(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
            guard !bytes.isEmpty, used + bytes.count <= Self.slotBytes else { s.bind(index, bytes: bytes); return }
            (slot + used).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            s.bind(index, textUntilStep: UnsafeRawBufferPointer(start: slot + used, count: bytes.count))
            used += bytes.count
        }
        numberKeys.bind(s, k + 1, key); s.bind(k + 2, o.memberId)
        o.paidText.withBytes { text(k + 3, $0) }
        s.bind(k + 4, o.amount)
        s.bind(k + 5, textUntilStep: statusTexts[Self.statusIndex(o.status)])
        s.bind(k + 6, o.items)
        s.bind(k + 7, textUntilStep: channelText)
        o.number!.withBytes { text(k + 8, $0) }
        s.bind(k + 9, o.identity == 0 ? nil : o.identity)   // the identity row it came through
    }

    private func bind(_ s: RawStatement, _ index: Int32, number: OrderNumberText?) {
        if let number { number.withBytes { s.bind(index, bytes: $0) } } else { s.bind(index, nil as String?) }
    }

    /// A text order number: looked up in this file's channel; a stored one is updated through its
    /// key, a new one gets the next key. A number this file already gave is a rejected repeat.
    private func writeNumbered(_ o: OrderWrite) throws -> Outcome {
        let number = o.number!
        // Above every text number the store or this load holds (SQLite's byte order, the unique
        // index's): it cannot be stored yet nor repeat a row of this load, so it needs no look-up
        // and goes in with others in one multi-row INSERT. A file in number order is all like this
        // (and goes in through `write(orders:)`'s runs instead).
        if o.patch == nil, aboveHighWater(number) {
            var w = o
            w.orderId = nextNumberKey
            nextNumberKey += 1
            fileKeyLines.append(line: o.line)
            numberHighWater = number
            pendingNumbered.append(w)
            if pendingNumbered.count == BatchInsert.size { try flushPending() }
            return .added
        }
        try flushPending()   // the look-up must see every row before this one
        let f = findNumber
        bind(f, 1, number: number); f.bind(2, channel.rawValue)
        let found: Int64? = try f.next() ? sqlite3_column_int64(f.handle, 0) : nil
        sqlite3_reset(f.handle)
        var w = o
        if let key = found {
            let first: Int32? = key >= fileFirstKey ? fileKeyLines.line(at: Int(key - fileFirstKey)) : fileFoundLines[key]
            if let first {
                // The buyer was resolved before the repeat was known: a buyer it made new must
                // still go in, or the key map would hold a member the store lacks.
                if o.patch?.isNew == true || o.patch?.extra?.identity != nil { try writePatch(o) }
                return .rejected(line: o.line, reason: StoreMessages.rows.repeats("\(number)", firstLine: first))
            }
            fileFoundLines[key] = Int32(clamping: o.line)
            w.orderId = key
        } else {
            w.orderId = nextNumberKey
            nextNumberKey += 1
            fileKeyLines.append(line: o.line)
            if aboveHighWater(number) { numberHighWater = number }
        }
        return try write(w)
    }

    /// A new member's ten columns (all but the id), at parameters k+1…k+10. With a `slot` (the
    /// row's room in `memberScratch`), the texts are copied there and bound without SQLite's own
    /// copy: a malloc and a free each otherwise, past the connection's lookaside (as `scratch`).
    private func bind(_ s: RawStatement, newMember m: MemberRow, from k: Int32, slot: UnsafeMutableRawPointer? = nil) {
        guard let slot else {
            s.bind(k + 1, m.buyerId)
            s.bind(k + 2, m.nick); s.bind(k + 3, m.name); s.bind(k + 4, m.phone); s.bind(k + 5, m.gender)
            s.bind(k + 6, m.birthday); s.bind(k + 7, m.province); s.bind(k + 8, m.city); s.bind(k + 9, m.joinedAt); s.bind(k + 10, m.cardNo)
            return
        }
        var t = SlotTexts(s, at: slot, room: Self.memberSlotBytes)
        t.bind(k + 1, m.buyerId)
        t.bind(k + 2, m.nick); t.bind(k + 3, m.name); t.bind(k + 4, m.phone); t.bind(k + 5, m.gender)
        t.bind(k + 6, m.birthday); t.bind(k + 7, m.province); t.bind(k + 8, m.city); t.bind(k + 9, m.joinedAt); t.bind(k + 10, m.cardNo)
    }

    /// The eleven member columns, at parameters k+1…k+11.
    private func bind(_ s: RawStatement, member m: MemberRow, id: Int64, from k: Int32 = 0) {
        s.bind(k + 1, id); s.bind(k + 2, m.buyerId)
        s.bind(k + 3, m.nick); s.bind(k + 4, m.name); s.bind(k + 5, m.phone); s.bind(k + 6, m.gender)
        s.bind(k + 7, m.birthday); s.bind(k + 8, m.province); s.bind(k + 9, m.city); s.bind(k + 10, m.joinedAt); s.bind(k + 11, m.cardNo)
    }

    /// Bookkeeping for an order that went in: its id and paid amount for the merges, its member touched.
    private func added(_ o: OrderWrite) { added(o, key: o.orderId) }

    private func added(_ o: OrderWrite, key: Int64) {
        let paid = o.status == .paid ? o.paidAt.map { (time: $0, amount: o.amount) } : nil
        newOrders.append(member: o.memberId, orderId: key, paid: paid)
        if !bulk { updatedMembers.insert(o.memberId) }
    }

    /// A member row whose text was written: kept for the search refresh (small loads) and for the
    /// search merge (a bulk load without `texts`: into a store that had members). A bulk load into
    /// an empty store builds the search index from `texts` and keeps none.
    private func textChanged(_ member: Int64) { if !bulk || texts == nil { textMembers.insert(member) } }

    /// Resolves and writes one member row on this thread.
    func loadMember(_ m: MemberRow) throws -> Outcome { try write(try keys.resolve(m)) }

    /// Resolves and writes one order row on this thread.
    func loadOrder(_ o: OrderRow) throws -> Outcome { try write(try keys.resolve(o)) }

    func write(_ w: MemberWrite) throws -> Outcome {
        if let extra = w.extra { return try write(w, extra) }
        // A new member's buyer id is in no row of the store (the key map holds them all) and its id
        // is fresh: nothing can conflict, so it waits to go in with others in one INSERT.
        if w.isNew {
            if !pendingFull.isEmpty { try flushPendingMembers() }
            pendingMembers.append(w)
            if pendingMembers.count == BatchInsert.size { try flushPendingMembers() }
            return .added
        }
        try flushPendingMembers()
        let s = upsertMember
        bind(s, member: w.row, id: w.id)
        try s.step()
        if s.changes > 0 { updatedMembers.insert(w.id); textChanged(w.id); texts?.invalidate(); return .updated }
        return .unchanged
    }

    /// A members file row resolved through an identity row: a new member with a handle and its first
    /// identity, a phone link, or a member found by one of its identity rows.
    private func write(_ w: MemberWrite, _ extra: MemberExtra) throws -> Outcome {
        if w.isNew && keys.preloaded {
            if !pendingMembers.isEmpty { try flushPendingMembers() }
            pendingFull.append(w)
            if let i = extra.identity { pendingIdentities.append(i) }
            if pendingFull.count == BatchInsert.size || pendingIdentities.count >= BatchInsert.size { try flushPendingMembers() }
            return .added
        }
        if !keys.preloaded { try flushPendingMembers() }
        if w.isNew {
            let s = insertMemberFull
            bind(s, member: w.row, id: w.id)
            s.bind(12, extra.channel)
            try s.step()
            appended(w.id, nick: w.row.nick, name: w.row.name, phone: w.row.phone)
            if let i = extra.identity { try insert(identity: i) }
            return .added
        }
        if let i = extra.identity { try add(identity: i) }
        var changed = false
        if extra.overwrite || extra.fills {
            // The member may be one of this load's still waiting.
            try flushPendingMembers()
            let s = extra.overwrite ? updateMember : fillMember
            if extra.overwrite {
                bind(s, member: w.row, id: w.id)
            } else {
                s.bind(1, w.id)
                s.bind(2, w.row.nick); s.bind(3, w.row.name); s.bind(4, w.row.phone); s.bind(5, w.row.province); s.bind(6, w.row.city)
            }
            try s.step()
            changed = s.changes > 0
        }
        if changed || extra.identity != nil {
            if !bulk { updatedMembers.insert(w.id) }   // a bulk load refreshes everyone
            textChanged(w.id)
            texts?.invalidate()
            return .updated
        }
        return .unchanged
    }

    private func insert(identity i: NewIdentity) throws {
        let s = insertIdentity
        s.bind(1, i.id); s.bind(2, i.channel); s.bind(3, i.externalId); s.bind(4, i.member)
        s.bind(5, i.how.rawValue); s.bind(6, keys.at); s.bind(7, keys.by)
        try s.step()
    }

    /// Writes a batch of resolved member rows in order. Runs of new members are bound straight from
    /// the batch, BatchInsert.size to a statement: through `pendingMembers` each was copied twice,
    /// retaining and releasing its ten strings each time (about a tenth of the writing thread).
    func write(members rows: UnsafeBufferPointer<MemberWrite>, _ outcome: (Outcome) -> Void) throws {
        var i = 0
        while i < rows.count {
            if rows[i].isNew, rows[i].extra != nil, keys.preloaded {
                // New members with a handle and an identity row (another channel's): the run's
                // members straight from the batch, their identity rows after them.
                var end = i
                while end < rows.count && rows[end].isNew && rows[end].extra != nil { end += 1 }
                try flushPendingMembers()
                try appendFull(rows[i..<end])
                for j in i..<end {
                    if let identity = rows[j].extra!.identity {
                        pendingIdentities.append(identity)
                        if pendingIdentities.count == BatchInsert.size { try flushPendingMembers() }
                    }
                    outcome(.added)
                }
                i = end
                continue
            }
            guard rows[i].isNew, rows[i].extra == nil else {
                outcome(try write(rows[i]))
                i += 1
                continue
            }
            var end = i
            while end < rows.count && rows[end].isNew && rows[end].extra == nil { end += 1 }
            try flushPendingMembers()
            var k = i
            try appendMembers.insert(count: end - i) { s, at in
                bind(s, newMember: rows[k].row, from: at)
                k += 1
            }
            try AppendKey.checkLastInsert(db, table: "member", expected: rows[end - 1].id)
            if let texts { for w in rows[i..<end] { texts.append(id: w.id, nick: w.row.nick, name: w.row.name, phone: w.row.phone) } }
            for _ in i..<end { outcome(.added) }
            i = end
        }
    }

    /// Writes a batch of resolved order rows in order. Runs of orders above every stored id (a
    /// file in id order is one run) are bound straight from the batch, BatchInsert.size to a statement.
    func write(orders rows: UnsafeBufferPointer<OrderWrite>, _ outcome: (Outcome) -> Void) throws {
        var i = 0
        while i < rows.count {
            if rows[i].number != nil {
                let end = try writeNumberedRun(rows, from: i, outcome)
                if end > i { i = end; continue }
            }
            var end = i, high = orderHighWater
            while end < rows.count && rows[end].number == nil && rows[end].orderId > high && rows[end].patch == nil && rows[end].identity == 0 {
                high = rows[end].orderId
                end += 1
            }
            guard end > i else {
                outcome(try write(rows[i]))
                i += 1
                continue
            }
            try flushPending()
            orderHighWater = high
            var k = i
            do {
                try appendOrders.insert(count: end - i) { s, at in
                    bind(s, appended: rows[k], from: at)
                    k += 1
                }
                for j in i..<end { added(rows[j]); outcome(.added) }
            } catch let stopped as BatchInsert.Stopped {
                for j in i..<(i + stopped.done) { added(rows[j]); outcome(.added) }
                for j in (i + stopped.done)..<end { outcome(try insertAlone(rows[j])) }
            }
            i = end
        }
    }

    /// A run of text-numbered rows from `start`, each above the one before and the first above every
    /// number stored or loaded (the rows writeNumbered would queue for a batch, in a file in number
    /// order: all of them): keys made in order, bound straight from the batch. Returns the run's end
    /// (`start`: no run there).
    private func writeNumberedRun(_ rows: UnsafeBufferPointer<OrderWrite>, from start: Int, _ outcome: (Outcome) -> Void) throws -> Int {
        func fits(_ o: OrderWrite) -> Bool { o.number != nil && o.orderId == 0 && o.patch == nil }
        guard fits(rows[start]), aboveHighWater(rows[start].number!) else { return start }
        var end = start + 1
        while end < rows.count && fits(rows[end]) && rows[end - 1].number!.precedes(rows[end].number!) { end += 1 }
        try flushPending()
        let first = nextNumberKey
        nextNumberKey += Int64(end - start)
        numberHighWater = rows[end - 1].number
        for j in start..<end { fileKeyLines.append(line: rows[j].line) }
        var k = start
        do {
            try appendNumbered.insert(count: end - start) { s, at in
                bind(s, numbered: rows[k], key: first + Int64(k - start), from: at)
                k += 1
            }
            try numberKeys.check()
            for j in start..<end { added(rows[j], key: first + Int64(j - start)); outcome(.added) }
        } catch let stopped as BatchInsert.Stopped {
            try numberKeys.reload()
            for j in start..<(start + stopped.done) { added(rows[j], key: first + Int64(j - start)); outcome(.added) }
            for j in (start + stopped.done)..<end {
                var w = rows[j]
                w.orderId = first + Int64(j - start)
                outcome(try insertAlone(w))
            }
        }
        return end
    }

    func write(_ o: OrderWrite) throws -> Outcome {
        if o.number != nil, o.orderId == 0 { return try writeNumbered(o) }
        // Above every order id the store or this batch holds, the row cannot conflict: it waits to
        // go in with others in one multi-row INSERT.
        if o.number == nil && o.orderId > orderHighWater && o.patch == nil && o.identity == 0 {
            orderHighWater = o.orderId
            pending.append(o)
            if pending.count == BatchInsert.size { try flushPending() }
            return .added
        }
        try flushPending()
        try writePatch(o)
        return try insertOrUpdate(o)
    }

    /// The member an order row creates or fills (its patch), before the order itself.
    private func writePatch(_ o: OrderWrite) throws {
        let member = o.memberId
        if let p = o.patch, let extra = p.extra {
            if p.isNew {
                let s = insertMemberFull
                s.bind(1, member); s.bind(2, p.buyerId)
                s.bind(3, p.nick); s.bind(4, p.name); s.bind(5, p.phone); s.bind(6, nil as String?); s.bind(7, nil as String?)
                s.bind(8, p.province); s.bind(9, p.city); s.bind(10, p.joinedAt); s.bind(11, nil as String?); s.bind(12, extra.channel)
                try s.step()
                appended(member, nick: p.nick, name: p.name, phone: p.phone)
                textChanged(member)
            }
            if let i = extra.identity { try insert(identity: i) }
            if !p.isNew && extra.fills {
                let s = fillMember
                s.bind(1, member)
                s.bind(2, p.nick); s.bind(3, p.name); s.bind(4, p.phone); s.bind(5, p.province); s.bind(6, p.city)
                try s.step()
                if s.changes > 0 { texts?.invalidate(); textChanged(member) }
            }
            return
        }
        if let p = o.patch {
            let s = p.isNew ? insertMemberKeyOnly : fillMember
            var k: Int32 = 1
            s.bind(k, member); k += 1
            if p.isNew { s.bind(k, p.buyerId); k += 1 }
            s.bind(k, p.nick); s.bind(k + 1, p.name); s.bind(k + 2, p.phone); s.bind(k + 3, p.province); s.bind(k + 4, p.city)
            if p.isNew { s.bind(k + 5, p.joinedAt) }
            try s.step()
            if p.isNew {
                appended(member, nick: p.nick, name: p.name, phone: p.phone)
                textChanged(member)
            } else if s.changes > 0 {
                texts?.invalidate()
                textChanged(member)
            }
        }
    }

    private func insertOrUpdate(_ o: OrderWrite) throws -> Outcome {
        let member = o.memberId
        let s = insertOrder
        bind(s, order: o)
        do {
            try s.step()
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            return .refused(line: o.line)
        }
        if s.changes > 0 {
            // Above the high-water mark a later row would go to a batch: it must know this id is taken.
            if o.number == nil { orderHighWater = max(orderHighWater, o.orderId) }
            added(o)
            return .added
        }
        // The order exists: compare, and update only when something differs.
        let r = readOrder
        r.bind(1, o.orderId)
        guard try r.next() else { sqlite3_reset(r.handle); return .unchanged }
        let oldMember = sqlite3_column_int64(r.handle, 0)
        let oldPaidAt = String(cString: sqlite3_column_text(r.handle, 1))
        let oldAmount = sqlite3_column_int64(r.handle, 2)
        let oldStatus = String(cString: sqlite3_column_text(r.handle, 3))
        let oldItems = sqlite3_column_int64(r.handle, 4)
        let oldIdentity = sqlite3_column_int64(r.handle, 5)
        sqlite3_reset(r.handle)
        let newPaidAt = o.paidAt?.description ?? ""
        if oldMember == member && oldPaidAt == newPaidAt && oldAmount == o.amount && oldStatus == o.status.rawValue && oldItems == o.items
            && oldIdentity == o.identity {
            return .unchanged
        }
        let u = updateOrder
        u.bind(1, o.orderId); u.bind(2, member); u.bind(3, newPaidAt); u.bind(4, o.amount); u.bind(5, o.status.rawValue); u.bind(6, o.items)
        u.bind(7, o.identity)
        try u.step()
        if oldMember != member { movedOrders.append(.init(order: o.orderId, from: oldMember, to: member)) }
        changedMembers.insert(oldMember)
        changedMembers.insert(member)
        updatedMembers.insert(member)
        return .updated
    }

    /// When set, the stored RFM follows the load as of this day (MemberRefresh.Change.rfmAsOf).
    var rfmAsOf: Day?
    /// Every member's RFM as the load found them (small loads: RFMBase).
    var rfmBase: RFMBase?

    /// After the rows, in the same transaction and the same order for imports and the demo: the
    /// members' derived data through the one MemberRefresh call (lists, stats, bulk indexes, tier
    /// auto-upgrade, search, RFM), then planner statistics. `mark` names each finished phase (for
    /// the benchmark). Returns how many members moved up.
    func finish(mark: (String) -> Void = { _ in }) throws -> Int {
        try flushPending()
        var change = MemberRefresh.Change(rfmAsOf: rfmAsOf)
        change.rfmBase = rfmBase
        // A load that fails before its search build leaves no sorting threads behind.
        defer { change.early?.cancel(); change.earlyExtra?.cancel() }
        // Phone candidates (PRODUCT.md: One member across channels), once their new members are in.
        for c in keys.candidates {
            try IdentityTables.addCandidate(db, c.new, c.other, evidence: IdentityTables.phoneEvidence, detail: c.detail, at: keys.at)
        }
        if keys.preloaded && !bulk { keys.release() }
        if bulk {
            if texts == nil {   // a store that had members
                change.bulkTexts = (keys.created, textMembers)
                // Its extra search postings, on the core the next phases leave idle.
                if let created = createdTexts { change.earlyExtra = try startEarlyExtra(created) }
                createdTexts = nil
            }
            keys.release()
            Maintenance.startWriteback(db)   // the members and orders, while their stats are worked out
            // The search build's pairs, on the core the next phases leave idle.
            if let texts, texts.isValid, texts.count > 0, let ranks = earlyRanks(members: texts.count) {
                texts.finishWriting()
                if texts.isValid { change.early = EarlyPairs.start(texts: texts, ranks: ranks, directory: PairSpool.directory(of: db)) }
            }
            texts = nil
        }
        // Handed over, not copied: the refresh frees the new orders' columns as it goes (peak memory).
        swap(&change.newOrders, &newOrders)
        change.moved = movedOrders
        change.ordersChanged = changedMembers
        change.everyone = bulk
        if !bulk {   // a bulk load upgrades and reindexes everyone
            change.members = touchedMembers
            change.textChanged = textMembers.union(keys.created)
        }
        movedOrders = []
        changedMembers.removeAll()
        let outcome = try MemberRefresh.refresh(db, &change, mark: mark)
        if bulk { searchBuild = outcome.searchBuild; searchEarly = outcome.searchEarly }
        rfmRefresh = outcome.rfm
        try Maintenance.afterLoad(db, bulk: bulk)
        mark("analyze")
        return outcome.upgraded
    }
}

extension BulkLoader {
    /// EarlyExtra for this load's created and written members: the written ones' texts and every
    /// one's last paid moment before the load read from the tables (on this thread, before they
    /// change), the load's paid orders added. Nil when member_stats will come from elsewhere too
    /// (as `earlyRanks`), or the texts could not all be kept.
    fileprivate func startEarlyExtra(_ created: MemberTextSpool) throws -> EarlyExtra? {
        guard !newOrders.overflowed, changedMembers.isEmpty, movedOrders.isEmpty, try SearchExtra.acceptsEarly(db) else { return nil }
        // Past half the built members, SearchExtra merges everything into the postings instead:
        // spared when it is plain (at least max(created, written) extra members, and no more built
        // members than ids before the load).
        let before = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0) - Int64(keys.created.count)
        guard max(keys.created.count, textMembers.count) * 2 <= Int(before) else { return nil }
        created.finishWriting()
        guard created.isValid else { return nil }
        var clock = PhaseTimer()
        defer { TimingLog.search.write("search extra, early: \(clock.summary)") }
        var input = EarlyExtra.Input()
        // The created members (ids handed out in ascending order) and the written ones, merged in
        // id order; a member in both is a written one.
        var createdIds = keys.created
        if zip(createdIds, createdIds.dropFirst()).contains(where: { $0 >= $1 }) { createdIds.sort() }
        let writtenIds = textMembers.sorted()
        let maxId = max(createdIds.last ?? -1, writtenIds.last ?? -1)
        guard maxId >= 0, (createdIds.first ?? 0) >= 0, (writtenIds.first ?? 0) >= 0, maxId < Int64(Int32.max) else { return nil }
        // The load's latest paid moment per member, by id.
        guard var last = newOrders.latestPaid(from: 0, count: Int(maxId) + 1, ignoringAbove: true) else { return nil }
        let n = createdIds.count + writtenIds.count
        input.members.reserveCapacity(n)
        input.stamps.reserveCapacity(n)
        input.fromCreated.reserveCapacity(n)
        var c = 0, w = 0, previous: Int64 = -1
        while c < createdIds.count || w < writtenIds.count {
            let fromCreated = w == writtenIds.count || (c < createdIds.count && createdIds[c] < writtenIds[w])
            let id = fromCreated ? createdIds[c] : writtenIds[w]
            if fromCreated { c += 1 } else { w += 1 }
            guard id != previous else { continue }   // created and written, or created twice
            previous = id
            input.members.append(id)
            input.stamps.append(UInt64(last[Int(id)]))
            input.fromCreated.append(fromCreated)
        }
        last = []
        clock.mark("members (\(input.members.count)), paid orders")
        // The written members' texts as they are now and their last paid moments before the load,
        // runs of neighbouring ids in one range read each. In issue 19's channel import (1M store)
        // all 117k of them are members an identity row was linked to by phone, whose row no write
        // changed: capturing texts as rows are written (RETURNING) spared nothing there (measured:
        // 0.12 s texts + 0.10 s paid moments read apart against 0.22 s together, CPU), and the
        // other connection that could read them on the idle core is shut out by the load's
        // rollback journal (Maintenance), so this read stays on the writing thread: the writer holds
        // the EXCLUSIVE lock from its first cache spill on (the JD members), and a reader holding
        // a SHARED lock from before would instead stop those spills (SQLite then keeps every dirty
        // page in memory, hundreds of MB here). The store memory-mapped for this read (PRAGMA
        // mmap_size) was no faster: 0.22 and 0.30 s against 0.22 and 0.27 s CPU (paired, loaded).
        guard let written = try? MemberTextSpool(directory: PairSpool.directory(of: db)) else { return nil }   // no room: as before
        let read = try RawStatement(db, """
            SELECT m.id, m.nick, m.name, m.phone, s.last_paid_at FROM member m LEFT JOIN member_stats s ON s.member_id = m.id
            WHERE m.id BETWEEN ? AND ?
            """)
        let h = read.handle
        defer { sqlite3_reset(h) }
        func column(_ c: Int32) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: sqlite3_column_text(h, c), count: Int(sqlite3_column_bytes(h, c)))
        }
        var k = 0
        let ids = input.members
        while k < ids.count {
            guard !input.fromCreated[k] else { k += 1; continue }
            var end = k
            while end + 1 < ids.count && !input.fromCreated[end + 1] && ids[end + 1] == ids[end] + 1 { end += 1 }
            read.bind(1, ids[k]); read.bind(2, ids[end])
            var at = k
            while try stepRow(h) {
                let id = sqlite3_column_int64(h, 0)
                while at <= end && ids[at] < id { at += 1 }
                guard at <= end, ids[at] == id else { return nil }
                written.append(id: id, nick: column(1), name: column(2), phone: column(3))
                if sqlite3_column_type(h, 4) != SQLITE_NULL {
                    let text = UnsafeBufferPointer(start: sqlite3_column_text(h, 4), count: Int(sqlite3_column_bytes(h, 4)))
                    guard let t = LocalTime.parse(bytes: text), t.stamp > 0 else { return nil }
                    input.stamps[at] = max(input.stamps[at], UInt64(t.stamp))
                }
            }
            sqlite3_reset(h)
            k = end + 1
        }
        written.finishWriting()
        guard written.isValid else { return nil }
        clock.mark("written texts (\(written.count)), last paid")
        return EarlyExtra.start(input, created: created, written: written, directory: PairSpool.directory(of: db))
    }

    /// The search ranks of members 1...`members` from this load's paid orders, as member_stats
    /// will have them once merged; nil when the stats will come from elsewhere too (a rebuild from
    /// the table, or changed orders recomputed from it).
    fileprivate func earlyRanks(members n: Int) -> SearchRanks? {
        guard !newOrders.overflowed, changedMembers.isEmpty,
              let last = newOrders.latestPaid(from: 1, count: n, ignoringAbove: false) else { return nil }
        return SearchRanks(lastStamps: last)
    }
}

/// "YYYY-MM-DD HH:MM:SS" (or empty) stored inline: formatted on the parsing thread, bound by the
/// writer without a String per order.
struct TimeText: Sendable {
    private var storage: (UInt64, UInt64, UInt32) = (0, 0, 0)
    private var count: UInt8 = 0

    init(_ t: LocalTime?) {
        guard let t else { return }
        withUnsafeMutableBytes(of: &storage) { raw in
            t.write(into: UnsafeMutableBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[0..<19]))
        }
        count = 19
    }

    /// The 19 bytes of a time already checked to be canonical "YYYY-MM-DD HH:MM:SS".
    init(canonical bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 19)
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
        count = 19
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: storage) { body(UnsafeRawBufferPointer(rebasing: $0[0..<Int(count)])) }
    }
}


/// Binds a row's texts copied one after another into its slot of a scratch area, without SQLite's
/// own copy (`RawStatement.bind(_:textUntilStep:)`: the slot must stay put until the statement's
/// step); an empty text, or one that no longer fits, is bound as usual.
struct SlotTexts {
    private let s: RawStatement
    private var at: UnsafeMutableRawPointer
    private var room: Int

    init(_ s: RawStatement, at slot: UnsafeMutableRawPointer, room: Int) {
        self.s = s; at = slot; self.room = room
    }

    mutating func bind(_ index: Int32, _ value: String?) {
        guard var v = value else { sqlite3_bind_null(s.handle, index); return }
        v.withUTF8 { b in
            guard !b.isEmpty, b.count <= room else { s.bind(index, bytes: UnsafeRawBufferPointer(b)); return }
            at.copyMemory(from: b.baseAddress!, byteCount: b.count)
            s.bind(index, textUntilStep: UnsafeRawBufferPointer(start: at, count: b.count))
            at += b.count
            room -= b.count
        }
    }
}
