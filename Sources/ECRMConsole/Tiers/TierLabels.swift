import ECRMDomain
import ECRMStore

/// Words of the Tiers pane, edit mode, preview and history, in both languages. Kept beside the
/// tier views (not in the shared Labels tables) so the pane can grow without touching every
/// other pane's labels; `Labels.tierUI` picks the table for the console's language.
struct TierLabels: Sendable {
    let zh: Bool

    // Pane
    var metricLabel: String { zh ? "升级指标" : "upgrade metric" }
    func metric(_ m: TierMetric) -> String {
        switch m {
        case .amount: return zh ? "累计消费金额" : "cumulative paid amount"
        case .count: return zh ? "累计消费笔数" : "cumulative paid orders"
        }
    }
    var floorLabel: String { zh ? "分销价保护" : "distributor floor" }
    var noFloor: String { zh ? "未设置" : "none" }
    func version(_ v: TierLive) -> String { "v\(v.version) · \(v.publishedBy) · \(v.publishedAt.prefix(16))" }
    var draftDiffers: String { zh ? "草稿有未发布的改动：按 p 预览并发布" : "the draft has unpublished changes: p to preview and publish" }
    var draftSame: String { zh ? "草稿与生效等级相同" : "the draft is the same as the live tiers" }
    var ownerHint: String { zh ? "e 编辑草稿 · p 预览与发布 · v 发布历史 · Enter 查看该级会员" : "e edit the draft · p preview and publish · v history · Enter lists the level's members" }
    var colProblems: String { zh ? "问题" : "problems" }

    // Edit mode
    var editTitle: String { zh ? "编辑等级草稿" : "Editing the tier draft" }
    var editHelp: String {
        zh ? "↑↓ 选行 Tab/←→ 选字段 Enter 修改（每项确认后即存入草稿）p 预览 q 返回"
           : "↑↓ row  Tab/←→ field  Enter change (saved to the draft at once)  p preview  q back"
    }
    var noProblems: String { zh ? "检查通过：可以发布" : "no problems: can be published" }
    func saved(_ what: String) -> String { zh ? "已存入草稿：\(what)" : "saved to the draft: \(what)" }
    func fieldName(_ f: TierField) -> String {
        switch f {
        case .enabled: return zh ? "启用" : "enabled"
        case .name: return zh ? "名称" : "name"
        case .threshold: return zh ? "门槛" : "threshold"
        case .discount: return zh ? "折扣" : "discount"
        case .metric: return metricLabel
        case .distributorFloor: return floorLabel
        case .levels: return zh ? "等级" : "levels"
        }
    }
    func formTitle(_ tier: String, _ field: TierField) -> String {
        let f = fieldName(field)
        // The unit goes in the title: the input's label column is narrow.
        let hint = field == .discount || field == .distributorFloor ? (zh ? "（950 = 9.5折，也可输入 9.5）" : " (950 = 9.5折; 9.5 works too)") : ""
        return (zh ? "修改 \(tier) 的\(f)" : "Change \(tier) \(f)") + hint
    }
    func inputLabel(_ f: TierField, _ metric: TierMetric) -> String {
        switch f {
        case .threshold: return metric == .amount ? (zh ? "门槛（元）" : "threshold (yuan)") : (zh ? "门槛（笔）" : "threshold (orders)")
        case .discount: return zh ? "折扣（千分比）" : "discount (per-mille)"
        case .distributorFloor: return zh ? "保护线（千分比）" : "floor (per-mille)"
        default: return zh ? "名称" : "name"
        }
    }
    var notANumber: String { zh ? "请输入数字" : "enter a number" }
    var notYuan: String { zh ? "请输入金额，如 1000 或 99.5" : "enter an amount such as 1000 or 99.5" }

    // Preview
    var previewTitle: String { zh ? "发布预览：草稿 → 生效" : "Publish preview: draft → live" }
    var computing: String { zh ? "计算中…（统计会员与近30天订单）" : "computing… (members and the last 30 days of orders)" }
    var changesTitle: String { zh ? "改动" : "Changes" }
    var noChanges: String { zh ? "草稿与生效等级相同，没有可发布的改动" : "the draft is the same as the live tiers: nothing to publish" }
    var impactTitle: String { zh ? "影响（只升不降）" : "Impact (members only move up)" }
    func impactRow(_ name: String, _ now: Int, _ up: Int) -> String {
        zh ? "\(name)：现有 \(now) 人，升入 \(up) 人" : "\(name): \(now) now, \(up) moving up"
    }
    func cost(_ deepened: Int, _ fen: Fen, _ asOf: Day) -> String {
        zh ? "折扣加深 \(deepened) 人；按截至 \(asOf) 的近30天订单估算多让利 \(Money.display(fen))"
           : "\(deepened) members pay less; over the 30 days to \(asOf) that would have cost \(Money.display(fen))"
    }
    var blockedTitle: String { zh ? "不能发布：" : "Cannot publish:" }
    var warningsTitle: String { zh ? "分销价保护（发布需再次确认）：" : "Distributor floor (publishing needs a second confirmation):" }
    var publishHint: String { zh ? "P 发布（需输入 publish 确认，无法撤销）" : "P publish (type publish to confirm; cannot be undone)" }
    var publishing: String { zh ? "发布中…" : "publishing…" }
    var confirmWord: String { "publish" }
    var floorWord: String { "below-floor" }
    func confirmTitle(_ next: Int64) -> String { zh ? "发布 v\(next)：无法撤销" : "Publish v\(next): cannot be undone" }
    var confirmLabel: String { zh ? "输入 publish" : "type publish" }
    var floorTitle: String { zh ? "低于分销价保护：再次确认" : "Below the distributor floor: confirm again" }
    var floorLabel2: String { zh ? "输入 below-floor" : "type below-floor" }
    func mustType(_ w: String) -> String { zh ? "请输入 \(w)（发布后无法撤销）" : "type \(w) exactly (publishing cannot be undone)" }
    func published(_ r: TierService.PublishResult) -> String {
        zh ? "已发布 v\(r.version)：\(SegmentsView.count(r.upgraded)) 名会员升级" : "published v\(r.version): \(SegmentsView.count(r.upgraded)) members moved up"
    }
    var refreshed: String { zh ? "预览已按当前生效的等级重新计算" : "the preview was recomputed against the live tiers" }
    var stillComputing: String { zh ? "预览还在计算，请稍候" : "the preview is still computing" }

    // History
    var historyTitle: String { zh ? "发布历史" : "Publish history" }
    var colVersion: String { zh ? "版本" : "version" }
    var colAt: String { zh ? "发布时间" : "published at" }
    var colBy: String { zh ? "发布人" : "by" }
    var colLadder: String { zh ? "等级（启用的折扣）" : "ladder (enabled discounts, % of price)" }
    var noHistory: String { zh ? "尚未发布过等级" : "no tiers were published yet" }
    func versionTitle(_ v: Int64) -> String { "v\(v)" }
    var liveMark: String { zh ? "生效" : "live" }
}

extension Labels {
    var tierUI: TierLabels { TierLabels(zh: language == .zh) }
}
