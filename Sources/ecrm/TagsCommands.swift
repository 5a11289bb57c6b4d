import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm tags …`: buyer tags (买家标签), rule tags, and bulk tagging with preview and undo.
struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags", abstract: "Buyer tags (买家标签): list, create, rename, delete, tag members one by one or in bulk, undo.",
        subcommands: [List.self, Create.self, Rule.self, Rename.self, Delete.self, Restore.self, Add.self, Remove.self, Apply.self, Undo.self,
                      Members.self, Evaluate.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tags with member counts (rule tags marked).")
        @OptionGroup var store: StoreOptions
        @Flag(help: "JSON output.") var json = false
        func run() throws {
            try guarded {
                let tags = try TagService(store: try store.open()).list()
                if json { try printJSON(tags); return }
                for t in tags {
                    // The rule goes after the columns: a width-0 column clipped it away, so rule tags looked plain.
                    print(TextColumns.row([(t.name, 22), (CampaignFormat.grouped(t.members), -9)]) + (t.rule.map { CLIMessages.now.tagListRule($0.json) } ?? ""))
                }
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a tag; with --rule (owner) a rule tag whose members follow the rule.",
                                                        discussion: ruleHelp)
        @Argument(help: "Tag name (≤ 20 characters).") var name: String
        @Option(help: "Rule as JSON, e.g. '{\"provinces\":[\"浙江\"],\"spendMin\":\"500\"}'.") var rule: String?
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let parsed = try rule.map(RuleTags.parse)
                let t = try TagService(store: try store.open()).create(name, rule: parsed)
                print(t.isRuleTag ? CLIMessages.now.ruleTagCreated(t.name, t.members) : CLIMessages.now.tagCreated(t.name))
            }
        }
    }

    struct Rule: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rule", abstract: "Set or clear a tag's rule (owner); members are re-evaluated at once.",
                                                        discussion: ruleHelp)
        @Argument var name: String
        @Argument(help: "Rule JSON; omit with --clear.") var rule: String?
        @Flag(help: "Make it a plain tag again (members stay).") var clear = false
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                guard clear != (rule != nil) else { fail(CLIMessages.now.ruleOrClear) }
                let t = try TagService(store: try store.open()).setRule(name, rule: try rule.map(RuleTags.parse))
                print(t.isRuleTag ? CLIMessages.now.ruleSet(t.name, t.members) : CLIMessages.now.nowPlainTag(t.name, t.members))
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a tag (owner).")
        @Argument var old: String
        @Argument var new: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                try TagService(store: try store.open()).rename(old, to: new)
                print(CLIMessages.now.tagRenamed(old, new.trimmingCharacters(in: .whitespaces)))
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a tag from every member (owner).")
        @Argument var name: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let n = try TagService(store: try store.open()).delete(name)
                print(CLIMessages.now.tagDeleted(name, n, days: TagService.trashDays))
            }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restore", abstract: "Bring back a tag deleted in the last 30 days, with its members (owner).")
        @Argument var name: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let n = try TagService(store: try store.open()).restore(name)
                print(CLIMessages.now.tagRestored(name, n))
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Tag one member (buyer id, nick, phone or order number).")
        @Argument var name: String
        @Argument var buyer: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                let id = try resolveMember(s, buyer)
                print(try TagService(store: s).add(name, memberId: id) ? CLIMessages.now.memberTagged(buyer, name) : CLIMessages.now.memberAlreadyHas(buyer, name))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Untag one member.")
        @Argument var name: String
        @Argument var buyer: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                let id = try resolveMember(s, buyer)
                print(try TagService(store: s).remove(name, memberId: id) ? CLIMessages.now.memberUntagged(buyer, name) : CLIMessages.now.memberDoesNotHave(buyer, name))
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "apply",
            abstract: "Tag (or with --untag, untag) a whole group of members; shows the count first. Undo with `ecrm tags undo`.",
            discussion: "Give exactly one group: --segment, --lifecycle, --tier, --province [--city], --grid R,F or --tags A,B with --all or --any. Segment, lifecycle and grid use the last `ecrm rfm`.")
        @Argument var name: String
        @OptionGroup var set: MemberSetOptions
        @Flag(help: "Remove the tag from the group instead.") var untag = false
        @Flag(help: "Do it without asking (needed when stdin is not a terminal).") var yes = false
        @Flag(help: "Create the tag if it does not exist yet (in the same transaction as the tagging).") var create = false
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                let group = try set.memberSet()
                let bulk = BulkTagger(store: s)
                if RFMFreshness.matters(for: group), let w = try RFMFreshness.check(s).warning { printErr(StoreMessages.note(w)) }
                let p = try bulk.preview(name, group)
                let kind: BulkTagger.Kind = untag ? .remove : .add
                print(CLIMessages.now.bulkPreview("\(group)", members: p.members, already: p.alreadyTagged, name: name, untag: untag, changes: p.changes(kind)))
                if p.changes(kind) == 0 { print(CLIMessages.now.nothingToDo); return }
                if !yes {
                    guard isatty(0) == 1 else { fail(CLIMessages.now.notATerminal) }
                    FileHandle.standardError.write(Data(CLIMessages.now.bulkPrompt(untag: untag, p.changes(kind)).utf8))
                    guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased(), answer == "y" || answer == "yes" else {
                        fail(CLIMessages.now.notConfirmed)
                    }
                }
                let a = untag ? try bulk.remove(name, from: group) : try bulk.apply(name, to: group, createIfMissing: create)
                print(CLIMessages.now.bulkDone(untag: untag, a.changed, tag: a.tag, action: a.id))
            }
        }
    }

    struct Undo: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "undo", abstract: "Undo your last bulk tag or untag (exactly the members it changed).")
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let r = try BulkTagger(store: try store.open()).undoLast()
                print(CLIMessages.now.bulkUndone(action: r.action.id, kind: r.action.kind.rawValue, scope: r.action.scope,
                                                 added: r.action.kind == .add, tag: r.action.tag, r.changed))
            }
        }
    }

    struct Members: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "members", abstract: "Members having all (default) or any of the tags, most recent buyers first.")
        @Argument(help: "Tag names.") var names: [String]
        @Flag(help: "Members with any of the tags instead of all.") var any = false
        @Option(help: "At most this many (default 50).") var limit = 50
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                guard !names.isEmpty else { fail(CLIMessages.now.atLeastOneTag) }
                let set = MemberSet.tags(names, any ? .any : .all)
                let pager = try MemberPager(store: s, set: set, pageSize: max(1, limit))
                let (total, rows) = (pager.count, pager.rows(in: 0..<max(1, limit)))
                if json { try printJSON(MembersOut(total: total, members: rows.map(MemberLine.init))); return }
                print(CLIMessages.now.membersWithTags(total, any: any, names, shown: rows.count))
                for m in rows {
                    print(TextColumns.row([(m.buyerId, 14), (m.nick, 18), (Phone.masked(m.phone), 12), (m.province + m.city, 12),
                                           (m.lastPaidAt.map { String($0.prefix(10)) } ?? "-", 10), (Money.display(m.paidSum), -12)]))
                }
            }
        }

        struct MembersOut: Encodable { var total: Int; var members: [MemberLine] }
        struct MemberLine: Encodable {
            var buyerId: String, nick: String, phone: String, province: String, city: String, lastPaidAt: String?, paidSum: String
            init(_ m: MemberSummary) {
                buyerId = m.buyerId; nick = m.nick; phone = Phone.masked(m.phone); province = m.province; city = m.city
                lastPaidAt = m.lastPaidAt; paidSum = Money.yuanString(m.paidSum)
            }
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Re-evaluate every rule tag now (also done after each `ecrm rfm`).")
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let s = try store.open()
                for c in try RuleTags.evaluateAll(s) { print(CLIMessages.now.ruleEvaluated(c.tag, c.members, gained: c.gained, lost: c.lost)) }
            }
        }
    }

    static let ruleHelp = """
        Rule fields (all optional, all given must hold; lists match any value): provinces, cities (prefix match), gender (F/M/U),
        birthdayMonths [1-12], tiers [0-4], lifecycles [new, active, sleeping, lost, none], segments [important_value, …],
        spendMin/spendMax (all-time paid yuan), ordersMin/ordersMax (all-time paid orders).
        Rule tags are computed only: adding or removing members by hand is refused.
        """
}

/// The group a bulk action targets: exactly one of these.
struct MemberSetOptions: ParsableArguments {
    @Option(help: "Segment key, e.g. important_value.") var segment: String?
    @Option(help: "Lifecycle: new, active, sleeping, lost, none.") var lifecycle: String?
    @Option(help: "Tier level 0-4.") var tier: Int?
    @Option(help: "Province (prefix match: 浙江 matches 浙江省).") var province: String?
    @Option(help: "City within --province.") var city: String?
    @Option(help: ArgumentHelp("Members with an identity in this channel: \(Channel.keyList).", valueName: "C")) var channel: String?
    @Option(help: "R×F grid cell as R,F (scores 1-5).") var grid: String?
    @Option(help: "Tags A,B (with --all or --any).") var tags: String?
    @Flag(help: "Members with all of --tags.") var all = false
    @Flag(help: "Members with any of --tags.") var any = false

    func memberSet() throws -> MemberSet {
        var sets: [MemberSet] = []
        if let k = segment {
            guard let s = Segment.named(k) else { fail(CLIMessages.now.unknownSegment(k, Segment.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", "))) }
            sets.append(.segment(s))
        }
        if let l = lifecycle {
            guard let lc = Lifecycle.named(l) else { fail(CLIMessages.now.unknownLifecycle(l, Lifecycle.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", "))) }
            sets.append(.lifecycle(lc))
        }
        if let t = tier { sets.append(.tier(t)) }
        if let p = province { sets.append(.region(province: p, city: city)) } else if city != nil { fail(CLIMessages.now.cityNeedsProvince) }
        if let c = channel {
            guard let ch = Channel(rawValue: c.lowercased()) else { fail(CLIMessages.now.unknownChannel(c, Channel.keyList)) }
            sets.append(.channel(ch))
        }
        if let g = grid {
            let parts = g.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2 else { fail(CLIMessages.now.gridForm) }
            sets.append(.grid(r: parts[0], f: parts[1]))
        }
        if let t = tags {
            guard all != any else { fail(CLIMessages.now.tagsAllOrAny) }
            sets.append(.tags(t.split(separator: ",").map { String($0) }, all ? .all : .any))
        } else if all || any { fail(CLIMessages.now.allAnyWithTags) }
        guard sets.count == 1 else { fail(sets.isEmpty ? CLIMessages.now.sayWhichMembersTags : CLIMessages.now.onlyOneGroup) }
        return sets[0]
    }
}

/// A member by buyer id, nick, phone or order number, or a one-line error.
func resolveMember(_ s: Store, _ key: String) throws -> Int64 {
    guard let id = try MemberQueries.resolve(s, key) else { throw StoreError.notFound("no member '\(key)'") }
    return id
}
