import GRDB
import ECRMDomain

/// Buyer identities per channel (PRODUCT.md: One member across channels), migration v14.
///
/// An identity is `(channel, external id)`: a Taobao nick, a JD account, a Shopify e-mail, an
/// offline card number. Every identity belongs to exactly one member:
/// - **implicit**: a member whose `channel` is NULL has the Taobao identity `buyer_id`. Nothing is
///   stored for it, so the 1M-member Taobao load writes no more per row than before, and every
///   store made before identities keeps its meaning without a row changed;
/// - **stored**: every other identity is a row of `member_identity`, unique by (external_id, channel).
///
/// `member.channel` is the channel of the member's first (home) identity: NULL = Taobao and then
/// `buyer_id` is that identity; otherwise `buyer_id` is only the member's handle (the external id,
/// or `channel:external id` when another member already had that text) and the home identity is
/// the member's row with `how = 'new'`.
///
/// `orders.identity_id` names the member_identity row an order came through; NULL means through
/// its member's implicit Taobao identity. So orders follow their identity when it moves (unmerge).
enum IdentityTables {
    static let schema = """
        ALTER TABLE member ADD COLUMN channel TEXT;
        ALTER TABLE orders ADD COLUMN identity_id INTEGER;
        CREATE TABLE member_identity (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            external_id TEXT NOT NULL,
            member_id INTEGER NOT NULL REFERENCES member(id),
            -- new: the identity the member was created with; phone: linked on import by phone;
            -- manual: `ecrm member link` or the card; merge: moved here by a merge
            how TEXT NOT NULL,
            linked_at TEXT NOT NULL,
            linked_by TEXT NOT NULL
        );
        CREATE UNIQUE INDEX member_identity_key ON member_identity(external_id, channel);
        CREATE INDEX member_identity_member ON member_identity(member_id);
        -- Pairs of members a person should look at (PRODUCT.md: candidates). member_a < member_b.
        CREATE TABLE duplicate_candidate (
            id INTEGER PRIMARY KEY,
            member_a INTEGER NOT NULL,
            member_b INTEGER NOT NULL,
            evidence TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            found_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open' CHECK (state = 'open' OR state = 'dismissed' OR state = 'merged'),
            decided_at TEXT,
            decided_by TEXT,
            UNIQUE (member_a, member_b, evidence)
        );
        """

    /// How an identity came to its member (member_identity.how).
    enum How: String { case new, phone, manual, merge }

    /// The evidence a phone candidate records.
    static let phoneEvidence = "phone"

    /// Records a candidate pair once (a pair already there, in any state, is left as it is: a
    /// dismissed pair does not come back). Returns whether it was new.
    @discardableResult
    static func addCandidate(_ db: Database, _ a: Int64, _ b: Int64, evidence: String, detail: String, at: String) throws -> Bool {
        guard a != b else { return false }
        try db.execute(sql: """
            INSERT INTO duplicate_candidate(member_a, member_b, evidence, detail, found_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(member_a, member_b, evidence) DO NOTHING
            """, arguments: [min(a, b), max(a, b), evidence, detail, at])
        return db.changesCount > 0
    }
}
