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
}
