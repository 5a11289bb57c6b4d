import GRDB

/// A counter that goes up whenever paid histories (`member_stats`) change: every import, order
/// edit or rebuild goes through MemberStatsUpdater, which bumps it in the same transaction. What is
/// computed from the histories (a campaign's headline uplift) remembers the version it saw and is
/// current while the counter has not moved.
enum StatsVersion: SettingCounter {
    static let key = "stats.version"
}
