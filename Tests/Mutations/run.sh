#!/usr/bin/env bash
# Mutation check: breaks one product rule at a time in a scratch copy of the tree, runs the tests
# that guard it, and reports the mutants the tests let through ("survivors").
#
#   Tests/Mutations/run.sh              every mutation
#   Tests/Mutations/run.sh tier mask    only mutations whose id contains one of the words
#   Tests/Mutations/run.sh --list       the mutations and the tests each runs
#   Tests/Mutations/run.sh --check      only check that every snippet is still in the sources
#
# The scratch copy (ECRM_MUT_DIR, default /tmp/ecrm-mut) keeps its .build between runs and between
# mutations, so each mutation is an incremental rebuild. Each mutation replaces one exact snippet
# that must occur exactly once in its file: if it does not (the source moved on), the script stops
# with an error instead of silently testing an unchanged program. Exit status: 0 when every mutant
# was killed, 1 when some survived, 2 on a setup error.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCRATCH=${ECRM_MUT_DIR:-/tmp/ecrm-mut}
exec python3 - "$ROOT" "$SCRATCH" "$@" <<'PY'
import os, re, shutil, subprocess, sys, time

root, scratch, args = sys.argv[1], sys.argv[2], sys.argv[3:]

# Test filters (swift test --filter regexes over "Target.Suite/test").
BOUND  = r"ECRMStoreTests\.BoundaryTests/"
CLI    = r"EndToEndTests\.CommandsCLITests/"
DOMAIN = r"ECRMDomainTests\."
TIERS  = r"ECRMStoreTests\.(TierPublishStoreTests|TierMemberAdminTests|BoundaryTests)/|ECRMDomainTests\."
CSV    = r"CSVStreamTests\.|ECRMStoreTests\.ExportTests/"

# Filters several mutations share.
LINEITEMS = r"ECRMStoreTests\.LineItemImportTests/"
CHANNEL_VIEW = r"ECRMStoreTests\.(ChannelOverviewTests|ChannelViewTests)/"
PROFILES = r"ECRMStoreTests\.ImportProfileTests/"
CAMPAIGN_STATS = r"ECRMDomainTests\.CampaignStatsTests/"
CHANNELS_TOGETHER = r"ECRMStoreTests\.ImportChannelsTogetherTests/"
STALE = r"ECRMStoreTests\.SearchExtraStaleTests/"
SETTLED = r"ECRMStoreTests\.(SearchExtraSettledTests|SearchExtraStaleTests|SearchExtraTests)/"
EARLY = r"ECRMStoreTests\.(EarlyExtraTests|EarlyExtraPredictionTests)/"
HANDLES = r"ECRMStoreTests\.(StoreHandlesTests|HandleSetCollisionTests)/"
APPEND = r"ECRMStoreTests\.(AppendKeyTests|AppendKeyLoadTests)/"
EXTRA_RANKS = r"ECRMStoreTests\.ExtraRanksTests/"
LISTS = r"ECRMStoreTests\.ListOrdersTests/"

def any_of(*fs): return "|".join(fs)

