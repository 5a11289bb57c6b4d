import ECRMDomain

/// Why a tier operation was refused, in words the console's hint bar and the command line share.
public enum TierServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operator's role may not do this (staff editing tiers, …).
    case notPermitted(PermissionRefusal)
    /// The draft breaks an invariant or the upgrade-only rule; nothing was published.
    case blocked([TierViolation])
    /// The draft goes below the distributor floor and the second confirmation was not given.
    case belowFloorNeedsConfirmation([TierViolation])
    /// Someone published since the preview this publish was based on.
    case stalePublish(expected: Int64?, live: TierLive?)
    /// The draft was edited (by another session) after it was reviewed.
    case draftChanged(by: String?, at: String?)
    /// The draft is identical to the live ladder.
    case nothingToPublish(version: Int64?)
    /// A ladder without exactly levels 1...4 (never produced by the console or command line).
    case malformedLadder
    case memberNotFound(String)
    case manualChange(ManualTierChangeError)
    /// Blacklist changes need a reason for the audit log.
    case blacklistReasonRequired
    case blacklistUnchanged(on: Bool)

    /// Stable machine code.
    public var code: String {
        switch self {
        case .notPermitted: return "not_permitted"
        case .blocked(let v): return v.first?.code ?? "blocked"
        case .belowFloorNeedsConfirmation: return "below_distributor_floor"
        case .stalePublish: return "stale_publish"
        case .draftChanged: return "draft_changed"
        case .nothingToPublish: return "nothing_to_publish"
        case .malformedLadder: return "malformed_ladder"
        case .memberNotFound: return "member_not_found"
        case .manualChange(let e): return e.code
        case .blacklistReasonRequired: return "reason_required"
        case .blacklistUnchanged: return "unchanged"
        }
    }

    /// One line (violations joined with "; ").
    public func message(_ language: MessageLanguage) -> String {
        let zh = language == .zh
        switch self {
        case .notPermitted(let r):
            return r.message(language)
        case .blocked(let vs):
            let head = zh ? "不能发布：" : "cannot publish: "
            return head + vs.map { $0.message(language) }.joined(separator: zh ? "；" : "; ")
        case .belowFloorNeedsConfirmation(let vs):
            let head = zh ? "需要再次确认（分销价保护）：" : "needs a second confirmation (distributor floor): "
            return head + vs.map { $0.message(language) }.joined(separator: zh ? "；" : "; ")
        case .stalePublish(let expected, let live):
            let was = expected.map { "v\($0)" } ?? (zh ? "未发布" : "nothing published")
            let now = live.map { "v\($0.version)" } ?? (zh ? "未发布" : "nothing published")
            let who = live.map { zh ? "（\($0.publishedBy) 于 \($0.publishedAt) 发布）" : " (published by \($0.publishedBy) at \($0.publishedAt))" } ?? ""
            return zh ? "等级已被他人更新：预览基于\(was)，当前生效的是\(now)\(who)；请重新预览后再发布"
                      : "the tiers changed since the preview: it was based on \(was), \(now) is live now\(who); preview again, then publish"
        case .draftChanged(let by, let at):
            let who = by.map { zh ? "（\($0) 于 \(at ?? "") 修改）" : " (by \($0) at \(at ?? ""))" } ?? ""
            return zh ? "草稿在预览之后被修改\(who)；请重新预览后再发布"
                      : "the draft was edited after the preview\(who); preview again, then publish"
        case .nothingToPublish(let v):
            let live = v.map { "v\($0)" } ?? ""
            return zh ? "草稿与当前生效的等级\(live)相同，没有可发布的改动" : "the draft is the same as the live ladder \(live): nothing to publish"
        case .malformedLadder:
            return zh ? "等级设置必须是1–4级依次排列" : "a tier ladder must have levels 1–4 in order"
        case .memberNotFound(let key):
            return zh ? "找不到会员“\(key)”（可用买家ID、昵称、手机号或订单号）" : "no member '\(key)' (use a buyer id, nick, phone or order number)"
        case .manualChange(let e):
            return e.message(language)
        case .blacklistReasonRequired:
            return zh ? "设置黑名单需要填写原因：会写入审计日志；允许：非空的原因"
                      : "a blacklist change needs a reason: it goes to the audit log; allowed: a non-empty reason"
        case .blacklistUnchanged(let on):
            return zh ? (on ? "会员已在黑名单中：没有变化" : "会员不在黑名单中：没有变化")
                      : (on ? "the member is already blacklisted: nothing to change" : "the member is not blacklisted: nothing to change")
        }
    }

    public var description: String { message(.en) }
}
