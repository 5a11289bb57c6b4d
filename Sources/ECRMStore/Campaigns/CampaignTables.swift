import GRDB

/// The campaign tables (migration `v12-campaigns`). A campaign row and its members never change
/// after creation, except `status`/`closed_*` and the tag (which `ecrm tags` may rename or delete).
enum CampaignTables {
    static let schema = """
        CREATE TABLE campaign (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            target TEXT NOT NULL,          -- the member sets, JSON (all of them hold)
            target_text TEXT NOT NULL,     -- the same for people
            holdout_bp INTEGER NOT NULL,   -- holdout share in basis points
            seed INTEGER NOT NULL,         -- UInt64 bit pattern
            start_day TEXT NOT NULL,       -- YYYY-MM-DD
            window_days INTEGER NOT NULL,
            target_size INTEGER NOT NULL,
            control_size INTEGER NOT NULL,
            base_rate REAL,                -- measured repurchase rate at creation (NULL = undefined)
            -- The treatment tag; survives a rename, NULL once the tag is deleted.
            tag_id INTEGER REFERENCES tag(id) ON DELETE SET NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'closed'),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            closed_at TEXT,
            closed_by TEXT
        );
        -- The frozen target. No foreign key to member on purpose: a merge that deletes a member
        -- must not be blocked by a campaign, and the campaign keeps its group sizes.
        CREATE TABLE campaign_member (
            campaign_id INTEGER NOT NULL REFERENCES campaign(id),
            member_id INTEGER NOT NULL,
            treatment INTEGER NOT NULL,    -- 1 treatment, 0 control
            PRIMARY KEY (campaign_id, member_id)
        ) WITHOUT ROWID;
        -- Last computed headline per campaign, so the list opens without recomputing outcomes.
        CREATE TABLE campaign_headline (
            campaign_id INTEGER PRIMARY KEY REFERENCES campaign(id),
            computed_at TEXT NOT NULL,
            uplift REAL NOT NULL,
            p_value REAL NOT NULL
        );
        """
}