# (id, file, snippet, replacement, tests). Each breaks one rule of PRODUCT.md.
M = [
    # Lifecycle: the domain's one rule (Lifecycle.of), and shop health's use of it at the start day.
    ("lifecycle-new-30", "Sources/ECRMDomain/Segment.swift",
     "if daysSinceFirst <= windows.newDays { return .new }", "if daysSinceFirst < windows.newDays { return .new }", any_of(DOMAIN, BOUND)),
    ("lifecycle-active-90", "Sources/ECRMDomain/Segment.swift",
     "if r <= windows.activeDays { return .active }", "if r < windows.activeDays { return .active }", any_of(DOMAIN, BOUND)),
    ("lifecycle-sleeping-180", "Sources/ECRMDomain/Segment.swift",
     "if r <= windows.sleepingDays { return .sleeping }", "if r < windows.sleepingDays { return .sleeping }", any_of(DOMAIN, BOUND)),
    ("health-stage-at-start-day", "Sources/ECRMStore/Health/HealthTally.swift",
     "daysSinceLast: Int(reactivationStart - lastBeforeStart)", "daysSinceLast: Int(reactivationStart - lastBeforeStart) - 1", BOUND),
    ("health-sleeping-counts", "Sources/ECRMStore/Health/HealthTally.swift",
     "if stage == .sleeping || stage == .lost {", "if stage == .lost {", BOUND),
    # RFM.
    ("rfm-recency-same-day-0", "Sources/ECRMDomain/RFMMeasure.swift",
     "recencyDays: Int(asOf - last),", "recencyDays: Int(asOf - last) + 1,", any_of(DOMAIN, BOUND)),
    ("rfm-orders-after-as-of", "Sources/ECRMDomain/RFMMeasure.swift",
     "guard day <= asOf else { return }", "guard day <= asOf + 1 else { return }", any_of(DOMAIN, BOUND)),
    ("rfm-quintile-rule", "Sources/ECRMDomain/RFMScoring.swift",
     "if v > e2 { score += 1 }", "if v >= e2 { score += 1 }", any_of(DOMAIN, BOUND)),
    ("rfm-recent-ranks-higher", "Sources/ECRMDomain/RFMScoring.swift",
     "assignQuintiles(scored.map { -Int64(measures[$0].recencyDays ?? 0) }", "assignQuintiles(scored.map { Int64(measures[$0].recencyDays ?? 0) }", any_of(DOMAIN, BOUND)),
    ("rfm-high-if-r-at-mean", "Sources/ECRMDomain/RFMScoring.swift",
     "rHigh: Int64(r[i]) * n >= sumR", "rHigh: Int64(r[i]) * n > sumR", BOUND + r"|ECRMConsoleTests\.BoundaryConsoleTests/"),
    ("rfm-high-if-m-at-mean", "Sources/ECRMDomain/RFMScoring.swift",
     "mHigh: Int64(m[i]) * n >= sumM", "mHigh: Int64(m[i]) * n > sumM", any_of(DOMAIN, BOUND)),
    ("only-paid-orders-count", "Sources/ECRMStore/Import/BulkLoader.swift",
     "let paid = o.status == .paid ?", "let paid = o.status != .unpaid ?", any_of(BOUND, r"ECRMStoreTests\.(ImportTests|RFMEngineTests)/")),
    # Tiers: the ratchet, thresholds, discounts, blacklist.
    ("tier-never-demoted", "Sources/ECRMStore/Tiers/TierUpgrader.swift",
     "WHERE level > tier) AS q", "WHERE level != tier) AS q", TIERS),
    ("tier-threshold-inclusive", "Sources/ECRMStore/Tiers/TierUpgrader.swift",
     "cases += \" WHEN \\(value) >= \\(step.threshold) THEN \\(step.level)\"", "cases += \" WHEN \\(value) > \\(step.threshold) THEN \\(step.level)\"", TIERS),
    ("blacklist-never-upgraded", "Sources/ECRMStore/Tiers/TierUpgrader.swift",
     "WHERE m.status = '\\(MemberStatus.normal.rawValue)')", "WHERE 1)", TIERS),
    ("blacklist-no-discount", "Sources/ECRMDomain/TierMemberRules.swift",
     "guard !blacklisted, isWellFormed(ladder) else { return 1000 }", "guard isWellFormed(ladder) else { return 1000 }", DOMAIN),
    ("discount-strictly-decreasing", "Sources/ECRMDomain/TierRules.swift",
     "} else if let p = previousEnabled, t.discount >= p.discount {", "} else if let p = previousEnabled, t.discount > p.discount {", DOMAIN),
    ("threshold-strictly-increasing", "Sources/ECRMDomain/TierRules.swift",
     "} else if let p = previousEnabled, t.threshold <= p.threshold {", "} else if let p = previousEnabled, t.threshold < p.threshold {", DOMAIN),
    ("published-discount-only-deepens", "Sources/ECRMDomain/TierRules.swift",
     "if now.discount > was.discount {", "if now.discount > was.discount + 10 {", any_of(DOMAIN, r"ECRMStoreTests\.TierPublishStoreTests/")),
    ("manual-lowering-needs-reason", "Sources/ECRMDomain/TierMemberRules.swift",
     "if to < from && why.isEmpty { return .failure(.reasonRequired(from: from, to: to)) }",
     "if to < from && why.isEmpty && to < 0 { return .failure(.reasonRequired(from: from, to: to)) }", TIERS),
    ("tiers-publish-owner-only", "Sources/ECRMStore/Tiers/TierService.swift",
     "try store.write(.publish, .require(.publishTiers)) { db in", "try store.write(.publish, .require(.lookUp)) { db in", TIERS),
    ("clear-export-owner-only-in-role-table", "Sources/ECRMDomain/OperatorRole.swift",
     "case .lookUp, .tag, .note, .revealPhone, .export, .importData, .recomputeRFM: return false",
     "case .lookUp, .tag, .note, .revealPhone, .export, .importData, .recomputeRFM, .clearExport: return false",
     any_of(DOMAIN, CLI)),
    # Export: filters, masking, audit, owner only.
    ("export-cli-lifecycle-filter", "Sources/ecrm/ExportCommand.swift",
     "rule.lifecycles = [lc]", "_ = lc", CLI),
    ("export-cli-tier-filter", "Sources/ecrm/ExportCommand.swift",
     "MemberRule(tiers: tier.map { [$0] }, tagsAny:", "MemberRule(tiers: nil, tagsAny:", CLI),
    ("export-lifecycle-filter", "Sources/ECRMDomain/MemberSet.swift",
     "if let ls = lifecycles, !ls.contains(lifecycle) { return false }", "if let ls = lifecycles, !ls.contains(lifecycle), ls.isEmpty { return false }", BOUND),
    ("export-tier-filter", "Sources/ECRMStore/Browse/MemberSetSQL.swift",
     "if let ts = rule.tiers { q.conditions.append(", "if let ts = rule.tiers, ts.isEmpty { q.conditions.append(", BOUND),
    ("export-masks-phones", "Sources/ECRMStore/Exporter.swift",
     "reveal ? phone : Phone.masked(phone)", "phone", any_of(r"ECRMStoreTests\.ExportTests/", CLI)),
    ("export-clear-is-audited", "Sources/ECRMStore/Exporter.swift",
     "try Audit.record(db, operator: store.operatorName, action: reveal ? \"export.clear\" : \"export\", target: path, before: nil,\n                             after: \"\\(written) members, phones \\(reveal ? \"clear\" : \"masked\")\", reason: nil)",
     "_ = written", any_of(r"ECRMStoreTests\.ExportTests/", CLI)),
    ("export-clear-owner-only", "Sources/ECRMStore/Exporter.swift",
     "let access = Store.Access.require(reveal ? .clearExport : .export)", "let access = Store.Access.require(.export)", any_of(r"ECRMStoreTests\.ExportTests/", CLI)),
    # Phone masking elsewhere; reveal is audited.
    ("phone-mask-rule", "Sources/ECRMDomain/Phone.swift",
     "return String(chars.prefix(3)) + \"****\" + String(chars.suffix(4))", "return String(chars.prefix(7)) + String(chars.suffix(4))", DOMAIN),
    ("card-masks-phone", "Sources/ECRMConsole/Card/CardText.swift",
     "s.maskedPhone.isEmpty ? labels.none : s.maskedPhone)", "s.maskedPhone.isEmpty ? labels.none : s.phone)", r"ECRMConsoleTests\.BoundaryConsoleTests/"),
    # The store masks every phone it returns (search, card, --json); the CLI prints what it gets.
    ("search-masks-phone", "Sources/ECRMStore/MemberQueries.swift",
     "phone: Phone.masked(row[4])", "phone: row[4]", CLI),
    ("reveal-is-audited", "Sources/ECRMStore/Browse/MemberActions.swift",
     "try Audit.record(db, operator: store.operatorName, action: \"phone.reveal\", target: row[0] as String,\n                             before: Phone.masked(phone), after: phone.isEmpty ? \"0 numbers shown\" : \"1 numbers shown\", reason: why)",
     "_ = why", r"ECRMConsoleTests\.(MemberActionsTests|ConsoleBehaviourTests)/"),
    # Operators and roles.
    ("operators-last-owner-guard", "Sources/ECRMStore/Operators.swift",
     "if before == \"owner\", try", "if before == \"nobody\", try", any_of(BOUND, CLI)),
    ("operators-add-audited", "Sources/ECRMStore/Operators.swift",
     "try Audit.record(db, operator: by, action: \"operators.add\", target: user, before: before, after: role, reason: nil)", "_ = before", any_of(BOUND, CLI)),
    ("operators-remove-audited", "Sources/ECRMStore/Operators.swift",
     "try Audit.record(db, operator: by, action: \"operators.remove\", target: user, before: before, after: nil, reason: nil)", "_ = before", any_of(BOUND, CLI)),
    ("cli-operators-add-owner-only", "Sources/ECRMStore/Operators.swift",
     "try write(.operators, .require(.addOperators))", "try write(.operators, .require(.lookUp))", CLI),
    ("cli-operators-remove-owner-only", "Sources/ECRMStore/Operators.swift",
     "try write(.operators, .require(.removeOperators))", "try write(.operators, .require(.lookUp))", CLI),
    ("tag-delete-owner-only", "Sources/ECRMStore/Tags/TagService.swift",
     "return try write(.require(.deleteTag, target: name)) { db in", "return try write(.require(.tag, target: name)) { db in", any_of(r"ECRMStoreTests\.TagServiceTests/", CLI)),
    # One permission check (issue 21): every owner-only store write, through the role table.
    ("tag-restore-owner-only", "Sources/ECRMStore/Tags/TagService.swift",
     "return try write(.require(.restoreTag, target: name)) { db in", "return try write(.require(.tag, target: name)) { db in",
     r"ECRMStoreTests\.StoreAccessTableTests/"),
    ("rfm-custom-edges-owner-only", "Sources/ECRMStore/RFMEngine.swift",
     "try store.write(.rfm, .require(.customRFMEdges)) { db in try saveAudited(db, store, config) }",
     "try store.write(.rfm, .require(.recomputeRFM)) { db in try saveAudited(db, store, config) }",
     r"ECRMStoreTests\.(StoreAccessTableTests|PrivacyAuditTests)/"),
    ("role-table-decides", "Sources/ECRMStore/Access.swift",
     "if let refusal = role.refusal(for: action) {", "if let refusal = role.refusal(for: action), action == .editTiers {",
     r"ECRMStoreTests\.StoreAccessTableTests/"),
    # Tags.
    ("tag-rule-audited", "Sources/ECRMStore/Tags/TagService.swift",
     "try Audit.record(db, operator: store.operatorName, action: \"tag.rule\", target: tagName, before: before, after: checked?.json, reason: nil)", "_ = before", any_of(BOUND, CLI)),
    ("tag-rule-spend-min-inclusive", "Sources/ECRMStore/Browse/MemberSetSQL.swift",
     "\"coalesce(s.paid_sum, 0) >= ?\"", "\"coalesce(s.paid_sum, 0) > ?\"", BOUND),
    ("tag-rule-spend-max-inclusive", "Sources/ECRMStore/Browse/MemberSetSQL.swift",
     "\"coalesce(s.paid_sum, 0) <= ?\"", "\"coalesce(s.paid_sum, 0) < ?\"", BOUND),
    ("tag-rule-orders-min-inclusive", "Sources/ECRMStore/Browse/MemberSetSQL.swift",
     "\"coalesce(s.paid_count, 0) >= ?\"", "\"coalesce(s.paid_count, 0) > ?\"", BOUND),
    ("tag-rule-orders-max-inclusive", "Sources/ECRMStore/Browse/MemberSetSQL.swift",
     "\"coalesce(s.paid_count, 0) <= ?\"", "\"coalesce(s.paid_count, 0) < ?\"", BOUND),
    # Import and CSV.
    ("import-header-nicheng", "Sources/ECRMStore/Import/ImportFormat.swift",
     "nick: header.index(ofAny: [\"nick\", \"昵称\", \"旺旺名\"]),", "nick: header.index(ofAny: [\"nick\", \"旺旺名\"]),", BOUND),
    ("import-header-wangwang", "Sources/ECRMStore/Import/ImportFormat.swift",
     "nick: header.index(ofAny: [\"nick\", \"昵称\", \"旺旺名\"]),", "nick: header.index(ofAny: [\"nick\", \"昵称\"]),", BOUND),
    ("csv-quotes-commas", "Sources/CSVStream/CSVWriter.swift",
     "byte == UInt8(ascii: \",\") || byte == UInt8(ascii: \"\\\"\")", "byte == UInt8(ascii: \"\\\"\")", CSV),
    ("csv-doubles-quotes", "Sources/CSVStream/CSVWriter.swift",
     "if byte == UInt8(ascii: \"\\\"\") { row.append(byte) }", "if byte == 0 { row.append(byte) }", CSV),
    # Channels (PRODUCT.md: Channels): text order numbers, unique within their channel.
    ("order-number-at-most-64", "Sources/ECRMDomain/Channel.swift",
     "if text.count > maxLength {", "if text.count > maxLength + 1 {", r"ECRMDomainTests\.OrderNumberControlTests/|ECRMStoreTests\.OrderNumberTests/"),
    ("order-number-unique-within-channel", "Sources/ECRMStore/Import/BulkLoader.swift",
     "\"SELECT order_id FROM orders WHERE order_no = ?1 AND channel = ?2\"", "\"SELECT order_id FROM orders WHERE order_no = ?1 AND ?2 IS NOT NULL\"",
     r"ECRMStoreTests\.(OrderNumberTests|TextNumberStoreIdentityTests|TextNumberBatchTests)/"),
    ("order-number-leading-zeros-kept", "Sources/ECRMDomain/Channel.swift",
     "guard channel == .taobao, let first = text.utf8.first, first != UInt8(ascii: \"0\"),", "guard channel == .taobao, let first = text.utf8.first, first != 0,",
     r"ECRMStoreTests\.(OrderNumberTests|TextNumberStoreIdentityTests)/"),
    # One member across channels: phone links, candidates, merge and unmerge.
    ("phone-masked-never-links", "Sources/ECRMDomain/Phone.swift",
     "guard !isMasked(raw) else { return nil }", "let raw = String(raw.map { $0 == \"*\" ? \"0\" : $0 })",
     r"ECRMDomainTests\.PhoneLinkKeyTests/|ECRMStoreTests\.IdentityImportTests/"),
    ("phone-of-two-members-never-links", "Sources/ECRMStore/Import/MemberKeys.swift",
     "if found.count == 1, try channels(of: found[0]) & Self.bit(channel) == 0 { return (found[0], [], p) }",
     "if found.count >= 1, try channels(of: found[0]) & Self.bit(channel) == 0 { return (found[0], [], p) }",
     r"ECRMStoreTests\.(IdentityImportTests|PhoneLinkSameChannelTests)/"),
    ("phone-same-channel-never-links", "Sources/ECRMStore/Import/MemberKeys.swift",
     "if found.count == 1, try channels(of: found[0]) & Self.bit(channel) == 0 { return (found[0], [], p) }",
     "if found.count == 1, try channels(of: found[0]) & Self.bit(channel) >= 0 { return (found[0], [], p) }",
     r"ECRMStoreTests\.(IdentityImportTests|PhoneLinkSameChannelTests)/"),
    ("phone-written-in-the-load-links", "Sources/ECRMStore/Import/MemberKeys.swift",
     "if let key { addPhone(key, member) }", "if let key, key == 0 { addPhone(key, member) }",
     CHANNELS_TOGETHER),
    ("phone-replaced-in-the-load-links-no-more", "Sources/ECRMStore/Import/MemberKeys.swift",
     "if !phoneNow.isEmpty { out.removeAll { phoneNow[$0].map { $0 != p } ?? false } }", "",
     CHANNELS_TOGETHER),
    ("phone-masked-overwrite-keeps-the-phone", "Sources/ECRMStore/Import/MemberKeys.swift",
     "if !overwrite || phone.utf8.contains(UInt8(ascii: \"*\")) {", "if !overwrite {",
     CHANNELS_TOGETHER),
    ("dismissed-pair-stays-dismissed", "Sources/ECRMDomain/Merge/DuplicateRules.swift",
     "let pairs = evidence.filter { !dismissed.contains($0.key) }", "let pairs = evidence.filter { _ in dismissed.isEmpty || !dismissed.isEmpty }",
     r"ECRMDomainTests\.DuplicateRulesTests/|ECRMStoreTests\.(DuplicateCandidateStoreTests|MergeStoreTests)/"),
    ("merge-keeps-the-higher-tier", "Sources/ECRMDomain/Merge/MergeRules.swift",
     "let higher = max(keep.tier, other.tier)", "let higher = keep.tier",
     r"ECRMDomainTests\.MergeTierRuleTests/|ECRMStoreTests\.(MergeStoreTests|MergePropertyTests)/"),
    ("unmerge-never-lowers-a-tier", "Sources/ECRMDomain/Merge/MergeRules.swift",
     "public static func unmergedTier(before: Int, mergedNow: Int) -> Int { max(before, mergedNow) }",
     "public static func unmergedTier(before: Int, mergedNow: Int) -> Int { before }",
     r"ECRMDomainTests\.MergeTierRuleTests/|ECRMStoreTests\.(MergeStoreTests|MergePropertyTests)/"),
    ("unmerge-restores-tags", "Sources/ECRMStore/Merge/MergeService.swift",
     "for t in snap.otherTags { try addTag.execute(arguments: [other, t]) }", "for t in snap.otherTags.dropFirst() { try addTag.execute(arguments: [other, t]) }",
     r"ECRMStoreTests\.(MergeStoreTests|MergePropertyTests)/"),
    ("unmerge-restores-orders", "Sources/ECRMStore/Merge/MergeService.swift",
     "for o in orders { try moveOrder.execute(arguments: [other, o]) }", "for o in orders.dropLast() { try moveOrder.execute(arguments: [other, o]) }",
     r"ECRMStoreTests\.(MergeStoreTests|MergePropertyTests)/"),
    ("merge-owner-only", "Sources/ECRMStore/Merge/MergeService.swift",
     ".mergeMembers, target: \"\\(keep) \\(other)\", foreignKeysOff: true) { db in\n            let (k, o) = try pair(db, keep, other)",
     ".tag, target: \"\\(keep) \\(other)\", foreignKeysOff: true) { db in\n            let (k, o) = try pair(db, keep, other)",
     r"ECRMStoreTests\.(MergeStoreTests|StoreAccessTableTests)/"),
    ("candidate-same-name-and-birthday", "Sources/ECRMDomain/Merge/DuplicateRules.swift",
     "guard let n = nameKey(f.name), let b = f.birthday, !b.isEmpty else { return nil }", "guard let n = nameKey(f.name), let b = f.birthday, b.isEmpty else { return nil }",
     r"ECRMDomainTests\.DuplicateRulesTests/|ECRMStoreTests\.DuplicateCandidateStoreTests/"),
    ("unmerged-pair-not-offered-again", "Sources/ECRMStore/Merge/MergeService.swift",
     "VALUES (?, ?, ?, ?, 'unmerge')\n            ON CONFLICT(low, high) DO NOTHING", "SELECT ?, ?, ?, ?, 'unmerge' WHERE 0\n            ON CONFLICT(low, high) DO NOTHING",
     r"ECRMStoreTests\.(DuplicateCandidateStoreTests|MergeStoreTests)/"),
    ("identity-belongs-to-one-member", "Sources/ECRMStore/Identities/Identities.swift",
     "if let ref = try find(db, channel: channel, externalId: externalId) {", "if let ref = try find(db, channel: channel, externalId: externalId), ref.member == m.id {",
     r"ECRMStoreTests\.IdentityLinkTests/"),
    # Campaigns (PRODUCT.md: Campaigns and their effect).
    ("campaign-holdout-is-random", "Sources/ECRMDomain/Campaign/CampaignAssignment.swift",
     "let j = i + bounded(count - i, &rng)", "let j = i + 0 * bounded(count - i, &rng)",
     r"ECRMDomainTests\.CampaignAssignmentTests/|ECRMStoreTests\.CampaignStoreTests/"),
    ("campaign-send-list-is-treatment-only", "Sources/ECRMStore/Campaigns/CampaignService.swift",
     "\"SELECT member_id FROM campaign_member WHERE campaign_id = ? AND treatment = 1\", arguments: [info.id]",
     "\"SELECT member_id FROM campaign_member WHERE campaign_id = ? AND treatment >= 0\", arguments: [info.id]",
     r"ECRMStoreTests\.CampaignStoreTests/"),
    ("campaign-uplift-is-t-minus-c", "Sources/ECRMDomain/Campaign/CampaignStats.swift",
     "uplift = pt - pc", "uplift = pc - pt", CAMPAIGN_STATS),
    ("campaign-uplift-interval-per-group-n", "Sources/ECRMDomain/Campaign/CampaignStats.swift",
     "(pt * (1 - pt) / nt + pc * (1 - pc) / nc)", "(pt * (1 - pt) / nt + pc * (1 - pc) / nt)", r"ECRMDomainTests\.(CampaignStatsTests|CampaignUnequalGroupsTests)/"),
    ("campaign-incremental-revenue-times-nt", "Sources/ECRMDomain/Campaign/CampaignStats.swift",
     "incrementalRevenue = dv * nt", "incrementalRevenue = dv * (nt + nc)", CAMPAIGN_STATS),
    ("campaign-z-test-pooled-per-group-n", "Sources/ECRMDomain/Campaign/CampaignStats.swift",
     "(pooled * (1 - pooled) * (1 / nt + 1 / nc))", "(pooled * (1 - pooled) * (2 / nt))", r"ECRMDomainTests\.(CampaignStatsTests|CampaignUnequalGroupsTests)/"),
    ("campaign-blacklisted-left-out", "Sources/ECRMStore/Campaigns/CampaignTarget.swift",
     "let kept = black.isEmpty ? all : all.filter { !black.contains($0) }", "let kept = black.isEmpty ? all : all.filter { _ in true }",
     r"ECRMStoreTests\.CampaignStoreTests/"),
    ("campaign-outcome-window-end-excluded", "Sources/ECRMStore/Campaigns/CampaignOutcome.swift",
     "if day >= to { break }  // sorted by day", "if day > to { break }  // sorted by day", r"ECRMStoreTests\.CampaignStoreTests/"),
    ("campaign-base-rate-first-before-window", "Sources/ECRMStore/Campaigns/CampaignOutcome.swift",
     "\"SELECT last_paid, paid_days FROM member_stats WHERE first_paid < ?\"", "\"SELECT last_paid, paid_days FROM member_stats WHERE first_paid <= ?\"",
     r"ECRMStoreTests\.(CampaignBaseRateTests|CampaignBaseRateEdgeTests|CampaignStoreTests)/"),
    # The incremental RFM refresh equals a full recompute.
    ("rfm-incremental-members-between-r-edges", "Sources/ECRMStore/RFMIncremental.swift",
     "AND last_paid > ? AND last_paid <= ?\"", "AND last_paid > ? AND last_paid < ?\"",
     r"ECRMStoreTests\.(RFMIncrementalTests|RFMIncrementalRefreshTests)/"),
    ("rfm-incremental-members-between-m-edges", "Sources/ECRMStore/RFMIncremental.swift",
     "AND monetary > ? AND monetary <= ?\"", "AND monetary > ? AND monetary < ?\"",
     r"ECRMStoreTests\.(RFMIncrementalTests|RFMIncrementalRefreshTests)/"),
    ("rfm-distribution-quintile-rank", "Sources/ECRMDomain/RFMDistribution.swift",
     "let t = (k * total + 4) / 5 - 1", "let t = (k * total + 3) / 5 - 1",
     r"ECRMDomainTests\.RFMDistributionTests/|ECRMStoreTests\.RFMIncrementalTests/"),
    # Search merge gives the rebuild's postings.
    ("search-merge-keeps-refreshed-members", "Sources/ECRMStore/Search/SearchMerge.swift",
     "if f & touchedFlag != 0 || nr <= lastKept { oldToNew[r] = -2 - nr }", "if f & touchedFlag != 0 || nr <= lastKept { oldToNew[r] = f & touchedFlag != 0 ? -1 : -2 - nr }",
     r"ECRMStoreTests\.(SearchMergeTests|SearchMergeOutcomeTests)/"),
    # The kept WAL is off while a bulk load runs without it.
    ("kept-wal-off-during-bulk-load", "Sources/ECRMStore/Maintenance.swift",
     "KeptWAL.keep(db, false)", "KeptWAL.keep(db, true)", r"ECRMStoreTests\.KeptWALTests/"),
    ("kept-wal-starts-over-after-checkpoint", "Sources/ECRMStore/KeptWAL.swift",
     "_ = try? db.execute(sql: \"PRAGMA main.user_version = \\(version)\")", "_ = version", r"ECRMStoreTests\.KeptWALTests/"),
    # Line-item layouts (PRODUCT.md: Channels): Shopify and TikTok Shop folded into one order per number.
    ("lineitem-one-order-per-number", "Sources/ECRMStore/Import/LineItemImport.swift",
     "at[number] = folded.count", "at[number] = nil", LINEITEMS),
    ("lineitem-items-summed", "Sources/ECRMStore/Import/LineItemImport.swift",
     "folded[k].row.items += q", "folded[k].row.items += 0 * q", LINEITEMS),
    ("lineitem-first-row-wins", "Sources/ECRMStore/Import/LineItemImport.swift",
     "                return\n            }\n            if let first = rejectedAt[number] {",
     "                if case .success(let later) = firstRow(r, number: number, items: folded[k].row.items, latestPaidDay: latestPaidDay, timeZone: timeZone) { folded[k].row = later }\n                return\n            }\n            if let first = rejectedAt[number] {",
     LINEITEMS),
    ("lineitem-warning-names-both-lines", "Sources/ECRMStore/Import/LineItemImport.swift",
     "firstLine: folded[k].firstLine, first: folded[k].orderLevel[i]))", "firstLine: line, first: folded[k].orderLevel[i]))",
     LINEITEMS),
    ("lineitem-status-words", "Sources/ECRMStore/Import/LineItemImport.swift",
     "case \"refunded\": return .refunded", "case \"refunded\": return .closed", LINEITEMS),
    ("lineitem-tiktok-status-words", "Sources/ECRMStore/Import/LineItemImport.swift",
     "case \"cancelled\", \"canceled\": return .closed", "case \"cancelled\", \"canceled\": return .unpaid", LINEITEMS),
    ("lineitem-partial-refund-kept-amount", "Sources/ECRMStore/Import/LineItemImport.swift",
     "case .success(let back): fen = max(0, fen - back)", "case .success(let back): fen = max(0, fen - 0 * back)", LINEITEMS),
    ("lineitem-offset-to-shop-time", "Sources/ECRMStore/Import/LineItemImport.swift",
     "let utc = wall.stamp - Int64(offset)", "let utc = wall.stamp - 0 * Int64(offset)", LINEITEMS),
    ("lineitem-impossible-offset-rejected", "Sources/ECRMStore/Import/LineItemImport.swift",
     "hh <= 14, mm < 60", "hh <= 99, mm < 60", LINEITEMS),
    # --dry-run writes nothing: the command returns before it opens the store.
    ("dry-run-writes-nothing", "Sources/ecrm/ImportCommand.swift",
     "                return\n            }\n            let s = try store.open(create: true)", "            }\n            let s = try store.open(create: true)",
     r"EndToEndTests\.DryRunCLITests/"),
    ("dry-run-first-five-rows", "Sources/ECRMStore/Import/DryRun.swift",
     "public static let previewRows = 5", "public static let previewRows = 6", r"EndToEndTests\.DryRunCLITests/"),
    ("dry-run-line-items-every-rejected-row", "Sources/ECRMStore/Import/DryRun.swift",
     "report.problems = folded.problems", "report.problems = Array(folded.problems.prefix(1))",
     r"EndToEndTests\.DryRunCLITests/|ECRMStoreTests\.(LineItemImportTests|LineItemDryRunTests)/"),
    # Import profiles: a profile naming a missing header, a field twice or an unknown channel is refused.
    ("profile-missing-header-refused", "Sources/ECRMStore/Import/ImportProfile.swift",
     "guard let i = header.index(of: name) else {", "guard let i = header.index(of: name) ?? Optional(0) else {", PROFILES),
    ("profile-field-twice-refused", "Sources/ECRMStore/Import/ImportProfile.swift",
     "if let other = fieldOf[header] { throw refuse(", "if let other = fieldOf[header], other.isEmpty { throw refuse(", PROFILES),
    ("profile-unknown-channel-refused", "Sources/ECRMStore/Import/ImportProfile.swift",
     "guard let channel = Channel(rawValue: ch) else {", "guard let channel = Channel(rawValue: ch) ?? Optional(Channel.other) else {", PROFILES),
    ("profile-status-words", "Sources/ECRMStore/Import/ImportProfile.swift",
     "c.statusWords = statusWords.isEmpty ? nil : statusWords", "c.statusWords = nil", PROFILES),
    # Exports keep their columns and add `channels` at the end.
    ("export-channels-column-at-end", "Sources/ECRMStore/Exporter.swift",
     "tags.sorted().joined(separator: \"|\"),\n                        Channel.allCases.filter { channels.contains($0.rawValue) }.map(\\.rawValue).joined(separator: \"|\"),",
     "Channel.allCases.filter { channels.contains($0.rawValue) }.map(\\.rawValue).joined(separator: \"|\"),\n                        tags.sorted().joined(separator: \"|\"),",
     r"ECRMStoreTests\.ChannelViewTests/"),
    # The channels view: members per channel, in two or more channels, links in the last 30 days, spend per channel.
    ("channels-members-per-channel", "Sources/ECRMStore/Identities/ChannelOverview.swift",
     "members[taobao] += total - withRows", "members[taobao] += 0 * (total - withRows)", CHANNEL_VIEW),
    ("channels-two-or-more", "Sources/ECRMStore/Identities/ChannelOverview.swift",
     "if mask.nonzeroBitCount >= 2 { multi += 1 }", "if mask.nonzeroBitCount > 2 { multi += 1 }", CHANNEL_VIEW),
    ("channels-links-last-30-days", "Sources/ECRMStore/Identities/ChannelOverview.swift",
     "let since = asOf.adding(days: -(linkWindowDays - 1))", "let since = asOf.adding(days: -linkWindowDays)", CHANNEL_VIEW),
    ("channels-spend-per-channel", "Sources/ECRMStore/Identities/ChannelOverview.swift",
     "spend[taobao] += (r[1] as Fen) - keyedSpend", "spend[taobao] += (r[1] as Fen)", CHANNEL_VIEW),
    ("channels-spend-paid-orders-only", "Sources/ECRMStore/Identities/ChannelOverview.swift",
     "WHERE order_id >= ? AND status = ? GROUP BY 1", "WHERE order_id >= ? AND status >= ? GROUP BY 1", CHANNEL_VIEW),
    # Campaigns: the smallest detectable uplift uses both group sizes; the control is round(share × target), halves up.
    ("campaign-min-detectable-uplift-per-group-n", "Sources/ECRMDomain/Campaign/CampaignStats.swift",
     "(1 / Double(treatment) + 1 / Double(control))).squareRoot()", "(2 / Double(treatment))).squareRoot()", CAMPAIGN_STATS),
    ("campaign-min-detectable-uplift-80-power", "Sources/ECRMDomain/Campaign/CampaignStats.swift",
     "return 2.80 * (p", "return 1.96 * (p", CAMPAIGN_STATS),
    ("campaign-control-halves-rounded-up", "Sources/ECRMDomain/Campaign/CampaignAssignment.swift",
     "(target * holdoutBasisPoints + 5_000) / 10_000", "(target * holdoutBasisPoints + 4_999) / 10_000", r"ECRMDomainTests\.CampaignAssignmentTests/"),
    # Merging a blacklisted member: the survivor is blacklisted, and the preview says so.
    ("merge-blacklisted-survivor-blacklisted", "Sources/ECRMDomain/Merge/MergeRules.swift",
     "let blacklisted = keep.blacklisted || other.blacklisted", "let blacklisted = keep.blacklisted",
     r"ECRMDomainTests\.MergeTierRuleTests/|ECRMStoreTests\.MergeStoreTests/"),
    ("merge-store-writes-survivor-blacklisted", "Sources/ECRMStore/Merge/MergeService.swift",
     "standing.manual ? \"manual\" : \"auto\", standing.blacklisted ? \"blacklist\" : \"normal\", now]",
     "standing.manual ? \"manual\" : \"auto\", \"normal\", now]",
     r"ECRMStoreTests\.(MergeStoreTests|MergePropertyTests)/"),
    ("merge-preview-says-blacklisted", "Sources/ECRMDomain/Merge/MergeRules.swift",
     "blacklistCarried: blacklisted && !(keep.blacklisted && other.blacklisted) )", "blacklistCarried: false)",
     r"ECRMDomainTests\.MergeTierRuleTests/|ECRMStoreTests\.MergeStoreTests/"),
    ("merge-cli-preview-says-blacklisted", "Sources/ecrm/MergeCommands.swift",
     "        if p.blacklistCarried {\n            let who", "        if p.blacklistCarried && p.ordersMoving < 0 {\n            let who",
     r"EndToEndTests\.(MergeCLITests|MergeBlacklistPreviewCLITests)/"),
    ("merge-console-preview-says-blacklisted", "Sources/ECRMConsole/Merge/DuplicatesView.swift",
     "if p.blacklistCarried { lines.append(", "if p.blacklistCarried && p.ordersMoving < 0 { lines.append(",
     r"ECRMConsoleTests\.(DuplicatesPaneTests|DuplicatesBlacklistPreviewTests)/"),
    # Search merge: a member whose text changed loses its old grams, as a rebuild would.
    ("search-merge-drops-changed-texts", "Sources/ECRMStore/Search/SearchMerge.swift",
     "if f & textFlag != 0 || ordinal < 0 { continue }", "if ordinal < 0 { continue }",
     r"ECRMStoreTests\.(SearchMergeTests|SearchMergeOutcomeTests)/"),
    # Stale ranks by rank (v23-search-extra-stale): the extra build writes every superseded main rank
    # and the flag that says the table is whole; a settled search trusts it only with the flag, and
    # checks each main candidate there; whatever empties the set empties both.
    ("search-stale-migration-v23", "Sources/ECRMStore/Schema.swift",
     "try db.execute(sql: SearchExtra.staleSchema)", "_ = SearchExtra.staleSchema", any_of(STALE, r"ECRMStoreTests\.SchemaMigrationTests/")),
    ("search-stale-every-superseded-rank", "Sources/ECRMStore/Search/SearchExtra.swift",
     "        ranks.sort()\n        let insert = try BatchInsert(db, \"INSERT OR FAIL INTO search_extra_stale(rk)\"",
     "        ranks.sort()\n        ranks.removeLast(min(1, ranks.count))\n        let insert = try BatchInsert(db, \"INSERT OR FAIL INTO search_extra_stale(rk)\"", STALE),
    ("search-stale-written-by-the-build", "Sources/ECRMStore/Search/SearchExtra.swift",
     "        try writeStale(db, rankOf: oldRankOf)\n        clock.mark(\"stale ranks\")\n        outcome", "        clock.mark(\"stale ranks\")\n        outcome", STALE),
    ("search-stale-written-by-the-early-build", "Sources/ECRMStore/Search/SearchExtra.swift",
     "            try writeStale(db, rankOf: oldRankOf)\n            clock.mark(\"stale ranks\")", "            clock.mark(\"stale ranks\")", EARLY),
    ("search-stale-trusted-only-with-the-flag", "Sources/ECRMStore/Search/PostingReader.swift",
     "reader.staleByRank = reader.extraSettled && staleWhole", "reader.staleByRank = reader.extraSettled", STALE),
    ("search-stale-main-candidate-checked", "Sources/ECRMStore/Search/PostingReader.swift",
     "WHERE r.rk = ?1 AND NOT EXISTS (SELECT 1 FROM search_extra_stale s WHERE s.rk = ?1)",
     "WHERE r.rk = ?1 AND NOT EXISTS (SELECT 1 FROM search_extra_stale s WHERE s.rk = ?1 AND 0)", STALE),
    ("search-stale-emptied-with-the-set", "Sources/ECRMStore/Search/SearchExtra.swift",
     "if try db.tableExists(\"search_extra_stale\") { try db.execute(sql: \"DELETE FROM search_extra_stale\") }", "_ = 0", STALE),
    ("search-stale-flag-cleared-with-the-set", "Sources/ECRMStore/Search/SearchExtra.swift",
     "'extra_bucket_bits', '\\(staleKey)')", "'extra_bucket_bits')", STALE),
    ("search-stale-emptied-by-the-fold", "Sources/ECRMStore/Search/SearchFold.swift",
     "DELETE FROM main.search_extra_member_chunk; DELETE FROM main.search_extra_stale;", "DELETE FROM main.search_extra_member_chunk;", STALE),
    # The extra set's rank chunks (v24-search-ranks): every ordinal read back from its slot (the last
    # of a chunk, the last partial chunk), a member's ordinal, a chunk left empty deleted, and a
    # store of the release before converted.
    ("extra-ranks-last-slot-of-a-chunk", "Sources/ECRMStore/Search/ExtraRanks.swift",
     "guard (slot + 1) * ExtraRanks.ordBytes <= data.count else { return nil }",
     "guard (slot + 2) * ExtraRanks.ordBytes <= data.count else { return nil }", EXTRA_RANKS),
    ("extra-ranks-last-partial-chunk", "Sources/ECRMStore/Search/ExtraRanks.swift",
     "+ (row[1] as Int64) / Int64(ordBytes)", "+ Int64(ordChunkSize)", EXTRA_RANKS),
    ("extra-ranks-member-slot", "Sources/ECRMStore/Search/ExtraRanks.swift",
     "slots[Int(p.id % size)] = p.ord.littleEndian", "slots[Int(p.id % size) / 2 * 2] = p.ord.littleEndian", EXTRA_RANKS),
    ("extra-ranks-empty-chunk-deleted", "Sources/ECRMStore/Search/MemberRanks.swift",
     "if slots.allSatisfy({ $0 == MemberRanks.none }) {", "if slots.isEmpty {", EXTRA_RANKS),
    ("extra-ranks-migration-v24", "Sources/ECRMStore/Schema.swift",
     "let converted = try ExtraRanks.fillFromRowTables(db)", "let converted = true", EXTRA_RANKS),
    ("extra-ranks-migration-rebuilds-a-gap", "Sources/ECRMStore/Search/ExtraRanks.swift",
     "guard sqlite3_column_int64(rows.handle, 0) == Int64(members.count) else { return false }", "_ = 0", EXTRA_RANKS),
    # A settled extra set (no delta, no unindexed text) reads its members without search_extra_member.
    ("search-settled-reads-the-delta", "Sources/ECRMStore/Search/PostingReader.swift",
     "reader.extraSettled = try !stepRow(d)", "reader.extraSettled = try stepRow(d) || true", SETTLED),
    # HandleSet: the exact set of a channel load's handles (a slot's hash bits confirmed byte for byte).
    ("handle-set-contains-confirms-bytes", "Sources/ECRMStore/Import/HandleSet.swift",
     "if s >> Self.offsetBits == tag && equals(Int(s & Self.offsetMask), b) { return true }", "if s >> Self.offsetBits == tag { return true }", HANDLES),
    ("handle-set-insert-confirms-bytes", "Sources/ECRMStore/Import/HandleSet.swift",
     "if s >> Self.offsetBits == tag && equals(Int(s & Self.offsetMask), b) { return }", "if s >> Self.offsetBits == tag { return }", HANDLES),
    ("handle-set-probes-past-other-handles", "Sources/ECRMStore/Import/HandleSet.swift",
     "            if s == 0 { return false }", "            if s == 0 || s >> Self.offsetBits != tag { return false }", HANDLES),
    ("handle-set-grow-keeps-every-handle", "Sources/ECRMStore/Import/HandleSet.swift",
     "while slots[i] != 0 { i += 1; if i == capacity { i = 0 } }", "_ = 0", HANDLES),
    ("handle-taken-asks-the-set", "Sources/ECRMStore/Import/MemberKeys.swift",
     "if let handles { return handles.contains(text) }", "if let handles { return handles.contains(text) && text.isEmpty }", HANDLES),
    ("handle-given-in-the-load-is-taken", "Sources/ECRMStore/Import/MemberKeys.swift",
     "        if let handles {\n            handles.insert(candidate)\n", "        if let handles {\n            _ = handles\n", HANDLES),
    # AppendKey: NULL only for the table's next key; SQLite's numbers checked after each statement
    # of appended text-numbered orders, the largest key read again after a refused statement.
    ("append-key-null-only-for-the-next-key", "Sources/ECRMStore/AppendKey.swift",
     "if key == largest + 1 {", "if key > largest {", APPEND),
    ("append-key-check-compares", "Sources/ECRMStore/AppendKey.swift",
     "guard stored == expected else {", "guard stored == expected || expected > 0 else {", APPEND),
    ("append-key-text-numbered-queued-checked", "Sources/ECRMStore/Import/BulkLoader.swift",
     "bind(s, numbered: o, key: o.orderId, from: k) }\n        try numberKeys.check()", "bind(s, numbered: o, key: o.orderId, from: k) }", APPEND),
    ("append-key-text-numbered-run-checked", "Sources/ECRMStore/Import/BulkLoader.swift",
     "            try numberKeys.check()\n            for j in start..<end", "            for j in start..<end", APPEND),
    ("append-key-reload-after-a-refused-statement", "Sources/ECRMStore/Import/BulkLoader.swift",
     "stopped: { try numberKeys.reload() }", "stopped: {}", any_of(APPEND, r"ECRMStoreTests\.ImportSafetyTests/")),
    # EarlyExtra: early postings only when they are exactly SearchExtra's extra members in its order,
    # each paired once with its current text.
    ("early-extra-only-in-searchextras-order", "Sources/ECRMStore/Search/SearchExtra.swift",
     "ready.order == extraIds,", "ready.order.count == extraIds.count,", EARLY),
    ("early-extra-not-past-half", "Sources/ECRMStore/Search/SearchExtra.swift",
     "movers.isEmpty, n * 2 <= mainCount, ready.order", "movers.isEmpty, ready.order", EARLY),
    ("early-extra-written-text-not-the-appended", "Sources/ECRMStore/Search/EarlyExtra.swift",
     "guard sources[k] == wanted else { return }", "_ = wanted", EARLY),
    ("early-extra-each-text-once", "Sources/ECRMStore/Search/EarlyExtra.swift",
     "guard counts.total == expected else {", "guard counts.total == expected || true else {", EARLY),
    ("early-extra-loader-pairs-written-texts", "Sources/ECRMStore/Import/BulkLoader.swift",
     "(c < createdIds.count && createdIds[c] < writtenIds[w])", "(c < createdIds.count && createdIds[c] <= writtenIds[w])", EARLY),
    # The member list's orders (v25-list-orders): the tables hold exactly member_stats' keys, kept by
    # triggers for row-by-row writers and by the load's own sorted changes.
    ("list-orders-merged-row-old-key", "Sources/ECRMStore/Derived/MemberStatsUpdater.swift",
     "lists?.removed(member: member, row: row, lastColumn: 2, sumColumn: 3)", "_ = row", LISTS),
    ("list-orders-spend-trigger", "Sources/ECRMStore/Derived/ListOrders.swift",
     "WHEN old.paid_sum != new.paid_sum OR", "WHEN old.paid_sum < new.paid_sum OR", LISTS),
    ("list-orders-healed-by-bulk-loads", "Sources/ECRMStore/Maintenance.swift",
     "        try ListOrders.heal(db)\n", "", LISTS),
]

