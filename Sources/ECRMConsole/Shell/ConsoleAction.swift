import TerminalKit

/// Everything a key can do in the console. Standard moves come from TerminalKit; the rest are
/// the console's own.
public enum ConsoleAction: Hashable, Sendable {
    case std(StandardAction)
    case pane5
    /// The Campaigns pane and its keys (Campaigns/CampaignsView.swift).
    case pane6
    case campaign(CampaignAction)
    case sort
    case revealPhone, addTag, removeTag, addNote
    /// The card's identity forms (Identities/).
    case linkIdentity, unlinkIdentity
    /// A member list's channel filter: the next channel (then all again).
    case cycleChannel
    /// The Channels view (members per channel, cross-channel members, recent links, spend).
    case channelsView
    case editTiers
    // Tiers pane: edit mode fields, preview, publish, history.
    case tierEditField, tierNextField, tierPrevField, previewTiers, publishTiers, tierHistory
    /// Segments, tags, health and bulk-list keys (Segments/SegmentAction.swift).
    case seg(SegmentAction)
    /// Duplicate candidates and merging (Merge/DuplicatesView.swift).
    case merge(MergeAction)
    case reload
}
