import CSVStream
import ECRMDomain

/// Why an imported row was rejected, or is worth a look, in both languages: the reasons an import
/// and a dry run report line by line (PRODUCT.md: Import). `StoreMessages.rows` follows the
/// operator's language; the parsers build a reason only for a row they reject.
public struct ImportMessages: Sendable {
    let zh: Bool
    public init(_ language: MessageLanguage) { zh = language == .zh }
    var language: MessageLanguage { zh ? .zh : .en }

    func missing(_ column: String) -> String { zh ? "缺少 \(column)" : "missing \(column)" }
    /// `shown`: the value with its control characters written as \u{…}.
    func control(_ column: String, _ shown: String) -> String {
        zh ? "\(column)“\(shown)”含控制字符" : "\(column) '\(shown)' contains a control character"
    }
    func unknownGender(_ g: String) -> String {
        zh ? "未知性别“\(g)”（请用 F、M 或 U）" : "unknown gender '\(g)' (use F, M or U)"
    }
    func badBirthday(_ b: String) -> String {
        zh ? "无法识别的生日“\(b)”（格式为 YYYY-MM-DD）" : "unparsable birthday '\(b)' (use YYYY-MM-DD)"
    }
    func badJoinedAt(_ j: String) -> String {
        zh ? "无法识别的入会时间 joined_at“\(j)”（格式为 YYYY-MM-DD HH:MM:SS）" : "unparsable joined_at '\(j)' (use YYYY-MM-DD HH:MM:SS)"
    }
    func unknownStatus(_ word: String) -> String {
        zh ? "未知订单状态“\(word)”" : "unknown status '\(word)'"
    }
    var missingAmount: String { zh ? "缺少金额" : "missing amount" }
    func amount(_ text: String, _ problem: AmountProblem) -> String { problem.reason(text, language) }
    var missingPaidAt: String { zh ? "已付订单缺少付款时间 paid_at" : "missing paid_at for a paid order" }
    var missingPaidTime: String { zh ? "已付订单缺少付款时间" : "missing paid time for a paid order" }
    func badPaidAt(_ raw: String) -> String {
        zh ? "无法识别的付款时间 paid_at“\(raw)”（格式为 YYYY-MM-DD HH:MM:SS）" : "unparsable paid_at '\(raw)' (use YYYY-MM-DD HH:MM:SS)"
    }
    func badTime(_ text: String) -> String {
        zh ? "无法识别的时间“\(text)”（格式为 YYYY-MM-DD HH:MM:SS；不是店铺所在时区的时间请带时差，如 +0800）"
           : "unparsable time '\(text)' (use YYYY-MM-DD HH:MM:SS, with an offset such as +0800 if it is not the shop's time)"
    }
    func badOffset(_ text: String) -> String {
        zh ? "“\(text)”中的时差不可能（请用 +HHMM，在 -1200 到 +1400 之间）" : "impossible time offset in '\(text)' (use +HHMM between -1200 and +1400)"
    }
    func future(_ paid: LocalTime, after latest: Day) -> String {
        zh ? "付款时间 paid_at \(paid) 在未来（晚于 \(latest)，即本次导入日期的次日）"
           : "paid_at \(paid) is in the future (after \(latest), the day after this import's date)"
    }
    func badItems(_ text: String) -> String {
        zh ? "件数 items“\(text)”无效（应为整数）" : "bad items '\(text)' (a whole number)"
    }
    func badQuantity(_ text: String) -> String {
        zh ? "数量“\(text)”无效（应为整数）" : "bad quantity '\(text)' (a whole number)"
    }
    /// A number seen before in this file: the first row is kept.
    func repeats(_ number: String, firstLine: some BinaryInteger) -> String {
        zh ? "order_id \(number) 与本文件第 \(firstLine) 行重复（保留第 \(firstLine) 行）"
           : "order_id \(number) repeats line \(firstLine) of this file (the row on line \(firstLine) is kept)"
    }
    func rejectedEarlier(_ number: String, line: Int) -> String {
        zh ? "订单 \(number) 已在第 \(line) 行被拒" : "order \(number) was rejected on line \(line)"
    }
    /// A warning: a later row of an order says something else than its first row, which wins.
    func differs(_ number: String, column: String, value: String, firstLine: Int, first: String) -> String {
        zh ? "订单 \(number)：\(column)“\(value)”与第 \(firstLine) 行（“\(first)”）不同，保留第 \(firstLine) 行的"
           : "order \(number): \(column) '\(value)' differs from line \(firstLine) ('\(first)'); line \(firstLine)'s is kept"
    }
    var refused: String {
        zh ? "店铺拒绝了这一行（违反店铺的规则），未导入" : "the store refused this row (it breaks one of the store's rules); it was not imported"
    }
    func order(_ text: String) -> String? { OrderNumber.problem(text, language) }

    /// A row the reader could not read (CSVStream's own words are English, for its own tests).
    func unreadable(_ e: CSVRowError) -> String {
        guard zh else { return e.description }
        switch e.kind {
        case .invalidUTF8: return "第 \(e.line) 行有非 UTF-8 字节（文件是 GBK 吗？试试 --encoding gb18030）"
        case .invalidGB18030: return "第 \(e.line) 行有非 GB18030/GBK 字节（文件是 UTF-8 吗？试试 --encoding utf-8）"
        case .utf8InGB18030: return "第 \(e.line) 行是按 GB18030/GBK 读取的文件中的 UTF-8 文字；未导入，以免存成乱码（请把文件存成同一种编码）"
        case .unterminatedQuote: return "从第 \(e.line) 行开始的记录中，引号没有闭合"
        }
    }

