import ECRMDomain

/// The command line's own failure lines (bad arguments, missing files, refusals it decides itself)
/// in the operator's language: `--lang zh|en`, else LANG (TierLanguageOption.commandLineLanguage),
/// as the store's messages (StoreMessages) and an import's row reasons (ImportMessages) follow it.
/// Values people type (option names, file paths, keys) stay as they are in both languages.
struct CLIMessages: Sendable {
    let zh: Bool
    init(_ language: MessageLanguage) { zh = language == .zh }

    /// The language this run was asked for.
    static var now: CLIMessages { CLIMessages(TierLanguageOption.commandLineLanguage) }

    func t(_ zh: String, _ en: String) -> String { self.zh ? zh : en }

    /// A count as people read it in both languages: thousands grouped (2,000).
    func count(_ n: Int) -> String { CampaignFormat.grouped(n) }

    // MARK: store and common options

    func dbIsDirectory(_ path: String, _ example: String) -> String {
        t("--db 指向的是目录，不是店铺文件：\(path)（例如 \(example)）", "--db names a directory, not a store file: \(path) (e.g. \(example))")
    }
    func readOnlyStore(_ path: String, _ reason: String) -> String {
        t("\(path) 对你是只读的：只查询，不做任何修改（\(reason)）", "\(path) is read-only for you: answering from it without changing it (\(reason))")
    }
    func badDate(_ option: String, _ value: String) -> String {
        t("\(option) 须为日期 YYYY-MM-DD，而不是“\(value)”", "\(option) must be a date YYYY-MM-DD, not '\(value)'")
    }
    func badWindow(_ value: String) -> String {
        t("--window 须为天数或 all，而不是“\(value)”", "--window must be a number of days or 'all', not '\(value)'")
    }
    func badLanguage(_ value: String) -> String { t("--lang 须为 zh 或 en，而不是“\(value)”", "--lang must be zh or en, not '\(value)'") }
    func unknownChannel(_ value: String, _ keys: String) -> String {
        t("未知渠道“\(value)”：请用 \(keys) 之一", "unknown channel '\(value)': use one of \(keys)")
    }
    func unknownSegment(_ value: String, _ list: String) -> String { t("未知分层“\(value)”：可选 \(list)", "unknown segment '\(value)': one of \(list)") }
    func unknownLifecycle(_ value: String, _ list: String) -> String {
        t("未知生命周期“\(value)”：可选 \(list)", "unknown lifecycle '\(value)': one of \(list)")
    }
    func unknownEncoding(_ value: String, _ choices: String) -> String {
        t("未知编码“\(value)”：请用 \(choices)", "unknown encoding '\(value)': use \(choices)")
    }
    var gridForm: String { t("--grid 须为 R,F，例如 5,1", "--grid must be R,F, e.g. 5,1") }
    var tierRange: String { t("--tier 须为 0 到 4", "--tier must be 0 to 4") }
    func unknownHeaders(_ value: String) -> String { t("未知的 --headers“\(value)”：请用 en 或 zh", "unknown --headers '\(value)': use en or zh") }
    var notATerminal: String { t("标准输入不是终端：确认请加 --yes", "stdin is not a terminal: pass --yes to confirm") }
    var notConfirmed: String { t("未做任何修改：没有确认", "nothing changed: not confirmed") }

    // MARK: import

    var importWhat: String { t("导入什么？请写 `members 文件` 或 `orders 文件`", "import what? say `members FILE` or `orders FILE`") }
    func importWhatNot(_ word: String) -> String {
        t("导入什么？请写 `members` 或 `orders`（前面可加渠道名，如 jd），而不是“\(word)”", "import what? say `members` or `orders` (after a channel's name such as jd, if you like), not '\(word)'")
    }
    func channelNeedsFile(_ word: String) -> String {
        t("渠道 `\(word)` 后面要跟 `members 文件` 或 `orders 文件`", "channel `\(word)` needs `members FILE` or `orders FILE` after it")
    }
    func needsFile(_ word: String) -> String { t("`\(word)` 后面要跟一个 CSV 文件", "`\(word)` needs a CSV file after it") }
    func noSuchFile(_ path: String) -> String { t("没有这个文件：\(path)", "no such file: \(path)") }
    func noProfileConfig(_ profile: String) -> String {
        t("没有含 [profiles.\(profile)] 的配置文件（写在 ~/.config/ecrm/config.toml）",
          "no config file with [profiles.\(profile)] (write it in ~/.config/ecrm/config.toml)")
    }
    func profileMissing(_ path: String, _ profile: String) -> String {
        t("配置文件 \(path) 中没有 [profiles.\(profile)]", "config \(path) has no [profiles.\(profile)]")
    }
    var profileIsForOrders: String { t("--profile 只用于订单文件", "--profile is for orders files") }

    // MARK: members, search, identities

    func noMember(_ key: String) -> String { t("没有会员“\(key)”（试试 `ecrm search \(key)`）", "no member '\(key)' (try `ecrm search \(key)`)") }
    func manyMatch(_ count: String, _ key: String) -> String {
        t("有 \(count) 名会员匹配“\(key)”；请用买家 ID 指定一名：", "\(count) members match '\(key)'; show one by its buyer id:")
    }

