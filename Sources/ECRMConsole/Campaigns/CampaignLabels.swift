import ECRMDomain
import ECRMStore

/// The keys of the Campaigns pane and its detail view.
public enum CampaignAction: Hashable, Sendable { case create, close, treatmentResponders, controlResponders, exportSendList }

/// Words of the Campaigns pane, its detail view and the create form, in both languages. Kept beside
/// the views (like TierLabels) so the pane grows without touching the other panes' tables.
struct CampaignLabels: Sendable {
    let zh: Bool

    // List
    var title: String { zh ? "营销活动" : "Campaigns" }
    var colName: String { zh ? "活动" : "Campaign" }
    var colStatus: String { zh ? "状态" : "Status" }
    var colStart: String { zh ? "开始" : "Start" }
    var colTarget: String { zh ? "目标人数" : "Target" }
    var colUplift: String { zh ? "提升" : "Uplift" }
    var colP: String { "p" }
    var none: String { zh ? "还没有营销活动：在任一会员列表（分层、标签、等级…）按 C 创建" : "no campaigns yet: press C on any member list (segment, tag, tier…) to create one" }
    var listHelp: String { zh ? "Enter 查看效果 · c 结束活动（店主）· 在会员列表按 C 创建" : "Enter outcome · c close (owner) · C on a member list creates one" }
    func status(_ s: CampaignStatus) -> String {
        switch s {
        case .running: return zh ? "进行中" : "running"
        case .ended: return zh ? "已到期" : "ended"
        case .closed: return zh ? "已结束" : "closed"
        }
    }

    // Detail
    var computing: String { zh ? "正在计算效果…" : "computing the outcome…" }
    func period(_ start: Day, _ last: Day, _ days: Int) -> String { zh ? "\(start) 至 \(last)（\(days)天）" : "\(start) to \(last) (\(days) days)" }
    func dayOf(_ d: Int, _ n: Int) -> String { zh ? "第\(d)/\(n)天" : "day \(d) of \(n)" }
    func targetLine(_ n: String, _ what: String, _ holdout: String, _ seed: UInt64) -> String {
        zh ? "目标 \(n) 人（\(what)）· 对照组 \(holdout)% · 种子 \(seed)" : "target \(n) (\(what)) · holdout \(holdout)% · seed \(seed)"
    }
    func tagLine(_ tag: String?) -> String { zh ? "发送组标签：\(tag ?? "（已删除）")" : "treatment tag: \(tag ?? "(deleted)")" }
    var treatment: String { zh ? "发送组" : "treatment" }
    var control: String { zh ? "对照组" : "control" }
    var members: String { zh ? "人数" : "members" }
    var responders: String { zh ? "回应人数" : "responders" }
    var rate: String { zh ? "回应率" : "response rate" }
    var revenue: String { zh ? "销售额" : "revenue" }
    var perMember: String { zh ? "人均销售额" : "revenue/member" }
    func uplift(_ u: String, _ lo: String, _ hi: String, _ p: String) -> String {
        zh ? "提升 \(u) 个百分点（95%区间 \(lo) … \(hi)），p = \(p)" : "uplift \(u) pt (95% CI \(lo) … \(hi)), p = \(p)"
    }
    func incremental(_ v: String, _ lo: String, _ hi: String) -> String {
        zh ? "增量销售额 \(v)（95%区间 \(lo) … \(hi)）" : "incremental revenue \(v) (95% CI \(lo) … \(hi))"
    }
    func detectable(_ v: String) -> String { zh ? "最小可检测提升 \(v) 个百分点" : "smallest detectable uplift \(v) pt" }
    func overlap(_ n: String) -> String { zh ? "其中 \(n) 人同时在其他进行中的活动里" : "\(n) of the target also in another running campaign" }
    var chartTitle: String { zh ? "累计提升（每日，百分点）" : "cumulative uplift by day (pt)" }
    var notStarted: String { zh ? "活动尚未开始" : "not started yet" }
    var detailHelp: String { zh ? "r 发送组回应者 · R 对照组回应者 · x 导出发送名单 · c 结束活动（店主）· q 返回" : "r/R treatment/control responders · x send list · c close (owner) · q back" }
    /// The send list's default file name and the toast after it is written.
    var sendListFile: String { zh ? "发送名单" : "send-list" }
    func exported(_ name: String, _ n: String, _ path: String) -> String {
        zh ? "已导出活动 \(name) 的发送组 \(n) 人到 \(path)" : "exported \(n) treatment members of \(name) to \(path)"
    }
    func responders(_ group: String, _ name: String) -> String { zh ? "\(name) · \(group)回应者" : "\(name) · \(group) responders" }

