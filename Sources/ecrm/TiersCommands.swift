import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm tiers show|draft|preview|publish` (PRODUCT.md: Tiers). The checks and messages are the
/// store's (TierService), the same the console shows.
struct TiersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tiers", abstract: "The tier ladder (VIP等级): show, edit the draft, preview, publish.",
                                                    subcommands: [Show.self, Draft.self, Preview.self, Publish.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the live tier ladder and member counts.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var lang: TierLanguageOption
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            try guarded {
                let s = try store.open()
                let (ladder, counts) = try TierService.liveLadderAndCounts(s)
                guard let ladder else { print(CLIMessages.now.noLadderYet); return }
                if json { try printJSON(ladder); return }
                TierText.printLadder(ladder, counts: counts, lang.language)
                print("0 \(TierLevel.defaultNames[0]): \(counts[0]) members")
            }
        }
    }

    struct Draft: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "draft",
            abstract: "Edit the draft ladder (owner); without options, show it. Saved even when it breaks a rule; publish refuses until fixed.",
            discussion: "Example: ecrm tiers draft --level 2 --threshold 500 --discount 950 --enable")
        @OptionGroup var store: StoreOptions
        @OptionGroup var lang: TierLanguageOption
        @Option(help: "Level to edit (1-4).") var level: Int?
        @Option(help: "Display name.") var name: String?
        @Option(help: "Threshold: yuan for the amount metric, orders for the count metric.") var threshold: String?
        @Option(help: "Discount in per-mille (950 = 9.5折).") var discount: Int?
        @Flag(help: "Enable or disable the level.") var switchTo: LevelSwitch?
        @Option(help: "Upgrade metric: amount or count.") var metric: String?
        @Option(help: "Distributor floor in per-mille (分销价保护).") var floor: Int?
        @Flag(help: "Remove the distributor floor.") var noFloor = false
        @Flag(help: "Throw the draft away and start again from the live ladder.") var reset = false
        @Flag(help: "JSON output.") var json = false

        func validate() throws {
            if level == nil && (name != nil || threshold != nil || discount != nil || switchTo != nil) {
                throw ValidationError(CLIMessages.now.levelNeeded)
            }
            if let metric, TierMetric(rawValue: metric) == nil { throw ValidationError(CLIMessages.now.badMetric(metric)) }
            if floor != nil && noFloor { throw ValidationError(CLIMessages.now.floorAndNoFloor) }
        }

        var edits: Bool { level != nil || metric != nil || floor != nil || noFloor }

        func run() throws {
            let language = lang.language
            // One line, like `member tier --level 9` (not ArgumentParser's usage block).
            if let level, !(1...4).contains(level) {
                fail(language == .zh ? "等级\(level)不存在：等级草稿只有1–4级；允许：1–4" : "Level \(level) does not exist: the ladder has levels 1–4; allowed: 1–4")
            }
            try tierGuarded(language) {
                let s = try store.open()
                if reset { try TierService.discardDraft(s) }
                let saved: TierService.DraftSave?
                if edits {
                    saved = try TierService.editDraft(s) { l in try apply(to: &l) }
                } else {
                    saved = nil
                }
                let draft = try saved?.draft ?? TierService.draft(s)
                let live = try TierService.live(s)
                let review = try saved?.review ?? TierRules.reviewPublish(draft: draft.ladder, live: live?.ladder,
                                                                         membersPerLevel: TierService.membersPerLevel(s))
                if json {
                    try printJSON(DraftJSON(draft: draft, liveVersion: live?.version, review: review, language: language))
                    return
                }
                if edits || reset { print(language == .zh ? "草稿已保存" : "draft saved") }
                TierText.printLadder(draft.ladder, counts: nil, language)
                if let v = live?.version, draft.baseVersion != v {
                    print(language == .zh ? "注意：草稿基于v\(draft.baseVersion ?? 0)，当前生效的是v\(v)" : "note: the draft was saved against v\(draft.baseVersion ?? 0); v\(v) is live now")
                }
                TierText.printChanges(TierDiff.changes(live: live?.ladder, draft: draft.ladder), language)
                TierText.printReview(review, language)
            }
        }

        func apply(to l: inout TierLadder) throws {
            if let metric, let m = TierMetric(rawValue: metric) { l.metric = m }
            if let floor { l.distributorFloor = floor }
            if noFloor { l.distributorFloor = nil }
            guard let level else { return }
            if let name { l[level].name = name }
            if let switchTo { l[level].enabled = switchTo == .enable }
            if let discount { l[level].discount = discount }
            if let threshold {
                switch l.metric {
                case .amount:
                    guard let fen = Money.parseYuan(threshold) else { throw ValidationError(CLIMessages.now.badThresholdAmount(threshold)) }
                    l[level].threshold = fen
                case .count:
                    guard let n = Int64(threshold), n >= 0 else { throw ValidationError(CLIMessages.now.badThresholdCount(threshold)) }
                    l[level].threshold = n
                }
            }
        }
    }

    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "preview", abstract: "Show the draft's changes against the live ladder, what blocks publishing, and its impact.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var lang: TierLanguageOption
        @Option(help: "Last day of the 30 days of orders that price the deeper discounts (default today).") var asOf: String?
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            let language = lang.language
            try tierGuarded(language) {
                let s = try store.open()
                let preview = try TierService.preview(s, asOf: try parseAsOf(asOf))
                if json { try printJSON(PreviewJSON(preview, language)); return }
                printPreview(preview, language)
            }
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "publish",
            abstract: "Publish the draft (owner). Cannot be undone: asks you to type 'publish', or needs --yes when stdin is not a terminal.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var lang: TierLanguageOption
        @Flag(help: "Publish without the confirmation prompt.") var yes = false
        @Flag(help: "Second confirmation: publish even though a discount is below the distributor floor.") var belowFloor = false
        @Option(help: "Refuse unless this live version is still the one being replaced (from `tiers preview`).") var expectVersion: Int64?
        @Option(help: "Last day of the 30 days of orders that price the deeper discounts (default today).") var asOf: String?

        func run() throws {
            let language = lang.language
            try tierGuarded(language) { try publish(language) }
        }

        /// A method rather than a closure body: Swift 6.3's release optimizer crashed ("Found ownership
        /// error") on this code inside the `tierGuarded` closure.
        private func publish(_ language: MessageLanguage) throws {
            let s = try store.open()
            let preview = try TierService.preview(s, asOf: try parseAsOf(asOf))
            try check(preview)
            printPreview(preview, language)
            let confirmFloor = try confirm(needsFloorConfirmation: preview.review.needsSecondConfirmation,
                                           warnings: preview.review.warnings, language)
            let r = try TierService.publish(s, expectedDraft: preview.draft.ladder,
                                            expectedLiveVersion: expectVersion ?? preview.liveVersion, confirmFloor: confirmFloor)
            print(language == .zh ? "已发布 v\(r.version)：\(r.upgraded) 名会员升级" : "published v\(r.version): \(r.upgraded) members moved up")
        }

        /// Refuses a stale, empty or rule-breaking publish before anything is asked.
        private func check(_ preview: TierPreview) throws {
            let liveVersion = preview.liveVersion
            if let v = expectVersion, v != liveVersion {
                throw TierServiceError.stalePublish(expected: v, live: preview.live)
            }
            if !preview.hasChanges { throw TierServiceError.nothingToPublish(version: liveVersion) }
            if !preview.review.canPublish { throw TierServiceError.blocked(preview.review.blocking) }
        }

        /// The typed confirmation (or --yes off a terminal), then the second one for the distributor
        /// floor; returns whether the floor was confirmed.
        private func confirm(needsFloorConfirmation: Bool, warnings: [TierViolation], _ language: MessageLanguage) throws -> Bool {
            let zh = language == .zh
            let interactive = isatty(0) == 1
            if !yes {
                if !interactive {
                    fail(zh ? "标准输入不是终端：发布无法撤销，确认请加 --yes" : "stdin is not a terminal: publishing cannot be undone, pass --yes to confirm")
                }
                if prompt(zh ? "发布后无法撤销。输入 publish 确认发布：" : "Publishing cannot be undone. Type publish to confirm: ") != "publish" {
                    fail(zh ? "未发布：没有确认" : "not published: not confirmed")
                }
            }
            if !needsFloorConfirmation || belowFloor { return belowFloor }
            if !interactive || yes { throw TierServiceError.belowFloorNeedsConfirmation(warnings) }
            if prompt(zh ? "有折扣低于分销价保护。输入 below-floor 再次确认：" : "Discounts go below the distributor floor. Type below-floor to confirm again: ") != "below-floor" {
                fail(zh ? "未发布：没有再次确认分销价保护" : "not published: the distributor floor was not confirmed")
            }
            return true
        }

        func prompt(_ text: String) -> String? {
            FileHandle.standardError.write(Data(text.utf8))
            return readLine()?.trimmingCharacters(in: .whitespaces)
        }
    }
}

/// The preview as people read it: versions, changes, per-level moves, cost, problems.
func printPreview(_ p: TierPreview, _ language: MessageLanguage) {
    let zh = language == .zh
    let live = p.live.map { "v\($0.version) (\($0.publishedBy), \($0.publishedAt))" } ?? (zh ? "尚未发布" : "nothing published yet")
    print((zh ? "生效：" : "live: ") + live)
    TierText.printChanges(p.changes, language)
    print(zh ? "影响（只升不降）：" : "impact (members only move up):")
    for level in 1...4 where p.impact.movesUp[level] > 0 || p.draft.ladder[level].enabled {
        let name = p.draft.ladder[level].name
        print(zh ? "  \(name)（\(level)级）：现有\(p.membersPerLevel[level])人，升入\(p.impact.movesUp[level])人"
                 : "  \(name) (level \(level)): \(p.membersPerLevel[level]) now, \(p.impact.movesUp[level]) moving up")
    }
    let cost = Money.display(p.impact.costFen)
    print(zh ? "  折扣加深的会员\(p.impact.deepenedMembers)人；按截至\(p.asOf)的近30天订单估算，多让利\(cost)"
             : "  \(p.impact.deepenedMembers) members get a deeper discount; over the 30 days to \(p.asOf) it would have cost \(cost)")
    TierText.printReview(p.review, language)
}

struct DraftJSON: Encodable {
    var ladder: TierLadder
    var saved: Bool
    var baseVersion: Int64?
    var liveVersion: Int64?
    var updatedAt: String?
    var updatedBy: String?
    var blocking: [ViolationJSON]
    var warnings: [ViolationJSON]

    init(draft: TierDraft, liveVersion: Int64?, review: TierPublishReview, language: MessageLanguage) {
        ladder = draft.ladder; saved = draft.isSaved; baseVersion = draft.baseVersion; self.liveVersion = liveVersion
        updatedAt = draft.updatedAt; updatedBy = draft.updatedBy
        blocking = review.blocking.map { ViolationJSON($0, language) }
        warnings = review.warnings.map { ViolationJSON($0, language) }
    }
}

struct PreviewJSON: Encodable {
    struct Change: Encodable { var level: Int?; var field: String; var from: String?; var to: String? }
    var liveVersion: Int64?
    var draft: TierLadder
    var changes: [Change]
    var membersPerLevel: [Int]
    var movesUp: [Int]
    var deepenedMembers: Int
    /// Yuan, 2 decimals.
    var cost30Days: String
    var asOf: String
    var canPublish: Bool
    var needsSecondConfirmation: Bool
    var blocking: [ViolationJSON]
    var warnings: [ViolationJSON]

    init(_ p: TierPreview, _ language: MessageLanguage) {
        liveVersion = p.liveVersion; draft = p.draft.ladder
        changes = p.changes.map { Change(level: $0.level, field: $0.field.rawValue, from: TierText.raw($0.from), to: TierText.raw($0.to)) }
        membersPerLevel = p.membersPerLevel; movesUp = p.impact.movesUp; deepenedMembers = p.impact.deepenedMembers
        cost30Days = Money.yuanString(p.impact.costFen); asOf = p.asOf.description
        canPublish = p.review.canPublish && p.hasChanges; needsSecondConfirmation = p.review.needsSecondConfirmation
        blocking = p.review.blocking.map { ViolationJSON($0, language) }
        warnings = p.review.warnings.map { ViolationJSON($0, language) }
    }
}

/// `--enable` / `--disable`.
enum LevelSwitch: String, EnumerableFlag {
    case enable, disable
}