    // MARK: tags

    var ruleOrClear: String { t("请给出规则 JSON 或 --clear", "give a rule JSON or --clear") }
    var atLeastOneTag: String { t("至少给出一个标签", "give at least one tag") }
    var cityNeedsProvince: String { t("--city 需要同时给 --province", "--city needs --province") }
    var tagsAllOrAny: String { t("--tags 需要 --all 或 --any 其中之一", "--tags needs exactly one of --all or --any") }
    var allAnyWithTags: String { t("--all/--any 要和 --tags 一起用", "--all/--any go with --tags") }
    var sayWhichMembersTags: String {
        t("请说明哪些会员：--segment、--lifecycle、--tier、--province、--channel、--grid 或 --tags",
          "say which members: --segment, --lifecycle, --tier, --province, --channel, --grid or --tags")
    }
    var onlyOneGroup: String { t("只能给一组会员", "give only one group of members") }

    // MARK: campaigns

    var tagsNames: String { t("--tags 须写出标签名，例如 --tags 老客,复购", "--tags must name tags, e.g. --tags 老客,复购") }
    var anyWithTags: String { t("--any 要和 --tags A,B 一起用", "--any goes with --tags A,B") }
    var cityWithProvince: String { t("--city 要和 --province 一起用", "--city goes with --province") }
    var sayWhichMembersCampaign: String {
        t("请说明哪些会员：--segment、--lifecycle、--grid、--tag、--tags、--tier、--province、--channel 或 --list",
          "say which members: --segment, --lifecycle, --grid, --tag, --tags, --tier, --province, --channel or --list")
    }
    func badHoldout(_ value: String) -> String {
        t("--holdout 须为百分比，如 10 或 12.5，而不是“\(value)”", "--holdout must be a percent such as 10 or 12.5, not '\(value)'")
    }
    func badCampaignWindow(_ max: Int, _ value: String) -> String {
        t("--window 须为天数（1 到 \(max)），而不是“\(value)”", "--window must be a number of days (1 to \(max)), not '\(value)'")
    }
    func badSeed(_ max: UInt64, _ value: String) -> String {
        t("--seed 须为 0 到 \(max) 的整数，而不是“\(value)”", "--seed must be a whole number from 0 to \(max), not '\(value)'")
    }
    func badGroup(_ value: String) -> String {
        t("--group 须为 treatment 或 control，而不是“\(value)”", "--group must be treatment or control, not '\(value)'")
    }
    func smallUplift(_ points: String) -> String {
        t("提醒：这个活动只能检测出 \(points) 或更大的提升（高于 5 个百分点）：请扩大目标人群或提高对照比例",
          "warning: this campaign can only detect an uplift of \(points) or more (above 5 pt): widen the target or raise the holdout")
    }

    // MARK: tiers

    var levelNeeded: String {
        t("--name、--threshold、--discount、--enable 和 --disable 需要 --level N", "--name, --threshold, --discount, --enable and --disable need --level N")
    }
    func badMetric(_ value: String) -> String { t("--metric 须为 amount 或 count，而不是“\(value)”", "--metric must be amount or count, not '\(value)'") }
    var floorAndNoFloor: String { t("--floor 和 --no-floor 不能同时使用", "--floor and --no-floor cannot be used together") }
    func badThresholdAmount(_ value: String) -> String {
        t("--threshold 须为元金额（最多两位小数），而不是“\(value)”", "--threshold must be an amount in yuan (up to 2 decimals), not '\(value)'")
    }
    func badThresholdCount(_ value: String) -> String {
        t("--threshold 须为订单数，而不是“\(value)”", "--threshold must be a number of orders, not '\(value)'")
    }

    // MARK: health, demo, setup

    var daysRange: String { t("--days 须为 1 到 366", "--days must be 1 to 366") }
    func demoOnShared(_ path: String) -> String {
        t("演示店铺不能替换共享店铺 \(path)；请用 --db PATH 建一个自己的演示店铺",
          "demo cannot replace the shared store \(path); pass --db PATH for a demo of your own")
    }
    func demoExists(_ path: String) -> String {
        t("\(path) 已存在；要用演示店铺替换它请加 --force", "\(path) already exists; pass --force to replace it with a demo shop")
    }
    var membersAtLeastOne: String { t("--members 至少为 1", "--members must be at least 1") }
    var setupAsRoot: String {
        t("`ecrm setup shared` 设置的是整台机器：请以 root 运行（sudo ecrm setup shared --owner USER）",
          "`ecrm setup shared` sets up the machine: run it as root (sudo ecrm setup shared --owner USER)")
    }
    var setupOwner: String { t("店铺归谁？请加 --owner USER（一个系统用户，不是 root）", "who owns the shop? pass --owner USER (an OS user, not root)") }
    func noOSUser(_ user: String) -> String { t("没有系统用户“\(user)”：请先创建（useradd \(user)）", "no OS user '\(user)': create it first (useradd \(user))") }
}
