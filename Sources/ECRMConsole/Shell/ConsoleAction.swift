import TerminalKit

/// Everything a key can do in the console. Standard moves come from TerminalKit; the rest are
/// the console's own.
public enum ConsoleAction: Hashable, Sendable {
    case std(StandardAction)
    case pane5
    case sort
    case revealPhone, addTag, removeTag, addNote
    case editTiers
    /// Segments, tags, health and bulk-list keys (Segments/SegmentAction.swift).
    case seg(SegmentAction)
    case reload
}
