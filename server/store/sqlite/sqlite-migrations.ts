/**
 * The SQLite schema, as numbered migrations applied once each, in order, at start. Append only: a
 * migration is never edited once released; add a new one instead.
 */
import type { DatabaseSync } from 'node:sqlite';

/**
 * Schema version 2. Memberships reference users with ON DELETE CASCADE, so deleting a technical
 * user removes its membership; groups and memberships go with their organisation.
 */
const ORG_MIGRATION = `
  CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE org_groups (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL COLLATE NOCASE,
    created_at TEXT NOT NULL,
    UNIQUE (org_id, name)
  ) STRICT;
  CREATE TABLE org_members (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX org_members_user ON org_members(user_id);
  CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES org_groups(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX group_members_user ON group_members(user_id);
  CREATE INDEX tokens_owner_scope ON tokens(owner_scope_id) WHERE owner_scope_id IS NOT NULL;
`;

/** Webhooks. The outbox cursor starts at the end of the audit log: no history is replayed. */
const WEBHOOK_MIGRATION = `
  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    description TEXT NOT NULL DEFAULT '',
    secret_sealed BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempt_count INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    claimed_by TEXT,
    claimed_until INTEGER,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, seq);
  CREATE TABLE webhook_attempts (
    delivery_seq INTEGER NOT NULL REFERENCES webhook_deliveries(seq) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    at TEXT NOT NULL,
    status_code INTEGER,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    next_retry_at TEXT,
    PRIMARY KEY (delivery_seq, attempt)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE webhook_notices (
    token_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    ref TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (token_id, kind, threshold, ref)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE webhook_outbox (id INTEGER PRIMARY KEY CHECK (id = 1), audit_seq INTEGER NOT NULL) STRICT;
  INSERT INTO webhook_outbox (id, audit_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM audit;
`;

/**
 * Approval requests, allow-lists, not-before and lifetime policies checked at use: the token's
 * approval state and decision, its address allow-list (space-separated CIDRs, '' = any address),
 * the time its current secret was issued (NULL = created_at), and the organisations whose policies
 * govern it (organisation and group tokens: their organisation; filled in here for existing ones).
 */
const POLICY_MIGRATION = `
  ALTER TABLE tokens ADD COLUMN allowed_ips TEXT NOT NULL DEFAULT '';
  ALTER TABLE tokens ADD COLUMN not_before TEXT;
  ALTER TABLE tokens ADD COLUMN issued_at TEXT;
  ALTER TABLE tokens ADD COLUMN approval_state TEXT CHECK (approval_state IN ('pending', 'approved', 'denied'));
  ALTER TABLE tokens ADD COLUMN approval_justification TEXT;
  ALTER TABLE tokens ADD COLUMN approval_requested_at TEXT;
  ALTER TABLE tokens ADD COLUMN approval_decided_at TEXT;
  ALTER TABLE tokens ADD COLUMN approval_decided_by_id TEXT;
  ALTER TABLE tokens ADD COLUMN approval_decided_by_username TEXT;
  ALTER TABLE tokens ADD COLUMN approval_reason TEXT;
  CREATE INDEX tokens_approval ON tokens(approval_state, approval_requested_at) WHERE approval_state IS NOT NULL;
  CREATE TABLE token_policy_orgs (
    token_id TEXT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (token_id, org_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX token_policy_orgs_org ON token_policy_orgs(org_id);
  INSERT INTO token_policy_orgs (token_id, org_id)
    SELECT t.id, CASE WHEN t.owner_kind = 'organization' THEN t.owner_scope_id ELSE g.org_id END
    FROM tokens t LEFT JOIN org_groups g ON t.owner_kind = 'group' AND g.id = t.owner_scope_id
    WHERE t.owner_kind <> 'user' AND (t.owner_kind = 'organization' OR g.org_id IS NOT NULL)
      AND (t.owner_kind <> 'organization' OR t.owner_scope_id IN (SELECT id FROM organizations));
  ALTER TABLE organizations ADD COLUMN require_token_approval INTEGER NOT NULL DEFAULT 0 CHECK (require_token_approval IN (0, 1));
  ALTER TABLE organizations ADD COLUMN max_token_lifetime_days INTEGER;
`;

const MIGRATIONS: string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'technical')),
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id TEXT NOT NULL,
    PRIMARY KEY (user_id, role_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mode TEXT NOT NULL CHECK (mode IN ('bearer', 'cookie')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX sessions_user ON sessions(user_id);
  -- owner_kind/owner_scope_*: a later issue adds organisations and groups whose tokens belong to
  -- technical users (owner_user_id then points at the technical user).
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,
    last4 TEXT NOT NULL,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'organization', 'group')),
    owner_user_id TEXT NOT NULL REFERENCES users(id),
    owner_scope_id TEXT,
    owner_scope_name TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by_id TEXT REFERENCES users(id),
    updated_at TEXT NOT NULL,
    expires_at TEXT,
    scopes TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    last_used_at TEXT,
    last_used_ip TEXT
  ) STRICT;
  CREATE INDEX tokens_owner_created ON tokens(owner_user_id, created_at);
  CREATE INDEX tokens_created ON tokens(created_at);
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT,
    actor_username TEXT,
    token_id TEXT,
    owner_id TEXT,
    ip TEXT,
    detail TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_token ON audit(token_id, seq);
  CREATE INDEX audit_owner ON audit(owner_id, seq);
  CREATE INDEX audit_actor ON audit(actor_id, seq);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  `,
  ORG_MIGRATION,
  // Rotation with a grace period: the previous secret of a regenerated token, valid until
  // previous_valid_until; cleared by a later regenerate, disable, or ending the grace.
  `
  ALTER TABLE tokens ADD COLUMN previous_digest BLOB;
  ALTER TABLE tokens ADD COLUMN previous_last4 TEXT;
  ALTER TABLE tokens ADD COLUMN previous_valid_until TEXT;
  CREATE INDEX tokens_previous_digest ON tokens(previous_digest) WHERE previous_digest IS NOT NULL;
  `,
  // Recent uses: the last distinct client IPs of a token with their last time, as a JSON
  // array of { ip, at } (newest first, at most RECENT_USES_KEPT), merged by touchToken in SQL.
  `
  ALTER TABLE tokens ADD COLUMN recent_uses TEXT;
  `,
  // Webhooks: webhooks, their delivery queue and attempts, time-based notices, the outbox cursor.
  WEBHOOK_MIGRATION,
  // Approval requests, allow-lists, not-before, lifetime policies at use (see POLICY_MIGRATION).
  POLICY_MIGRATION,
];

/** Applies the migrations this file lacks, each in its own transaction; refuses a newer schema. */
export function migrate(db: DatabaseSync, transaction: (work: () => void) => void): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
  const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as Record<string, unknown>;
  const current = Number(row.v);
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this server (${MIGRATIONS.length})`);
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    });
  }
}
