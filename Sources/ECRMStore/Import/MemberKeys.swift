import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Which member each row of a load belongs to: buyer identity (the file's channel, the row's
/// buyer id) → member, new ids handed out in file order, phone links (PRODUCT.md: One member across
/// channels), and which members still have empty fields an order row may fill.
/// A bulk load reads the whole map once (`preload`) and then lives on the parsing thread, so the
/// writing thread is left with binding and stepping: the hash lookups per row overlap with SQLite's
/// B-tree work on the second core instead of adding to it. A small load instead looks each buyer
/// up in the store when first seen, on the writing thread: a two-row file into a million-member
/// store then reads two keys, not a million (0.8 s).
///
/// The map's keys (IdentityTables): a Taobao identity is its buyer id's bytes, as before; any other
/// channel's is one control byte naming the channel, then the id (ids never hold control bytes, the
/// importer rejects them). Its values: > 0 a member whose implicit Taobao identity this is; < 0 the
/// negated member_identity row; 0 (Taobao keys only) a buyer_id that is some member's handle but
/// no Taobao identity.
final class MemberKeys {
    private var ids = BuyerIndex()
    private var nextId: Int64 = 1
    private var nextIdentity: Int64 = 1
    /// Members with at least one empty fillable field, as a bitmask of EmptyField.
    private var emptyFields = DenseMap<UInt8>()
    /// Members this load creates (from member rows or unknown buyers in order rows).
    private(set) var created: [Int64] = []
    private(set) var createdByOrders = 0
    /// Identities this load linked to an existing member by phone.
    private(set) var linked = 0
    /// Pairs this load found for a person to decide (a phone that could not link): new member,
    /// other member, the evidence's detail.
    private(set) var candidates: [(new: Int64, other: Int64, detail: String)] = []
    /// The channel of the file being resolved (set before its rows).
    var channel = Channel.default
    /// member_identity rows seen or made: row → member.
    private var identityMember = DenseMap<Int64>()
    /// Rows that are not their member's first identity (a members file only fills their member's
    /// empty fields, it does not overwrite what the member's own channel said).
    private var linkedRows = DenseMap<UInt8>()
    /// Channels (bit per Channel index) of members with member_identity rows or made by this load
    /// other than as implicit Taobao members; a member not here has only its Taobao identity.
    private var memberChannels = DenseMap<UInt16>()
    /// Link phone (Phone.linkKey as a number) → the members that have it.
    private var phones = PhoneIndex()
    /// The whole map was read up front (bulk loads, and big loads into a store: Importer.preloads).
    let preloaded: Bool
    /// A preloaded map of a load whose files resolve no Taobao buyer: the handles (buyer_ids) of
    /// the store and those this load gives are not keys of `ids` but in here, asked only by
    /// `handleTaken` (HandleSet).
    private var handles: HandleSet?
    private let db: Database
    /// Without a preloaded map: finds a buyer's id and empty-field mask in the store.
    private let storeLookup: RawStatement?
    private let identityLookup: RawStatement?
    private let handleLookup: RawStatement?
    let at: String
    let by: String

    enum EmptyField {
        static let nick: UInt8 = 1, name: UInt8 = 2, phone: UInt8 = 4, province: UInt8 = 8, city: UInt8 = 16
    }

    /// The member's empty fields (EmptyField bits). Most members have none: the CASE's AND stops at
    /// the first empty field and skips the five shifts and ors otherwise, which was about a quarter of
    /// the preload's scan of the member table (sqlite3 CLI at 1M members: 0.42 s against 0.31 s of
    /// CPU). The same value in every case, NULLs included (a NULL comparison takes the ELSE).
    static let emptyMask = """
        CASE WHEN nick <> '' AND name <> '' AND phone <> '' AND province <> '' AND city <> '' THEN 0 \
        ELSE (nick = '') | ((name = '') << 1) | ((phone = '') << 2) | ((province = '') << 3) | ((city = '') << 4) END
        """
    /// A phone that links to more members than this makes candidates with the first ones only.
    static let candidateLimit = 10

    /// `expectedKeys`: the map entries the load may add, when more than `expectedMembers` (a new
    /// member of another channel adds two: its identity and its handle), so the map never regrows.
    /// `channels`: the channels the load's files resolve buyers in (nil: any). A preloaded map then
    /// keeps the identity keys of those channels and Taobao's only: another channel's keys are never
    /// looked up (a key carries its channel's byte), its rows count only for their members' channels.
    init(db: Database, expectedMembers: Int, expectedKeys: Int = 0, preload: Bool = true, operatorName: String = "",
         at: String = Clock.nowString(), channels: Set<Channel>? = nil) throws {
        self.db = db
        self.by = operatorName
        self.at = at
        preloaded = preload
        nextIdentity = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM member_identity") ?? 0) + 1
        guard preload else {
            storeLookup = try RawStatement(db, "SELECT id, channel IS NULL, \(Self.emptyMask) FROM member WHERE buyer_id = ?")
            identityLookup = try RawStatement(db, """
                SELECT i.id, i.member_id, i.how <> 'new', \(Self.emptyMask) FROM member_identity i JOIN member m ON m.id = i.member_id
                WHERE i.external_id = ? AND i.channel = ?
                """)
            handleLookup = try RawStatement(db, "SELECT 1 FROM member WHERE buyer_id = ?")
            nextId = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0) + 1
            return
        }
        storeLookup = nil
        identityLookup = nil
        handleLookup = nil
        // Sizes only (max(id) reads one index entry; count(*) reads a whole index).
        let existing = Int(try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0)
        // Every member's buyer_id and every identity row's key are read in (the identity rows' ids
        // count up from 1 too), then what the load adds. A load of other channels only (issue 19's
        // JD and offline files) never looks a Taobao key up: its map holds the identity rows' keys
        // and the identities it adds (one a new member, not two), and the buyer_ids and the
        // handles it gives go to a set of handles (HandleSet).
        if channels?.contains(.taobao) ?? true {
            ids = BuyerIndex(expected: existing + Int(nextIdentity - 1) + max(expectedMembers, expectedKeys))
        } else {
            let added = max(expectedMembers, expectedKeys / 2)
            ids = BuyerIndex(expected: Int(nextIdentity - 1) + added)
            handles = HandleSet(expected: existing + added, expectedBytes: (existing + added) * 12)
        }
        emptyFields.reserve(upTo: Int64(existing + expectedMembers))
        memberChannels.reserve(upTo: Int64(existing + expectedMembers))
        identityMember.reserve(upTo: nextIdentity + Int64(expectedMembers))
        phones = PhoneIndex(expected: existing + expectedMembers)
        implicitMembers.reserve(upTo: Int64(existing))
        nextId = try readMembers(db) + 1
        try readIdentities(db, channels: channels)
    }

    /// How many rows the preload writes into the map at a time: their hash slots are prefetched
    /// first (each write otherwise waited for its own cache miss in tables of tens of MB).
    private static let readGroup = 32

    /// The preload's member table, in one scan in rowid order: each buyer_id's key (or, without
    /// Taobao keys, its handle in `handles`), each phone that
    /// links, the empty fields, and which members have an implicit Taobao identity. Values are read
    /// as SQLite's bytes, without a Swift String per member. Raw rows: GRDB's Row per member doubled
    /// the time of this read at 1M members; the empty fields come in the same scan (a second scan of
    /// the member table cost ~0.3 s at 1M). Returns the largest member id (0: none).
    private func readMembers(_ db: Database) throws -> Int64 {
        let rows = try RawStatement(db, "SELECT id, buyer_id, channel IS NULL, phone, \(Self.emptyMask) FROM member")
        defer { sqlite3_reset(rows.handle) }
        struct Staged { var id: Int64; var implicit: Bool; var phone: UInt64; var empty: UInt8 }
        var maxId: Int64 = 0
        let handles = self.handles
        try readGrouped(rows, stage: { h, bytes -> Staged? in
            let id = sqlite3_column_int64(h, 0)
            bytes.append(contentsOf: Self.columnBytes(h, 1))
            maxId = max(maxId, id)
            return Staged(id: id, implicit: sqlite3_column_int64(h, 2) != 0, phone: Self.phoneKey(bytes: Self.columnBytes(h, 3)) ?? 0,
                          empty: UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 4)))
        }, keyed: { _ in handles == nil }, prefetch: { keys, r, key in
            if r.phone != 0 { keys.phones.prefetch(r.phone) }
            handles?.prefetch(key)
        }, apply: { keys, r, p, key in
            if r.empty != 0 { keys.emptyFields[r.id] = r.empty }
            if r.implicit { keys.implicitMembers[r.id] = 1 }
            if let p {
                // A handle only (the member's identities are rows): the text is taken, no Taobao identity.
                if r.implicit || keys.ids.find(p, bytes: key) == nil { keys.ids.set(p, bytes: key, r.implicit ? r.id : 0) }
            } else {
                handles!.insert(key)
            }
            if r.phone != 0 { keys.addPhone(r.phone, r.id) }
        })
        return maxId
    }

    /// The preload's member_identity rows: each identity's key, its row's member, whether it was
    /// linked, and its member's channels (with Taobao for a member that also has an implicit
    /// Taobao identity, from `readMembers`). Bytes again: no String per row, and the channel found
    /// by comparing its bytes with each channel's.
    /// With `keep` (the load's channels), a row of another channel adds only its member's channel
    /// bit: its key and row are not read into the map (issue 19's offline load skipped the 300k JD rows).
    /// With `handles` (no Taobao key is looked up), a Taobao row's id goes there instead: it only
    /// makes that text a taken handle, as it did in the map.
    private func readIdentities(_ db: Database, channels keep: Set<Channel>?) throws {
        let rows = try RawStatement(db, "SELECT id, channel, external_id, member_id, how <> 'new' FROM member_identity")
        defer { sqlite3_reset(rows.handle) }
        let channels = Channel.allCases.map { Array($0.rawValue.utf8) }
        let taobao = Channel.allCases.firstIndex(of: .taobao)!
        let kept = keep.map { Set($0.map { Channel.allCases.firstIndex(of: $0)! } + [taobao]) }
        let handles = self.handles
        struct Staged { var row: Int64; var member: Int64; var linked: Bool; var channel: Int; var keyed: Bool }
        try readGrouped(rows, stage: { h, bytes -> Staged? in
            let name = Self.columnBytes(h, 1)
            guard let c = channels.firstIndex(where: { $0.elementsEqual(name) }) else { return nil }
            let member = sqlite3_column_int64(h, 3)
            if let kept, !kept.contains(c) {
                return Staged(row: 0, member: member, linked: false, channel: c, keyed: false)
            }
            if c == taobao && handles != nil {
                bytes.append(contentsOf: Self.columnBytes(h, 2))
                return Staged(row: 0, member: member, linked: false, channel: c, keyed: false)
            }
            // The map's key (Self.key): a Taobao id as it is, any other after its channel's byte.
            if c != taobao { bytes.append(UInt8(c)) }
            bytes.append(contentsOf: Self.columnBytes(h, 2))
            return Staged(row: sqlite3_column_int64(h, 0), member: member, linked: sqlite3_column_int64(h, 4) != 0, channel: c, keyed: true)
        }, keyed: { $0.keyed }, apply: { keys, r, p, key in
            if let p {
                keys.ids.set(p, bytes: key, -r.row)
                keys.identityMember[r.row] = r.member
                if r.linked { keys.linkedRows[r.row] = 1 }
            } else if !key.isEmpty {
                handles!.insert(key)
            }
            keys.memberChannels[r.member, default: 0] |= UInt16(1) << UInt16(r.channel) | (keys.implicitMembers[r.member] != nil ? Self.bit(.taobao) : 0)
        })
        implicitMembers = DenseMap()
    }

    /// Rows a chunk of the preload hands from the reading thread to the one filling the map.
    private static let chunkRows = 2048

    /// The preload's reads, on two threads: this one steps SQLite and `stage`s each row (appends its
    /// map key's bytes to `bytes`, returns the rest of what the row writes; nil: the row is
    /// skipped), a chunk of rows at a time; a second thread writes them into the map, a group
    /// (`readGroup`) at a time: every keyed row's (`keyed`) hash slot probed and prefetched first
    /// (with `prefetch`, given the row's key bytes, for anything else the row will write), then `apply` for each row with its
    /// probe (nil: not keyed) and key. One thread did both: the map's writes (cache misses in
    /// tables of tens of MB, their first touch of fresh pages) came on top of the scan's ~0.3 s
    /// at 1M members. `stage` must not touch the map; `prefetch` and `apply` only touch it.
    private func readGrouped<Staged>(_ rows: RawStatement,
                                     stage: (OpaquePointer, inout [UInt8]) -> Staged?,
                                     keyed: @escaping (Staged) -> Bool = { _ in true },
                                     prefetch: @escaping (MemberKeys, Staged, UnsafeRawBufferPointer) -> Void = { _, _, _ in },
                                     apply: @escaping (MemberKeys, Staged, BuyerIndex.Probe?, UnsafeRawBufferPointer) -> Void) throws {
        typealias Chunk = (staged: [(row: Staged, start: Int, end: Int)], bytes: [UInt8])
        let queue = Handoff<UncheckedBox<Chunk>>(capacity: 4)
        let done = DispatchSemaphore(value: 0)
        let filling = UncheckedBox((keys: self, keyed: keyed, prefetch: prefetch, apply: apply))
        let thread = Thread {
            let (keys, keyed, prefetch, apply) = filling.value
            var probes: [BuyerIndex.Probe?] = []
            probes.reserveCapacity(Self.readGroup)
            while let box = try? queue.take() {
                let chunk = box.value
                chunk.bytes.withUnsafeBytes { b in
                    var g = 0
                    while g < chunk.staged.count {
                        let group = chunk.staged[g..<min(g + Self.readGroup, chunk.staged.count)]
                        probes.removeAll(keepingCapacity: true)
                        for s in group {
                            let key = UnsafeRawBufferPointer(rebasing: b[s.start..<s.end])
                            if keyed(s.row) {
                                let p = keys.ids.probe(bytes: key)
                                keys.ids.prefetch(p)
                                probes.append(p)
                            } else {
                                probes.append(nil)
                            }
                            prefetch(keys, s.row, key)
                        }
                        for (i, s) in group.enumerated() { apply(keys, s.row, probes[i], UnsafeRawBufferPointer(rebasing: b[s.start..<s.end])) }
                        g += Self.readGroup
                    }
                }
            }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        var finished = false
        defer {
            if !finished { queue.cancel() }
            done.wait()
        }
        let h = rows.handle
        var more = true
        while more {
            var chunk: Chunk = ([], [])
            chunk.staged.reserveCapacity(Self.chunkRows)
            chunk.bytes.reserveCapacity(Self.chunkRows * 24)
            while chunk.staged.count < Self.chunkRows {
                guard try rows.next() else { more = false; break }
                let start = chunk.bytes.count
                guard let r = stage(h, &chunk.bytes) else { chunk.bytes.removeSubrange(start...); continue }
                chunk.staged.append((r, start, chunk.bytes.count))
            }
            if !chunk.staged.isEmpty { _ = queue.put(UncheckedBox(chunk)) }
        }
        queue.close()
        finished = true
    }

    /// Members whose buyer_id is their implicit Taobao identity (member.channel NULL), while the
    /// preload reads the identities.
    private var implicitMembers = DenseMap<UInt8>()

    /// A text column's bytes in the current row (valid until the statement steps or resets).
    private static func columnBytes(_ h: OpaquePointer, _ column: Int32) -> UnsafeRawBufferPointer {
        guard let p = sqlite3_column_text(h, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, column)))
    }

    /// The rest of the load brings no phone: nothing more can link or become a candidate by phone.
    func dropPhones() {
        phones = PhoneIndex()
        phonesDropped = true
    }
    private var phonesDropped = false

    /// Frees the key map once a load is done with it (before the stats merge allocates).
    func release() {
        ids = BuyerIndex()
        handles = nil
        emptyFields = DenseMap()
        phones = PhoneIndex()
        phoneNow = DenseMap()
        identityMember = DenseMap()
        linkedRows = DenseMap()
        memberChannels = DenseMap()
    }

    // MARK: keys

    static func bit(_ c: Channel) -> UInt16 { 1 << UInt16(Channel.allCases.firstIndex(of: c)!) }

    /// The map's key of an identity: a Taobao id as it is, any other prefixed by its channel's byte.
    static func key(_ externalId: String, _ c: Channel) -> String {
        guard c != .taobao else { return externalId }
        return String(Character(Unicode.Scalar(UInt8(Channel.allCases.firstIndex(of: c)!)))) + externalId
    }

    /// `phoneKey` of a phone given as UTF-8 bytes: the usual 11 digits read in place, anything else
    /// through the String rules.
    static func phoneKey(bytes b: UnsafeRawBufferPointer) -> UInt64? {
        guard b.count >= 11 else { return nil }
        return elevenDigits(b) ?? phoneKey(String(decoding: b, as: UTF8.self))
    }

    /// The fast path of both `phoneKey`s (nearly every imported phone, already normalised): 11
    /// digits from 1, read in place; nil for anything else.
    @inline(__always)
    private static func elevenDigits(_ b: UnsafeRawBufferPointer) -> UInt64? {
        guard b.count == 11 && b[0] == UInt8(ascii: "1") else { return nil }
        var n: UInt64 = 0
        for c in b {
            guard c >= 48 && c <= 57 else { return nil }
            n = n * 10 + UInt64(c - 48)
        }
        return n
    }

    /// A phone's link key as a number (11 digits fit), or nil when it never links.
    static func phoneKey(_ phone: String?) -> UInt64? {
        guard let phone, phone.utf8.count >= 11 else { return nil }
        if phone.utf8.count == 11, let k = phone.utf8.withContiguousStorageIfAvailable({ elevenDigits(UnsafeRawBufferPointer($0)) }), let k { return k }
        guard let k = Phone.linkKey(phone) else { return nil }
        return UInt64(k)
    }

    private func addPhone(_ p: UInt64, _ member: Int64) {
        phones.add(p, member, limit: Self.candidateLimit + 1)
    }

    /// The members that have this phone: this load's map, and without a preloaded one the store's
    /// (through the search postings' exact phone lookup); not those whose phone a row of this load
    /// replaced (`phoneNow`).
    private func owners(_ p: UInt64) throws -> [Int64] {
        var out = phones.owners(p)
        if !preloaded {
            for id in try ExactLookup.members(phone: String(p), db, limit: Self.candidateLimit + 1) where !out.contains(id) { out.append(id) }
        }
        if !phoneNow.isEmpty { out.removeAll { phoneNow[$0].map { $0 != p } ?? false } }
        return out
    }

    /// Members whose phone a row of this load wrote, and its link key now (`phoneNoKey`: a phone
    /// that never links, masked or a landline). A later row, or a later file of the same load (JD
    /// then offline in one import), then links to the member as it would had the earlier rows been
    /// imported on their own (ImportChannelsTogetherTests); the phone map keeps the old phone's
    /// entry, which `owners` skips.
    private var phoneNow = DenseMap<UInt64>()
    private static let phoneNoKey: UInt64 = 1

    /// Whether the member's phone is empty as far as this load knows (its empty-field mask is read
    /// with its key, or with the whole map).
    private func phoneEmpty(_ member: Int64) -> Bool {
        phoneNow[member] == nil && (emptyFields[member] ?? 0) & EmptyField.phone != 0
    }

    /// A row's phone as BulkLoader writes it: an overwrite (the member's own row) replaces the
    /// phone, except that a masked one never replaces an unmasked one; a fill (a linked identity's
    /// row, an order's buyer fields) only sets an empty phone. Call before `fills`, which clears
    /// the empty mask.
    private func notePhone(_ member: Int64, _ phone: String?, overwrite: Bool) {
        guard !phonesDropped, let phone, !phone.isEmpty else { return }
        if !overwrite || phone.utf8.contains(UInt8(ascii: "*")) {
            guard phoneEmpty(member) else { return }
        }
        let key = Self.phoneKey(phone)
        phoneNow[member] = key ?? Self.phoneNoKey
        if let key { addPhone(key, member) }
    }

    /// The channels a member has identities in.
    private func channels(of member: Int64) throws -> UInt16 {
        if let c = memberChannels[member] { return c }
        if preloaded { return Self.bit(.taobao) }
        var mask: UInt16 = 0
        // member.channel NULL: its buyer_id is its (implicit) Taobao identity. No row yet: a member
        // this load created and has not written, whose channels are already in memberChannels.
        if try Bool.fetchOne(db, sql: "SELECT channel IS NULL FROM member WHERE id = ?", arguments: [member]) ?? false { mask |= Self.bit(.taobao) }
        for c in try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM member_identity WHERE member_id = ?", arguments: [member]) {
            if let ch = Channel(rawValue: c) { mask |= Self.bit(ch) }
        }
        memberChannels[member] = mask
        return mask
    }

    // MARK: resolving

    func resolve(_ m: BulkLoader.MemberRow) throws -> BulkLoader.MemberWrite { try resolve(m, known: try find(m.buyerId)) }

    /// Where a new identity goes: linked to the one member with its phone (not having this channel
    /// yet), or a new member, with candidates when the phone could not link.
    private func place(phone: String?) throws -> (link: Int64?, candidates: [Int64], phone: UInt64?) {
        guard !phonesDropped, let p = Self.phoneKey(phone) else { return (nil, [], nil) }
        let found = try owners(p)
        if found.count == 1, try channels(of: found[0]) & Self.bit(channel) == 0 { return (found[0], [], p) }
        return (nil, Array(found.prefix(Self.candidateLimit)), p)
    }

    /// A new member for a new identity (`externalId` in this file's channel): an implicit Taobao
    /// member when the id is free as a buyer_id, else a member with a handle and an identity row.
    private func newMember(_ externalId: String, phone p: UInt64?, candidates: [Int64], value: Int64?) throws
        -> (id: Int64, extra: BulkLoader.MemberExtra?) {
        let id = nextId
        nextId += 1
        created.append(id)
        var extra: BulkLoader.MemberExtra?
        if channel == .taobao && value == nil {
            ids.set(externalId, id)
            // Its Taobao identity is implicit (no row): remember it, or a later buyer with its phone
            // would see no Taobao identity and link (a preloaded load assumes Taobao for all).
            if !preloaded { memberChannels[id] = Self.bit(.taobao) }
        } else {
            let handle = try freeHandle(externalId)
            let row = nextIdentity
            nextIdentity += 1
            ids.set(Self.key(externalId, channel), -row)
            identityMember[row] = id
            memberChannels[id] = Self.bit(channel)
            extra = .init(handle: handle, channel: channel.rawValue,
                          identity: .init(id: row, channel: channel.rawValue, externalId: externalId, member: id, how: .new), overwrite: true)
        }
        if let p {
            for other in candidates {
                self.candidates.append((id, other, "\(Phone.masked(String(p))) \(channel.rawValue):\(externalId)"))
            }
            addPhone(p, id)
        }
        return (id, extra)
    }

    /// A buyer_id no member has: the id itself, else `channel:id`, then `channel:id#2`….
    private func freeHandle(_ externalId: String) throws -> String {
        var candidate = externalId
        var n = 1
        while try handleTaken(candidate) {
            candidate = n == 1 ? "\(channel.rawValue):\(externalId)" : "\(channel.rawValue):\(externalId)#\(n)"
            n += 1
        }
        if let handles {
            handles.insert(candidate)
        } else if ids.find(candidate) == nil {
            ids.set(candidate, 0)
        }
        return candidate
    }

    private func handleTaken(_ text: String) throws -> Bool {
        // With `handles`, the map holds no key a handle could be (its keys are identities of
        // other channels, after their channel's byte).
        if let handles { return handles.contains(text) }
        if ids.find(text) != nil { return true }
        guard let lookup = handleLookup else { return false }
        defer { sqlite3_reset(lookup.handle) }
        lookup.bind(1, text)
        return try lookup.next()
    }

    /// Whether a row that only fills a member's empty fields (BulkLoader's fillMember) can change
    /// it, given the fields it `brings` (Self.mask, present). With the whole map read, the member's
    /// empty fields are known: a row that fills none of them needs no UPDATE (which had to read the
    /// member's page: a random one of the whole table, for each of issue 19's 120k phone links), and
    /// the ones it fills are empty no more. Without the map the store decides (always true).
    private func fills(_ member: Int64, brings: UInt8) -> Bool {
        guard preloaded else { return true }
        let empty = emptyFields[member] ?? 0
        guard empty & brings != 0 else { return false }
        let still = empty & ~brings
        emptyFields[member] = still == 0 ? nil : still
        return true
    }

    /// A new identity linked to an existing member by phone.
    private func link(_ externalId: String, to member: Int64, fills: Bool = true) -> BulkLoader.MemberExtra {
        let row = nextIdentity
        nextIdentity += 1
        ids.set(Self.key(externalId, channel), -row)
        identityMember[row] = member
        linkedRows[row] = 1
        memberChannels[member] = (memberChannels[member] ?? (preloaded ? Self.bit(.taobao) : 0)) | Self.bit(channel)
        linked += 1
        return .init(handle: nil, channel: nil,
                     identity: .init(id: row, channel: channel.rawValue, externalId: externalId, member: member, how: .phone), overwrite: false,
                     fills: fills)
    }

    private func resolve(_ m: consuming BulkLoader.MemberRow, known: Int64?) throws -> BulkLoader.MemberWrite {
        if let v = known, v > 0 {
            notePhone(v, m.phone, overwrite: true)
            return .init(row: m, id: v, isNew: false)
        }
        if let v = known, v < 0 {
            let row = -v
            let member = identityMember[row]!
            let overwrite = linkedRows[row] == nil
            notePhone(member, m.phone, overwrite: overwrite)
            return .init(row: m, id: member, isNew: false,
                         extra: .init(handle: nil, channel: nil, identity: nil, overwrite: overwrite,
                                      fills: overwrite || fills(member, brings: Self.mask(m.nick, m.name, m.phone, m.province, m.city, present: true))))
        }
        let target = try place(phone: m.phone)
        if let member = target.link {
            let fills = fills(member, brings: Self.mask(m.nick, m.name, m.phone, m.province, m.city, present: true))
            return .init(row: m, id: member, isNew: false, extra: link(m.buyerId, to: member, fills: fills))
        }
        let made = try newMember(m.buyerId, phone: target.phone, candidates: target.candidates, value: known)
        let empty = Self.mask(m.nick, m.name, m.phone, m.province, m.city, present: false)
        if empty != 0 { emptyFields[made.id] = empty }
        if let h = made.extra?.handle { m.buyerId = h }
        return .init(row: m, id: made.id, isNew: true, extra: made.extra)
    }

    /// How many rows ahead the batch lookups prefetch: enough misses in flight to hide one's latency.
    private static let lookahead = 16

    /// `resolve` for a batch of a bulk load, in order. An order's member is read through its
    /// identity row (identityMember) and checked for empty fields (emptyFields): two more reads at
    /// random places of arrays of a few MB, which missed the cache for nearly every order of issue
    /// 19's channel files (a sixth of the parsing thread's time). Peeked at ahead (`lookUpAll`),
    /// they are in the cache when the order resolves.
    func resolveAll(_ rows: [BulkLoader.OrderRow]) -> [BulkLoader.OrderWrite] {
        rows.withUnsafeBufferPointer { rows in
            var out: [BulkLoader.OrderWrite] = []
            out.reserveCapacity(rows.count)
            // A bulk load's map is preloaded: nothing here reads the store, nothing throws.
            // Taobao's buyers are nearly all implicit identities of members without empty fields
            // (a shop's own members file): no peeks, which would only add two lookups to each of a
            // first import's millions of orders.
            lookUpAll(rows.count, buyer: { rows[$0].buyerId }, peek: channel == .taobao ? nil : { stage, v in
                guard let v, v != 0 else { return }
                if stage == 2 {
                    if v < 0 { self.identityMember.prefetch(-v) }
                } else if let member = v > 0 ? v : self.identityMember[-v] {
                    self.emptyFields.prefetch(member)
                }
            }) { i, known in out.append(try! resolve(rows[i], known: known)) }
            return out
        }
    }

    /// Member rows are moved into their writes, not copied: a copy retains and releases ten strings.
    func resolveAll(_ rows: consuming [BulkLoader.MemberRow]) -> [BulkLoader.MemberWrite] {
        var rows = rows
        return rows.withUnsafeMutableBufferPointer { rows in
            var out: [BulkLoader.MemberWrite] = []
            out.reserveCapacity(rows.count)
            // Their phones' slots too, a row ahead of the buyer lookups (PhoneIndex).
            let phoneKeys = phonesDropped ? [] : (0..<rows.count).map { Self.phoneKey(rows[$0].phone) ?? 0 }
            // And the handle a new member's id would take (HandleSet: one cache miss each otherwise).
            let handles = self.handles
            lookUpAll(rows.count, buyer: { rows[$0].buyerId }, prefetch: {
                if $0 < phoneKeys.count, phoneKeys[$0] != 0 { self.phones.prefetch(phoneKeys[$0]) }
                handles?.prefetch(rows[$0].buyerId)
            }) { i, known in
                // Left behind: an empty row (no allocation), released with the batch's parse array.
                let row = rows.moveElement(from: i)
                rows.initializeElement(at: i, to: BulkLoader.MemberRow(buyerId: ""))
                out.append(try! resolve(row, known: known))
            }
            return out
        }
    }

    /// Looks up each of `count` rows' buyers in order, prefetching each one's slot `lookahead` rows
    /// before its lookup: nearly every lookup misses the cache in a table of tens of MB, and taken
    /// one at a time they were a third of the parsing thread, the load's bottleneck.
    /// With `peek`, the lookups also run ahead of the rows, twice: `peek(2, value)` with the value
    /// found two lookaheads before the row's lookup, `peek(1, value)` one lookahead before, to
    /// prefetch what the row will read with it (values found there are hints: a row in between may
    /// add a key; the row's own lookup is the one that counts).
    private func lookUpAll(_ count: Int, buyer: (Int) -> String, prefetch: (Int) -> Void = { _ in },
                           peek: ((Int, Int64?) -> Void)? = nil, _ body: (Int, Int64?) -> Void) {
        let ids = self.ids
        let c = channel
        let step = Self.lookahead
        let ahead = peek == nil ? step : 3 * step
        // Another channel's keys carry its byte (made once per row; Taobao's are the ids themselves).
        let keys: [String]? = c == .taobao ? nil : (0..<count).map { Self.key(buyer($0), c) }
        let probes = (0..<count).map { ids.probe(keys?[$0] ?? buyer($0)) }
        for (i, p) in probes.prefix(ahead).enumerated() { ids.prefetch(p); prefetch(i) }
        if let peek {
            for j in 0..<min(count, 2 * step) { peek(j < step ? 1 : 2, ids.find(probes[j], keys?[j] ?? buyer(j))) }
        }
        for i in 0..<count {
            if i + ahead < count { ids.prefetch(probes[i + ahead]); prefetch(i + ahead) }
            if let peek {
                if i + 2 * step < count { peek(2, ids.find(probes[i + 2 * step], keys?[i + 2 * step] ?? buyer(i + 2 * step))) }
                if i + step < count { peek(1, ids.find(probes[i + step], keys?[i + step] ?? buyer(i + step))) }
            }
            // Batches come from bulk loads, whose map is preloaded: nothing to look up in the store.
            body(i, ids.find(probes[i], keys?[i] ?? buyer(i)))
        }
    }

    /// The buyer's map value in this file's channel: from the map, or (without a preloaded map)
    /// from the store, then kept.
    private func find(_ buyerId: String) throws -> Int64? {
        let key = Self.key(buyerId, channel)
        if let v = ids.find(key), v != 0 || preloaded { return v }
        return try lookUpInStore(buyerId, key: key)
    }

    /// Without a preloaded map: the identity's value from the store, kept in the map.
    private func lookUpInStore(_ buyerId: String, key: String) throws -> Int64? {
        guard let lookup = storeLookup, let rows = identityLookup else { return ids.find(key) }
        var value: Int64?
        if channel == .taobao {
            defer { sqlite3_reset(lookup.handle) }
            lookup.bind(1, buyerId)
            if try lookup.next() {
                let id = sqlite3_column_int64(lookup.handle, 0)
                if sqlite3_column_int64(lookup.handle, 1) != 0 {
                    let empty = UInt8(truncatingIfNeeded: sqlite3_column_int64(lookup.handle, 2))
                    if empty != 0 { emptyFields[id] = empty }
                    ids.set(key, id)
                    return id
                }
                value = 0
            }
        }
        defer { sqlite3_reset(rows.handle) }
        rows.bind(1, buyerId); rows.bind(2, channel.rawValue)
        if try rows.next() {
            let row = sqlite3_column_int64(rows.handle, 0)
            let member = sqlite3_column_int64(rows.handle, 1)
            identityMember[row] = member
            if sqlite3_column_int64(rows.handle, 2) != 0 { linkedRows[row] = 1 }
            let empty = UInt8(truncatingIfNeeded: sqlite3_column_int64(rows.handle, 3))
            if empty != 0 { emptyFields[member] = empty }
            value = -row
        }
        if let value {
            ids.set(key, value)
            return value
        }
        return ids.find(key)   // a handle this load gave (0), or nothing
    }

    func resolve(_ o: BulkLoader.OrderRow) throws -> BulkLoader.OrderWrite { try resolve(o, known: try find(o.buyerId)) }

    private func resolve(_ o: BulkLoader.OrderRow, known: Int64?) throws -> BulkLoader.OrderWrite {
        var w = BulkLoader.OrderWrite(o)
        if let v = known, v != 0 {
            let id = v > 0 ? v : identityMember[-v]!
            if v < 0 { w.identity = -v }
            w.memberId = id
            if !emptyFields.isEmpty, let empty = emptyFields[id] {
                // Without a Taobao report's extras a row brings its nick at most (memberFields):
                // most rows fill nothing, and need no MemberFields (copies of its strings).
                if o.taobaoRaw == nil, empty & (o.nick?.isEmpty == false ? EmptyField.nick : 0) == 0 { return w }
                let f = o.memberFields()
                // Order files only fill what is empty: they never overwrite a member's own data.
                let brings = Self.mask(f.nick, f.name, f.phone, f.province, f.city, present: true)
                if empty & brings != 0 {
                    notePhone(id, f.phone, overwrite: false)
                    w.patch = .init(isNew: false, buyerId: o.buyerId, nick: f.nick, name: f.name, phone: f.phone,
                                    province: f.province, city: f.city, joinedAt: nil)
                    let still = empty & ~brings
                    emptyFields[id] = still == 0 ? nil : still
                }
            }
            return w
        }
        // PRODUCT.md: an order whose buyer is unknown creates the member (or, by phone, links to one).
        let f = o.memberFields()
        let target = try place(phone: f.phone)
        if let member = target.link {
            let empty = emptyFields[member] ?? 0
            let brings = Self.mask(f.nick, f.name, f.phone, f.province, f.city, present: true)
            // (The mask is known with a preloaded map: see `fills`.)
            let extra = link(o.buyerId, to: member, fills: !preloaded || empty & brings != 0)
            w.memberId = member
            w.identity = extra.identity!.id
            w.patch = .init(isNew: false, buyerId: o.buyerId, nick: f.nick, name: f.name, phone: f.phone,
                            province: f.province, city: f.city, joinedAt: nil, extra: extra)
            if empty & brings != 0 {
                let still = empty & ~brings
                emptyFields[member] = still == 0 ? nil : still
            }
            return w
        }
        let made = try newMember(o.buyerId, phone: target.phone, candidates: target.candidates, value: known)
        createdByOrders += 1
        let empty = Self.mask(f.nick, f.name, f.phone, f.province, f.city, present: false)
        if empty != 0 { emptyFields[made.id] = empty }
        w.memberId = made.id
        if let identity = made.extra?.identity { w.identity = identity.id }
        w.patch = .init(isNew: true, buyerId: made.extra?.handle ?? o.buyerId, nick: f.nick, name: f.name, phone: f.phone,
                        province: f.province, city: f.city, joinedAt: o.paidAt?.description, extra: made.extra)
        return w
    }

    /// Bitmask of the fields that are present (non-empty) or, with `present: false`, empty.
    static func mask(_ nick: String?, _ name: String?, _ phone: String?, _ province: String?, _ city: String?, present: Bool) -> UInt8 {
        func bit(_ v: String?, _ b: UInt8) -> UInt8 { ((v.map { !$0.isEmpty } ?? false) == present) ? b : 0 }
        return bit(nick, EmptyField.nick) | bit(name, EmptyField.name) | bit(phone, EmptyField.phone)
            | bit(province, EmptyField.province) | bit(city, EmptyField.city)
    }
}