if args == ["--list"]:
    for m in M: print(f"{m[0]:34} {m[1]}\n{'':34} tests: {m[4]}")
    sys.exit(0)
# Every snippet must be in the checked-out tree exactly once, before anything runs.
for mid, path, old, new, _ in M:
    n = open(os.path.join(root, path), encoding="utf-8").read().count(old)
    if n != 1:
        print(f"mutation {mid}: snippet found {n} times in {path} (expected once); update the script", file=sys.stderr)
        sys.exit(2)
if args == ["--check"]:
    print(f"{len(M)} mutations, every snippet found once"); sys.exit(0)
chosen = [m for m in M if not args or any(a in m[0] for a in args)]
if not chosen: print("no mutation matches", args); sys.exit(2)

def sh(cmd, **kw): return subprocess.run(cmd, cwd=scratch, text=True, capture_output=True, **kw)

# The scratch copy: everything but .build (kept, for incremental builds) is replaced by the tree's
# files, with their modification times, so unchanged files are not recompiled.
os.makedirs(scratch, exist_ok=True)
for name in os.listdir(scratch):
    if name != ".build":
        p = os.path.join(scratch, name)
        shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.remove(p)
for name in os.listdir(root):
    if name in (".build", ".git") or name.startswith(".build"):
        continue
    src, dst = os.path.join(root, name), os.path.join(scratch, name)
    shutil.copytree(src, dst, symlinks=True) if os.path.isdir(src) else shutil.copy2(src, dst)
