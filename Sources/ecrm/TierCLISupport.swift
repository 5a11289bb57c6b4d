import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// Shared by `ecrm tiers …` and `ecrm member tier|blacklist`: the message language, one-line errors
/// in that language, and the words for tier values.
struct TierLanguageOption: ParsableArguments {
    @Option(name: .long, help: "Message language: zh or en (default from LANG).")
    var lang: String?

    func validate() throws {
        if let given = lang ?? Self.fromArguments(), MessageLanguage(rawValue: given.lowercased()) == nil {
            throw ValidationError(CLIMessages.now.badLanguage(given))   // LANG decides: --lang is what is wrong
        }
    }

    var language: MessageLanguage {
        if let given = lang, let l = MessageLanguage(rawValue: given.lowercased()) { return l }
        return Self.commandLineLanguage
    }

    /// `--lang` from the command line, else Chinese when LANG says so (the console's default).
    static var commandLineLanguage: MessageLanguage {
        if let given = fromArguments(), let l = MessageLanguage(rawValue: given.lowercased()) { return l }
        return (ProcessInfo.processInfo.environment["LANG"] ?? "").lowercased().hasPrefix("zh") ? .zh : .en
    }

    /// The root command also declares `--lang`, and ArgumentParser hands the value to it rather than to
    /// the subcommand, so read it from the command line as a fallback.
    static func fromArguments() -> String? {
        let args = CommandLine.arguments
        for (i, a) in args.enumerated() {
            if a == "--lang", i + 1 < args.count { return args[i + 1] }
            if a.hasPrefix("--lang=") { return String(a.dropFirst("--lang=".count)) }
        }
        return nil
    }
}

/// `guarded`, plus tier refusals in the chosen language (still one line on stderr, exit 1).
func tierGuarded(_ language: MessageLanguage, _ body: () throws -> Void) throws {
    try guarded {
        do {
            try body()
        } catch let e as TierServiceError {
            fail(e.message(language))
        }
    }
}

enum TierText {
    static func value(_ v: TierValue?, _ zh: Bool) -> String {
        guard let v else { return zh ? "（无）" : "(none)" }
        switch v {
        case .enabled(let on): return zh ? (on ? "启用" : "停用") : (on ? "on" : "off")
        case .threshold(let x, .amount): return Money.display(x)
        case .threshold(let x, .count): return zh ? "\(x)笔" : "\(x) orders"
        case .discount(let d): return "\(d)‰ \(discountText(d, zh ? .zh : .en))"
        case .name(let s): return "“\(s)”"
        case .metric(.amount): return zh ? "累计消费金额" : "cumulative paid amount"
        case .metric(.count): return zh ? "累计消费笔数" : "cumulative paid orders"
        case .levelCount(let n): return "\(n)"
        }
    }

    /// Plain machine value for JSON: yuan with 2 decimals, orders, per-mille, names, true/false.
    static func raw(_ v: TierValue?) -> String? {
        guard let v else { return nil }
        switch v {
        case .enabled(let on): return on ? "true" : "false"
        case .threshold(let x, .amount): return Money.yuanString(x)
        case .threshold(let x, .count): return String(x)
        case .discount(let d): return String(d)
        case .name(let s): return s
        case .metric(let m): return m.rawValue
        case .levelCount(let n): return String(n)
        }
    }

    static func field(_ f: TierField, _ zh: Bool) -> String {
        guard zh else { return f.rawValue.replacingOccurrences(of: "_", with: " ") }
        switch f {
        case .enabled: return "启用"
        case .threshold: return "门槛"
        case .discount: return "折扣"
        case .name: return "名称"
        case .metric: return "升级指标"
        case .distributorFloor: return "分销价保护"
        case .levels: return "等级"
        }
    }

    static func threshold(_ x: Int64, _ metric: TierMetric) -> String {
        metric == .amount ? Money.display(x) : "\(x) 笔"
    }

    /// The ladder as a small table (`tiers show`, `tiers draft`); discounts in the domain's words
    /// (discountText: "9.5折" / "95% of price") beside the per-mille.
    static func printLadder(_ ladder: TierLadder, counts: [Int]?, _ language: MessageLanguage) {
        let words = CLIMessages(language)
        print(words.ladderMetric(amount: ladder.metric == .amount)
              + (ladder.distributorFloor.map { words.distributorFloor($0, discountText($0, language)) } ?? ""))
        for t in ladder.levels {
            var cells: [(String, Int)] = [("\(t.level)", 2), (t.name, 12), (t.enabled ? "on" : "off", 4),
                                          (threshold(t.threshold, ladder.metric), -12), (discountText(t.discount, language), -12), ("\(t.discount)‰", -6)]
            if let counts { cells.append((words.tierMembers(counts[t.level]), -16)) }
            print(TextColumns.row(cells))
        }
    }

    static func printReview(_ review: TierPublishReview, _ language: MessageLanguage) {
        let zh = language == .zh
        if !review.blocking.isEmpty {
            print(zh ? "不能发布（\(review.blocking.count)）：" : "blocks publishing (\(review.blocking.count)):")
            for v in review.blocking { print("  ✗ \(v.message(language))") }
        }
        if !review.warnings.isEmpty {
            print(zh ? "发布需再次确认：" : "needs a second confirmation to publish:")
            for v in review.warnings { print("  ! \(v.message(language))") }
        }
        if review.blocking.isEmpty && review.warnings.isEmpty { print(zh ? "检查通过，可以发布" : "no problems: can be published") }
    }

    static func printChanges(_ changes: [TierChange], _ language: MessageLanguage) {
        let zh = language == .zh
        if changes.isEmpty { print(zh ? "与生效的等级相同" : "same as live"); return }
        print(zh ? "改动：" : "changes:")
        for c in changes {
            let tier = c.level.map { zh ? "\(c.tierName ?? "")（\($0)级）" : "\(c.tierName ?? "") (level \($0))" } ?? (zh ? "全局" : "ladder")
            print("  \(tier) \(field(c.field, zh)): \(value(c.from, zh)) → \(value(c.to, zh))")
        }
    }
}

/// A violation for `--json` output.
struct ViolationJSON: Encodable {
    var code: String
    var severity: String
    var level: Int?
    var field: String
    var value: String?
    var message: String

    init(_ v: TierViolation, _ language: MessageLanguage) {
        code = v.code; severity = v.severity.rawValue; level = v.tier?.level; field = v.field.rawValue
        value = TierText.raw(v.value); message = v.message(language)
    }
}
