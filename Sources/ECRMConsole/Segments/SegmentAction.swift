import TerminalKit
import ECRMStore
import ECRMDomain

/// Keys of the segments, tags, health and bulk-list features (wrapped as `ConsoleAction.seg`),
/// kept in one enum so the shared ConsoleAction gains a single case.
public enum SegmentAction: Hashable, Sendable {
    case left, right
    case cycleWindow, setAsOf, toggleMode, editEdges
    case birthdays, health
    case newTag, renameTag, deleteTag, markTag, tagsAll, tagsAny
    case bulkTag, exportList, undoBulk
    case confirm
}

/// Results of the segments/tags background work (wrapped as `ConsoleMessage.segmentsUI`).
public enum SegmentsMessage: Sendable {
    /// A recompute finished; dropped unless `generation` is still the newest request.
    case recomputed(generation: Int, RFMSummary?, error: String?)
    /// A custom-edges preview finished (not stored); newest generation only.
    case edgesPreview(generation: Int, RFMSummary?, error: String?)
    /// Default custom edges (M seeded from the quintiles) for the edges editor.
    case edgesSeeded(CustomEdges)
    /// Tags or their members changed (bulk tag, undo): tag counts are stale.
    case tagsChanged
}