print(f"scratch copy {scratch}; baseline build", flush=True)
b = sh(["swift", "build", "--build-tests"])
if b.returncode: print(b.stdout[-4000:], b.stderr[-4000:], file=sys.stderr); sys.exit(2)

killed, survived = [], []
for i, (mid, path, old, new, tests) in enumerate(chosen, 1):
    full = os.path.join(scratch, path)
    original = open(full, encoding="utf-8").read()
    assert original.count(old) == 1
    t0 = time.time()
    try:
        open(full, "w", encoding="utf-8").write(original.replace(old, new))
        b = sh(["swift", "build", "--build-tests"])
        if b.returncode:
            print(f"[{i}/{len(chosen)}] {mid}: the mutant does not compile; fix the script", file=sys.stderr)
            print("\n".join(l for l in (b.stdout + b.stderr).splitlines() if "error:" in l)[:3000], file=sys.stderr)
            sys.exit(2)
        t = sh(["swift", "test", "--disable-xctest", "--skip-build", "--filter", tests], timeout=1200)
        out = t.stdout + t.stderr
        ran = re.search(r"Test run with (\d+) test", out)
        if not ran and t.returncode != 0 and "◇ Test run started." in out:
            # The test process died (a trap): the mutant was noticed, though not politely.
            killed.append(mid)
            print(f"[{i}/{len(chosen)}] killed   {mid:34} by a crash of the test process  ({time.time() - t0:.0f}s)", flush=True)
            continue
        if not ran or ran.group(1) == "0":
            print(f"[{i}/{len(chosen)}] {mid}: the filter ran no tests ({tests}); fix the script", file=sys.stderr)
            sys.exit(2)
        # "✘ Test name() failed after …" or, for a test with a display name, "✘ Test "what it checks" failed …".
        failed = sorted(set(re.sub(r"\(.*\)$", "", n) for n in re.findall(r"✘ Test (?!run with)(.+?) (?:with \d+ test cases? )?failed after", out)))
        if t.returncode != 0:
            killed.append(mid)
            print(f"[{i}/{len(chosen)}] killed   {mid:34} by {', '.join(failed) or '(the run failed)'}  ({time.time() - t0:.0f}s)", flush=True)
        else:
            survived.append(mid)
            print(f"[{i}/{len(chosen)}] SURVIVED {mid:34} {path}  ({ran.group(1)} tests passed; {time.time() - t0:.0f}s)", flush=True)
    finally:
        open(full, "w", encoding="utf-8").write(original)

if survived:
    print("\nsurvivors:")
    for s in survived: print("  " + s)
print(f"{len(killed)} killed, {len(survived)} survived")
sys.exit(1 if survived else 0)
PY