    // A file refused as a whole, before or while it is read.
    func empty(_ path: String) -> String { zh ? "\(path) 是空文件：第一行应是表头" : "\(path) is empty: expected a header row" }
    func badHeader(_ path: String, _ e: CSVRowError) -> String {
        zh ? "\(path)：无法读取表头：\(unreadable(e))" : "\(path): cannot read the header row: \(e)"
    }
    func noBuyerColumn(_ names: String) -> String {
        zh ? "会员文件：表头中没有 buyer_id 列（\(names)）；应为 buyer_id,nick,name,phone,gender,birthday,province,city,joined_at"
           : "members file: no buyer_id column in the header (\(names)); expected buyer_id,nick,name,phone,gender,birthday,province,city,joined_at"
    }
    var taobaoColumnsMissing: String {
        zh ? "淘宝订单报表：缺少 买家实际支付金额 或 订单付款时间 列" : "Taobao order report: missing 买家实际支付金额 or 订单付款时间 column"
    }
    func orderColumnsMissing(_ missing: [String]) -> String {
        zh ? "订单文件：缺少列 \(missing.joined(separator: "、"))；应为 order_id,buyer_id,buyer_nick,paid_at,amount,status,items（或淘宝订单报表）"
           : "orders file: missing column(s) \(missing.joined(separator: ", ")); expected order_id,buyer_id,buyer_nick,paid_at,amount,status,items (or a Taobao order report)"
    }
    /// The store refused a load as a whole (rolled back): never SQLite's own text.
    func stopped(_ path: String, full: Bool, refused: Bool, code: Int32) -> String {
        switch (zh, full, refused) {
        case (true, true, _): "\(path)：磁盘已满，什么也没导入。请腾出空间后重新导入"
        case (true, false, true): "\(path)：店铺拒绝了这个文件中的一行，什么也没导入。请检查文件中的编号、金额和日期后重新导入"
        case (true, false, false): "\(path)：导入中止（店铺错误 \(code)），什么也没导入。请运行 ecrm health 检查店铺后重新导入"
        case (false, true, _): "\(path): the disk is full; nothing was imported. Free some space and import it again"
        case (false, false, true): "\(path): the store refused a row of this file; nothing was imported. Check the file's ids, amounts and dates, and import it again"
        case (false, false, false): "\(path): the import stopped (store error \(code)); nothing was imported. Run `ecrm health` to check the store, then import it again"
        }
    }

    // A file that failed as a whole (ImportReport.failure).
    func wrongEncoding(_ path: String, _ count: Int, of rows: Int, read encoding: String) -> String {
        switch (zh, encoding == "UTF-8") {
        case (true, true): "\(path)：\(rows) 行中有 \(count) 行不是 UTF-8；如果文件是 GBK（淘宝导出的就是），请加 --encoding gb18030 重新导入"
        case (true, false): "\(path)：\(rows) 行中有 \(count) 行不是 GB18030/GBK；如果文件是 UTF-8，请加 --encoding utf-8 重新导入"
        case (false, true): "\(path): \(count) of \(rows) rows are not UTF-8; if the file is GBK (as Taobao's exports are), import it again with --encoding gb18030"
        case (false, false): "\(path): \(count) of \(rows) rows are not GB18030/GBK; if the file is UTF-8, import it again with --encoding utf-8"
        }
    }
    func allRejected(_ path: String, _ count: Int) -> String {
        zh ? "\(path)：所有行都被拒（\(count) 行），这个文件什么也没导入；请改正列出的行后重新导入"
           : "\(path): every row was rejected (\(count)), nothing was imported from it; fix the rows listed and import it again"
    }

    /// The one line an import prints for a file.
    func summary(_ r: ImportReport) -> String {
        func g(_ n: Int) -> String { CampaignFormat.grouped(n) }   // counts as people read them: 5,000
        let channel = r.channel == Channel.default.rawValue ? "" : (zh ? "，" : ", ") + r.channel
        guard zh else {
            return "\(r.kind) (\(r.format), \(r.encoding)\(channel)): \(g(r.added)) added, \(g(r.updated)) updated, \(g(r.skipped)) skipped, \(g(r.rejected)) rejected"
                + (r.membersCreated > 0 ? "; \(g(r.membersCreated)) members created from orders" : "")
                + (r.identitiesLinked > 0 ? "; \(g(r.identitiesLinked)) identities linked to existing members by phone" : "")
                + (r.candidates > 0 ? "; \(g(r.candidates)) duplicate candidates (a phone that could not link: see ecrm duplicates)" : "")
                + (r.membersUpgraded > 0 ? "; \(g(r.membersUpgraded)) members upgraded" : "")
        }
        return "\(r.kind)（\(r.format)，\(r.encoding)\(channel)）：新增 \(g(r.added))，更新 \(g(r.updated))，跳过 \(g(r.skipped))，拒绝 \(g(r.rejected))"
            + (r.membersCreated > 0 ? "；由订单新建会员 \(g(r.membersCreated)) 位" : "")
            + (r.identitiesLinked > 0 ? "；按手机号关联到已有会员的身份 \(g(r.identitiesLinked)) 个" : "")
            + (r.candidates > 0 ? "；疑似重复会员 \(g(r.candidates)) 对（手机号无法自动关联：见 ecrm duplicates）" : "")
            + (r.membersUpgraded > 0 ? "；升级会员 \(g(r.membersUpgraded)) 位" : "")
    }

    // The command line's lines around the reasons.
    public func warning(_ reason: String) -> String { (zh ? "注意：" : "warning: ") + reason }
    public func more(_ count: Int) -> String { zh ? "… 另有 \(count) 行被拒" : "… and \(count) more rejected rows" }
}

extension StoreMessages {
    /// Import reasons in the operator's language.
    public static var rows: ImportMessages { ImportMessages(language) }
}