    // Create and close
    var createTitle: String { zh ? "创建营销活动" : "New campaign" }
    var fieldName: String { zh ? "活动名称" : "Name" }
    var fieldHoldout: String { zh ? "对照组比例 %" : "Holdout %" }
    var fieldStart: String { zh ? "开始日期" : "Start date" }
    var fieldWindow: String { zh ? "观察天数" : "Window (days)" }
    var fieldSeed: String { zh ? "随机种子" : "Seed" }
    var badHoldout: String { zh ? "请输入百分比，如 10 或 12.5" : "a percent such as 10 or 12.5" }
    var badDate: String { zh ? "日期格式为 YYYY-MM-DD" : "a date YYYY-MM-DD" }
    var badNumber: String { zh ? "请输入整数" : "a whole number" }
    func created(_ name: String, _ t: String, _ c: String, _ mdu: String) -> String {
        zh ? "已创建活动 \(name)：发送组 \(t) 人，对照组 \(c) 人，最小可检测提升 \(mdu) 个百分点"
           : "created \(name): treatment \(t), control \(c), smallest detectable uplift \(mdu) pt"
    }
    func tooSmall(_ mdu: String) -> String {
        zh ? "注意：只能检测到 \(mdu) 个百分点以上的提升（高于5个百分点），可扩大目标或提高对照组比例"
           : "note: it can only detect an uplift of \(mdu) pt or more (above 5): widen the target or raise the holdout"
    }
    var closeTitle: String { zh ? "结束营销活动" : "Close the campaign" }
    func closeMessage(_ name: String) -> String {
        zh ? "结束活动“\(name)”？目标和效果保留，它不再计为进行中的活动。" : "Close \(name)? Its target and outcome stay; it no longer counts as running."
    }
    func closed(_ name: String) -> String { zh ? "已结束活动 \(name)" : "closed \(name)" }
    var alreadyClosed: String { zh ? "该活动已结束" : "this campaign is already closed" }

    /// A frozen target in words, e.g. "重要价值客户 · 标签 A" (the store keeps an English one for logs).
    func target(_ sets: [MemberSet], _ fallback: String) -> String {
        guard !sets.isEmpty else { return fallback }
        return sets.flatMap { set -> [String] in
            guard let r = set.rule else { return [] }
            var out: [String] = []
            if let ss = r.segments { out += ss.map { zh ? $0.chineseName : $0.englishName } }
            if let ls = r.lifecycles { out += ls.map { zh ? $0.chineseName : $0.englishName } }
            if let c = r.cell { out.append("R\(c.r)×F\(c.f)") }
            if let ts = r.tiers { out += ts.map { zh ? "等级 \($0)" : "tier \($0)" } }
            for (names, all) in [(r.tagsAll, true), (r.tagsAny, false)] {
                guard let names else { continue }
                let joined = names.joined(separator: all ? "+" : "|")
                out.append(zh ? "标签 \(joined)" : "tag \(joined)")
            }
            if let ps = r.provinces { out.append(ps.joined(separator: "|") + (r.cities?.joined(separator: "|") ?? "")) }
            else if let cs = r.cities { out.append(cs.joined(separator: "|")) }
            if let ids = r.members {
                // Stored campaigns keep an explicit list as its frozen members only (no ids here).
                out.append(ids.isEmpty ? (zh ? "选定会员" : "listed members")
                           : zh ? "\(CampaignFormat.grouped(ids.count)) 位选定会员" : "\(CampaignFormat.grouped(ids.count)) listed members")
            }
            if let cs = r.channels { out += cs.map { zh ? "渠道 \($0.rawValue)" : "channel \($0.rawValue)" } }
            // Conditions a campaign is not made with from the console or the command line (a saved rule may hold them).
            if let g = r.gender { out.append(gender(g)) }
            if let ms = r.birthdayMonths {
                let months = ms.map(String.init)
                out.append(zh ? "生日 \(months.joined(separator: "、")) 月" : "birthday month \(months.joined(separator: ","))")
            }
            if r.spendMin != nil || r.spendMax != nil {
                let range = between(r.spendMin.map { Money.display($0.fen) }, r.spendMax.map { Money.display($0.fen) })
                out.append(zh ? "累计消费 \(range)" : "spend \(range)")
            }
            if r.ordersMin != nil || r.ordersMax != nil {
                let range = between(r.ordersMin.map(CampaignFormat.grouped), r.ordersMax.map(CampaignFormat.grouped))
                out.append(zh ? "订单 \(range) 笔" : "orders \(range)")
            }
            if let s = r.status {
                out.append(s == .blacklist ? (zh ? "黑名单" : "blacklisted") : (zh ? "非黑名单" : "not blacklisted"))
            }
            if let q = r.search { out.append(zh ? "搜索“\(q)”" : "search '\(q)'") }
            return out
        }.joined(separator: " · ")
    }

    private func gender(_ code: String) -> String {
        switch code {
        case "F": zh ? "女性" : "women"
        case "M": zh ? "男性" : "men"
        default: zh ? "性别未知" : "gender unknown"
        }
    }

    /// "100–2,000", "≥ 100", "≤ 2,000".
    private func between(_ low: String?, _ high: String?) -> String {
        switch (low, high) {
        case let (l?, h?): "\(l)–\(h)"
        case let (l?, nil): "≥ \(l)"
        case let (nil, h?): "≤ \(h)"
        default: ""
        }
    }

    /// Key descriptions (merged into the key table beside the shared ones).
    var keys: [String: (String, String?)] {
        zh ? ["pane_6": ("营销活动", nil), "new_campaign": ("用这个列表创建营销活动（店主）", nil),
              "open_campaign": ("查看活动效果", "查看"), "close_campaign": ("结束活动", "结束"),
              "treatment_responders": ("发送组回应者", "发送组"), "control_responders": ("对照组回应者", "对照组"),
              "close_this_campaign": ("结束这个活动", "结束"), "export_send_list": ("导出发送名单（发送组，CSV）", "导出")]
           : ["pane_6": ("Campaigns", nil), "new_campaign": ("Create a campaign on this list (owner)", nil),
              "open_campaign": ("Open the outcome", "open"), "close_campaign": ("Close the campaign", "close"),
              "treatment_responders": ("Treatment responders", "treated"), "control_responders": ("Control responders", "control"),
              "close_this_campaign": ("Close this campaign", "close"), "export_send_list": ("Export the send list (treatment, CSV)", "export")]
    }
}

extension Labels {
    var camp: CampaignLabels { CampaignLabels(zh: language == .zh) }
}
