import Foundation
import ECRMDomain

/// The store's one-line messages about access and privacy, in both languages (as TierMessages).
/// The language follows `--lang` when the command line sets `language`, else LANG.
public enum StoreMessages {
    nonisolated(unsafe) public static var language: MessageLanguage =
        (ProcessInfo.processInfo.environment["LANG"] ?? "").lowercased().hasPrefix("zh") ? .zh : .en

    static var zh: Bool { language == .zh }

    static func notOperator(_ user: String, _ path: String) -> String {
        zh ? "用户 '\(user)' 不是此店铺（\(path)）的操作员；店主可以用 ecrm operators add \(user) --role staff 添加"
           : "user '\(user)' is not an operator of this store (\(path)); the owner can add them with: ecrm operators add \(user) --role staff"
    }

    /// The role table's refusal (`Store.Access`), in the action's own words.
    static func ownerOnly(_ action: OperatorAction, user: String) -> String {
        zh ? "只有店主可以\(action.chineseName)（你是 '\(user)'，客服）"
           : "only the owner can \(action.englishName) (you are '\(user)', staff)"
    }

    static func readOnly(_ path: String, user: String) -> String {
        zh ? "店铺 \(path) 对用户 '\(user)' 是只读的：请店主让同组可写（chmod g+w），或用 ecrm setup shared 建共享店铺"
           : "store \(path) is read-only for user '\(user)': ask the owner to make it group-writable (chmod g+w), or set up a shared store with `ecrm setup shared`"
    }

    static func folderReadOnly(_ dir: String, user: String) -> String {
        zh ? "用户 '\(user)' 不能在店铺目录 \(dir) 中建文件（SQLite 要在店铺旁放 -wal、-shm 文件）：请店主让该目录同组可写（chmod g+w），或用 ecrm setup shared 建共享店铺"
           : "user '\(user)' may not create files in the store's folder \(dir) (SQLite keeps its -wal and -shm files beside the store): ask the owner to make it group-writable (chmod g+w), or set up a shared store with `ecrm setup shared`"
    }

    static func cannotEnter(_ dir: String, user: String) -> String {
        zh ? "用户 '\(user)' 无权进入店铺所在目录 \(dir)：请店主开放该目录，或用 ecrm setup shared 建共享店铺"
           : "user '\(user)' may not enter the store's folder \(dir): ask the owner for access, or set up a shared store with `ecrm setup shared`"
    }

    static func staffRevealOne(_ count: Int) -> String {
        zh ? "客服一次只能查看一位会员的完整手机号（这里有 \(count) 位）；请缩小查询，并用 --reveal --reason 说明原因"
           : "staff may reveal one member's phone at a time (this is \(count) members); narrow it down and give --reveal --reason"
    }

    static let reasonNeeded = "a reason is needed to reveal a phone number"
    static var reasonNeededLocalized: String { zh ? "查看完整手机号需要填写原因（--reason）" : "a reason is needed to reveal a phone number (--reason)" }

    static func tagNotInTrash(_ name: String) -> String {
        zh ? "没有可恢复的标签“\(name)”（删除后 30 天内可恢复）" : "no deleted tag '\(name)' to restore (tags can be restored for 30 days after deletion)"
    }

    static func tagNameTaken(_ name: String) -> String {
        zh ? "已有同名标签“\(name)”：请先改名再恢复" : "a tag named '\(name)' exists again: rename it before restoring"
    }

    /// RFMFreshness: the stored segments are older than today or miss members imported since.
    static func rfmStale(asOf: Day?, daysBehind: Int, membersNotComputed: Int, _ language: MessageLanguage) -> String {
        let zh = language == .zh
        guard let asOf else { return zh ? "尚未计算过 RFM：请先运行 ecrm rfm" : "RFM was never computed: run `ecrm rfm` first" }
        let members = CampaignFormat.grouped(membersNotComputed)
        var parts: [String] = []
        if daysBehind > 0 {
            parts.append(zh ? "按 \(asOf) 计算，已过 \(CampaignFormat.grouped(daysBehind)) 天"
                            : "computed as of \(asOf), \(CampaignFormat.grouped(daysBehind)) day\(daysBehind == 1 ? "" : "s") ago")
        }
        if membersNotComputed > 0 { parts.append(zh ? "此后导入了 \(members) 位会员" : "\(members) members imported since") }
        return zh ? "RFM 分层已过时（\(parts.joined(separator: "；"))）：请运行 ecrm rfm 刷新"
                  : "RFM segments are stale (\(parts.joined(separator: "; "))): run `ecrm rfm` to refresh"
    }

    /// A line the command line prints beside its result, to be read but not acted on at once.
    public static func note(_ text: String) -> String { (zh ? "注意：" : "note: ") + text }

    // Identities (PRODUCT.md: One member across channels).
    static var identityEmpty: String { zh ? "身份不能为空（--id）" : "an identity needs an id (--id)" }
    static var identityTooLong: String { zh ? "身份长度不能超过 64 个字符" : "an identity is at most 64 characters" }
    static var identityControl: String { zh ? "身份中不能有控制字符" : "an identity may not contain control characters" }
    static func memberMissing(_ key: String) -> String {
        zh ? "没有会员“\(key)”" : "no member '\(key)'"
    }
    static func identityAlreadyHis(_ identity: String, _ buyer: String) -> String {
        zh ? "身份 \(identity) 已属于会员 \(buyer)，无需再关联" : "identity \(identity) already belongs to member \(buyer); nothing to link"
    }
    static func identityOfAnother(_ identity: String, _ other: String) -> String {
        zh ? "身份 \(identity) 属于另一位会员 \(other)：若是同一人，请合并两位会员（ecrm member merge）"
           : "identity \(identity) belongs to another member, \(other): if they are one person, merge the two members (ecrm member merge)"
    }
    static func identityMissing(_ identity: String) -> String {
        zh ? "没有身份 \(identity)" : "no identity \(identity) in this store"
    }
    static func identityNotHis(_ identity: String, _ buyer: String, _ other: String) -> String {
        zh ? "身份 \(identity) 不属于会员 \(buyer)，它属于 \(other)" : "identity \(identity) is not member \(buyer)'s: it belongs to \(other)"
    }
    static func identityLast(_ identity: String, _ buyer: String) -> String {
        zh ? "身份 \(identity) 是会员 \(buyer) 唯一的身份，不能解除关联" : "identity \(identity) is member \(buyer)'s only identity; it cannot be unlinked"
    }
    static func identityHome(_ identity: String, _ buyer: String) -> String {
        zh ? "身份 \(identity) 是会员 \(buyer) 的首个身份（会员由它建立），不能解除关联；可解除其他身份"
           : "identity \(identity) is member \(buyer)'s first identity (the member was created with it) and cannot be unlinked; unlink the others instead"
    }
}
