import TerminalKit
import ECRMDomain

/// The ONE key-binding table: dispatch (`resolve`), the hint bar and the `?` help overlay are all
/// generated from it, so they cannot disagree (also after `[keys]` rebinding in config.toml).
/// Binding names match TerminalKit's standard names so config files stay portable.
enum KeyTable {

    static func make(labels: Labels, role: OperatorRole) -> KeyMap<ConsoleAction> {
        typealias B = KeyBinding<ConsoleAction>
        let words = labels.keyWords
        func b(_ name: String, _ action: ConsoleAction, _ keys: [String], _ context: String,
               disabled: (() -> String?)? = nil) -> B {
            let (desc, hint) = words[name] ?? (name, nil)
            return B(name, action, keys, desc, hint: hint, context: context, disabledReason: disabled)
        }
        let refuse: (OperatorAction) -> (() -> String?) = { action in
            { role.refusal(for: action).map { labels.refusal($0) } }
        }
        return KeyMap([
            // Card first so its hints lead the bar there.
            b("reveal_phone", .revealPhone, ["p"], "card", disabled: refuse(.revealPhone)),
            b("add_tag", .addTag, ["t"], "card", disabled: refuse(.tag)),
            b("remove_tag", .removeTag, ["T"], "card", disabled: refuse(.tag)),
            b("add_note", .addNote, ["a"], "card", disabled: refuse(.note)),
            b("next_card", .std(.nextMatch), ["n"], "card"),
            b("prev_card", .std(.prevMatch), ["N"], "card"),
            b("link_identity", .linkIdentity, ["L"], "card"),
            b("unlink_identity", .unlinkIdentity, ["U"], "card"),
            // Member lists.
            b("search", .std(.search), ["/"], "members"),
            b("sort", .sort, ["s"], "members"),
            // Member lists' channel keys, in a help section of their own after the list's others.
            b("channel_filter", .cycleChannel, ["c"], "member_channels"),
            b("channels_view", .channelsView, ["v"], "member_channels"),
            b("next_match", .std(.nextMatch), ["n"], "members"),
            b("prev_match", .std(.prevMatch), ["N"], "members"),
            // Duplicate candidates from the Members pane; anyone looks, the owner merges or dismisses.
            b("duplicates", .merge(.openDuplicates), ["D"], "members"),
            b("merge_pair", .merge(.merge), ["m"], "duplicate_pair", disabled: refuse(.mergeMembers)),
            b("swap_pair", .merge(.swap), ["s"], "duplicate_pair"),
            b("dismiss_pair", .merge(.dismiss), ["d"], "duplicate_pair", disabled: refuse(.dismissDuplicate)),
            // Tiers pane.
            b("edit_tiers", .editTiers, ["e"], "tiers", disabled: refuse(.editTiers)),
            b("preview_tiers", .previewTiers, ["p"], "tiers"),
            b("tier_history", .tierHistory, ["v"], "tiers"),
            // Tier edit mode (Enter edits the field under the cursor; Tab/←/→ move between fields).
            b("tier_edit_field", .tierEditField, ["Enter"], "tier_edit", disabled: refuse(.editTiers)),
            b("tier_next_field", .tierNextField, ["Tab", "Right", "l"], "tier_edit"),
            b("tier_prev_field", .tierPrevField, ["S-Tab", "Left", "h"], "tier_edit"),
            // Publish preview.
            b("publish_tiers", .publishTiers, ["P"], "tier_preview", disabled: refuse(.publishTiers)),
            // Segments pane: cursor across lifecycle groups and grid cells, RFM controls, views.
            b("seg_left", .seg(.left), ["Left"], "segments"),
            b("seg_right", .seg(.right), ["Right"], "segments"),
            b("rfm_window", .seg(.cycleWindow), ["w"], "segments"),
            b("rfm_as_of", .seg(.setAsOf), ["d"], "segments"),
            b("rfm_mode", .seg(.toggleMode), ["m"], "segments", disabled: refuse(.customRFMEdges)),
            b("edit_edges", .seg(.editEdges), ["e"], "segments", disabled: refuse(.customRFMEdges)),
            b("birthdays", .seg(.birthdays), ["b"], "segments"),
            b("shop_health", .seg(.health), ["h"], "segments"),
            b("reopen_edges", .seg(.editEdges), ["e"], "edges"),
            // Tags pane.
            b("new_tag", .seg(.newTag), ["n"], "tags", disabled: refuse(.tag)),
            b("rename_tag", .seg(.renameTag), ["r"], "tags", disabled: refuse(.renameTag)),
            b("delete_tag", .seg(.deleteTag), ["D"], "tags", disabled: refuse(.deleteTag)),
            b("mark_tag", .seg(.markTag), ["Space"], "tags"),
            b("tags_all", .seg(.tagsAll), ["a"], "tags"),
            b("tags_any", .seg(.tagsAny), ["o"], "tags"),
            b("undo_bulk_tags", .seg(.undoBulk), ["u"], "tags", disabled: refuse(.tag)),
            // Any member list (store, drill-down, search, birthdays): bulk tag, export, undo the last bulk tag.
            b("bulk_tag", .seg(.bulkTag), ["B"], "member_set", disabled: refuse(.tag)),
            b("export_list", .seg(.exportList), ["x"], "member_set", disabled: refuse(.export)),
            b("undo_bulk", .seg(.undoBulk), ["u"], "member_set", disabled: refuse(.tag)),
            // Campaigns pane; `C` on any member list creates a campaign on it.
            b("new_campaign", .campaign(.create), ["C"], "member_set", disabled: refuse(.manageCampaigns)),
            b("open_campaign", .std(.open), ["Enter"], "campaigns"),
            b("close_campaign", .campaign(.close), ["c"], "campaigns", disabled: refuse(.manageCampaigns)),
            b("treatment_responders", .campaign(.treatmentResponders), ["r"], "campaign"),
            b("control_responders", .campaign(.controlResponders), ["R"], "campaign"),
            b("close_this_campaign", .campaign(.close), ["c"], "campaign", disabled: refuse(.manageCampaigns)),
            b("export_send_list", .campaign(.exportSendList), ["x"], "campaign", disabled: refuse(.export)),
            // Yes/no dialogs.
            b("confirm_yes", .seg(.confirm), ["y", "Y", "Enter"], "confirm"),
            b("confirm_no", .std(.cancel), ["n", "N"], "confirm"),
            // Any scrollable view (lists and the card).
            b("move_down", .std(.moveDown), ["j", "Down"], "scroll"),
            b("move_up", .std(.moveUp), ["k", "Up"], "scroll"),
            b("page_down", .std(.pageDown), ["PgDn", "Space"], "scroll"),
            b("page_up", .std(.pageUp), ["PgUp"], "scroll"),
            b("half_page_down", .std(.halfPageDown), ["C-d"], "scroll"),
            b("half_page_up", .std(.halfPageUp), ["C-u"], "scroll"),
            b("top", .std(.top), ["g", "Home"], "scroll"),
            b("bottom", .std(.bottom), ["G", "End"], "scroll"),
            // Lists.
            b("open", .std(.open), ["Enter"], "list"),
            // The audit log holds no members: its `/` filters the entries (before the global search).
            b("audit_filter", .std(.search), ["/"], "audit"),
            // Everywhere.
            b("next_pane", .std(.nextPane), ["Tab"], "global"),
            b("prev_pane", .std(.prevPane), ["S-Tab"], "global"),
            b("pane_1", .std(.pane1), ["1"], "global"),
            b("pane_2", .std(.pane2), ["2"], "global"),
            b("pane_3", .std(.pane3), ["3"], "global"),
            b("pane_4", .std(.pane4), ["4"], "global"),
            b("pane_5", .pane5, ["5"], "global"),
            b("pane_6", .pane6, ["6"], "global"),
            b("help", .std(.help), ["?"], "global"),
            b("back", .std(.back), ["q"], "global"),
            b("quit", .std(.quit), ["Q", "C-c"], "global"),
            b("command", .std(.command), [":"], "global"),
            // `/` searches members from any pane (a member list's own `/` above comes first).
            b("search_anywhere", .std(.search), ["/"], "global"),
            b("redraw", .std(.redraw), ["C-l"], "global"),
            b("reload", .reload, ["C-r"], "global"),
            b("cancel", .std(.cancel), ["Esc", "C-g"], "global"),
        ])
    }
}

extension Labels {
    /// Every group's key descriptions (binding name → help text, hint label); the shared table wins.
    /// A new group of views adds its `keys` here, not to the key table.
    var keyWords: [String: (String, String?)] {
        [keys, camp.keys, ident.keys, merge.keys, chan.keys].reduce([:]) { $0.merging($1) { a, _ in a } }
    }

    /// Every group's help-overlay context titles; the shared table wins.
    var allContextTitles: [String: String] {
        [contextTitles, ident.contextTitles, merge.contextTitles].reduce([:]) { $0.merging($1) { a, _ in a } }
    }
}
