/**
 * Tokens in PostgreSQL. Every verification reads the database: the verification epoch always, and
 * the token, its owner, roles and the PAT switch whenever the epoch moved since this instance last
 * read them (any change that can refuse or narrow a token moves it, on commit). Changes to one token take
 * its row lock (`SELECT … FOR UPDATE`, or the UPDATE's own), so concurrent writers queue up.
 */
import { waitFrom, type CounterKey } from '../../auth/throttle.ts';
import { ConflictError } from '../errors.ts';
import { RECENT_USES_KEPT, type ApprovalDecision, type AuditEntry, type NewToken, type TokenRequestQuery, type TokenAuthRecord, type TokenListQuery, type TokenPatchRecord, type TokenRecord } from '../records.ts';
import { tokenRowValues, toToken, toTokenAuth, type Row } from '../row-mapping.ts';
import { reportedLeaked, technicalUserDeleted } from '../audit-entries.ts';
import { TOKEN_SELECT, tokenAuthColumns, tokenInsertSql, tokenListSql, tokenPolicyOrgInsertSql, tokenRequestListSql, unusedCondition } from '../query-pieces.ts';
import { requireActiveForGrace, requireActiveUser, requireUnchanged } from '../preconditions.ts';
import { VerifiedTokenCache } from '../verified-token-cache.ts';
import { POSTGRES_DIALECT, type PostgresDatabase, type Queryable } from './postgres-database.ts';
import { countersFrom, countersOf, EPOCH, EpochChecks, type EpochCheckSeam } from './epoch-checks.ts';

/** The verification columns and the PAT switch, read in the same statement as the token. */
const TOKEN_AUTH_COLUMNS = `${tokenAuthColumns(POSTGRES_DIALECT, '$1')},
  (SELECT s.value = 'true' FROM settings s WHERE s.key = 'enable_personal_access_tokens') AS pats_enabled`;

/** The parameters of the counters: a verification counts per address and at most one account. */
function counterKeys(keys: CounterKey[]): [string, string | null] {
  if (keys.length === 0 || keys.length > 2) throw new Error(`the verification reads one or two throttle counters, not ${keys.length}`);
  return [keys[0]!.key, keys[1]?.key ?? null];
}

/**
 * The full read: the epoch and the token by digest ($1) with its owner, roles and the PAT switch,
 * from the statement's one snapshot, so a record is never cached with an epoch newer than it shows.
 * Always one row (the token's columns null when there is none).
 */
const EPOCH_AND_TOKEN = `${EPOCH}, tk.* FROM (SELECT 1) AS one LEFT JOIN (
    SELECT ${TOKEN_AUTH_COLUMNS} FROM tokens t JOIN users u ON u.id = t.owner_user_id WHERE t.digest = $1 OR t.previous_digest = $1
  ) AS tk ON true`;

const TOKEN_BY_DIGEST = `SELECT ${EPOCH_AND_TOKEN}`;

/** The full read with the throttle counters ($2, $3 the keys, live at $4). */
export const TOKEN_FOR_VERIFICATION = `SELECT ${countersOf(['$2', '$3'], '$4')}, ${EPOCH_AND_TOKEN}`;

/**
 * What must be read per request while this instance holds the token: the epoch and the throttle
 * counters, nothing of the token, owner, roles or settings (no lock on their tables either); see
 * `EpochChecks` for how concurrent checks share statements without weakening the next-request rule.
 */
export { EPOCH_CHECK, EPOCH_CHECK_BATCH } from './epoch-checks.ts';


/** A verified token with the epoch it was read at. */
interface CachedToken {
  readonly id: string;
  readonly record: TokenAuthRecord;
  readonly epoch: string;
}

const TOKEN_INSERT = tokenInsertSql(POSTGRES_DIALECT);
const POLICY_ORG_INSERT = tokenPolicyOrgInsertSql(POSTGRES_DIALECT);

/** Ends a grace period: the previous secret is forgotten. */
const NO_PREVIOUS = 'previous_digest = NULL, previous_last4 = NULL, previous_valid_until = NULL';

class MissingRow extends Error {}

export class PostgresTokens {
  readonly #db: PostgresDatabase;
  /** Verified tokens of this instance, each valid while the verification epoch is the one it was read at. */
  readonly #verified = new VerifiedTokenCache<CachedToken>();
  /** The per-request epoch checks, concurrent ones coalesced. */
  readonly #checks: EpochChecks;

  /** `seam`: tests only, see `EpochCheckSeam`. */
  constructor(db: PostgresDatabase, seam?: EpochCheckSeam) {
    this.#db = db;
    this.#checks = new EpochChecks((statement) => db.query(statement), seam);
  }

  /** The token row on `client` (inside the caller's transaction). */
  async insertRow(client: Queryable, token: NewToken): Promise<void> {
    await client.query(TOKEN_INSERT, tokenRowValues(token));
    for (const org of token.policy_org_ids ?? []) await client.query(POLICY_ORG_INSERT, [token.id, org]);
  }

  async insertToken(token: NewToken, audit: AuditEntry | null, more: AuditEntry[] = []): Promise<TokenRecord> {
    return this.#db.transaction(async (client) => {
      // Under the owner's row lock: a deactivation committed meanwhile is seen (docs/security.md rule 27).
      const owner = (await client.query('SELECT active FROM users WHERE id = $1 FOR SHARE', [token.owner_user_id])).rows[0] as Row | undefined;
      requireActiveUser(owner, 'owner_id');
      await this.insertRow(client, token);
      await this.#db.audit(client, audit);
      for (const entry of more) await this.#db.audit(client, entry);
      return (await this.byId(client, token.id))!;
    });
  }

  /** Bulk load (benchmarks): one multi-row INSERT per 5,000 tokens, one transaction. */
  async importTokens(tokens: NewToken[]): Promise<number> {
    return this.#db.transaction(async (client) => {
      for (let i = 0; i < tokens.length; i += 5_000) {
        const batch = tokens.slice(i, i + 5_000);
        const column = <K extends keyof NewToken>(key: K) => batch.map((t) => t[key]);
        await client.query(
          `INSERT INTO tokens (id, digest, last4, owner_kind, owner_user_id, name, description, created_at, created_by_id, updated_at, expires_at, scopes)
           SELECT id, digest, last4, owner_kind, owner_user_id, name, description, created_at, created_by_id, created_at, expires_at, scopes
           FROM unnest($1::text[], $2::bytea[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
             AS x(id, digest, last4, owner_kind, owner_user_id, name, description, created_at, created_by_id, expires_at, scopes)`,
          [
            column('id'),
            column('digest'),
            column('last4'),
            column('owner_kind'),
            column('owner_user_id'),
            column('name'),
            column('description'),
            column('created_at'),
            column('created_by_id'),
            column('expires_at'),
            batch.map((t) => t.scopes.join(' ')),
          ],
        );
      }
      return tokens.length;
    });
  }

  /** The token by digest with the owner, roles and the PAT switch, as current as the epoch says. */
  async findTokenByDigest(digest: Buffer): Promise<TokenAuthRecord | null> {
    const key = VerifiedTokenCache.key(digest);
    const cached = this.#verified.get(key);
    if (cached !== undefined) {
      // Shares the coalesced checks of the verification path (`EpochChecks`): no statement of its own.
      if ((await this.#checks.epoch()) === cached.epoch) return cached.record;
    }
    const row = (await this.#db.query({ name: 'token_by_digest', text: TOKEN_BY_DIGEST, values: [digest] })).rows[0] as Row;
    return this.#fresh(key, cached, row);
  }

  /**
   * The verification path: while this instance holds the token at the current epoch, one check reads
   * only the epoch and the caller's throttle counters (shared with concurrent callers, each answered
   * from a statement sent after it arrived: `EpochChecks`); otherwise (first use, or the epoch moved:
   * a second round trip only after a change) one statement reads them with the token.
   */
  async findTokenForVerification(digest: Buffer, throttle: { keys: CounterKey[]; now: number }): Promise<{ record: TokenAuthRecord | null; retryAfter: number }> {
    const key = VerifiedTokenCache.key(digest);
    const cached = this.#verified.get(key);
    const keys = counterKeys(throttle.keys);
    if (cached !== undefined) {
      const checked = await this.#checks.check(keys[0], keys[1], throttle.now);
      if (checked.epoch === cached.epoch) return { record: cached.record, retryAfter: waitFrom(checked.counters, throttle.keys, throttle.now) };
    }
    const row = (await this.#db.query({ name: 'token_for_verification', text: TOKEN_FOR_VERIFICATION, values: [digest, ...keys, throttle.now] })).rows[0] as Row;
    const record = this.#fresh(key, cached, row);
    return { record, retryAfter: waitFrom(countersFrom(row.counters), throttle.keys, throttle.now) };
  }

  /** The token of a full read, cached with the epoch it was read at (or forgotten when it is gone). */
  #fresh(key: string, cached: CachedToken | undefined, row: Row): TokenAuthRecord | null {
    if (row.token_id === null) {
      // Gone (deleted, or this secret replaced): nothing of it stays cached.
      if (cached !== undefined) this.#verified.forgetToken(cached.id);
      return null;
    }
    const record = toTokenAuth(row, row.pats_enabled === true);
    this.#verified.set(key, { id: record.id, record, epoch: String(row.epoch) });
    return record;
  }

  getToken(id: string): Promise<TokenRecord | null> {
    return this.byId(this.#db.pooled, id);
  }

  async byId(client: Queryable, id: string): Promise<TokenRecord | null> {
    const row = (await client.query({ name: 'token_by_id', text: `${TOKEN_SELECT} WHERE t.id = $1`, values: [id] })).rows[0] as Row | undefined;
    return row ? toToken(row) : null;
  }

  /** Tokens matching a WHERE clause over `tokens t` (the shared token SELECT). */
  async where(where: string, values: unknown[]): Promise<TokenRecord[]> {
    return ((await this.#db.query(`${TOKEN_SELECT} WHERE ${where}`, values)).rows as Row[]).map(toToken);
  }

  async listTokens(query: TokenListQuery): Promise<TokenRecord[]> {
    const { sql, params } = tokenListSql(POSTGRES_DIALECT, query);
    return ((await this.#db.query(sql, params)).rows as Row[]).map(toToken);
  }

  async countTokens(): Promise<number> {
    return Number(((await this.#db.query('SELECT COUNT(*) AS n FROM tokens')).rows[0] as Row).n);
  }

  async updateToken(id: string, patch: TokenPatchRecord, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#db.transaction(async (client) => {
      const row = (await client.query('SELECT updated_at FROM tokens WHERE id = $1 FOR UPDATE', [id])).rows[0] as Row | undefined;
      if (!row) return null;
      requireUnchanged(row, patch.unchanged_since);
      const now = audit?.at ?? new Date().toISOString();
      const set = (column: string, value: unknown) => client.query(`UPDATE tokens SET ${column} = $1, updated_at = $2 WHERE id = $3`, [value, now, id]);
      if (patch.name !== undefined) await set('name', patch.name);
      if (patch.description !== undefined) await set('description', patch.description);
      if (patch.expires_at !== undefined) await set('expires_at', patch.expires_at);
      if (patch.scopes !== undefined) await set('scopes', patch.scopes.join(' '));
      if (patch.disabled !== undefined) await set('disabled', patch.disabled);
      if (patch.allowed_ips !== undefined) await set('allowed_ips', patch.allowed_ips.join(' '));
      if (patch.not_before !== undefined) await set('not_before', patch.not_before);
      if (patch.disabled === true || patch.end_grace) {
        await client.query(`UPDATE tokens SET ${NO_PREVIOUS}, updated_at = $1 WHERE id = $2`, [now, id]);
      }
      await this.#db.audit(client, audit);
      return this.byId(client, id);
    });
  }

  /**
   * Under the token's row lock: concurrent regenerates queue up and exactly one secret survives, and a
   * grace is written only if the token is still active as it is now (docs/security.md rule 27).
   */
  async replaceTokenSecret(
    id: string,
    digest: Buffer,
    last4: string,
    at: string,
    graceUntil: string | null,
    audit: AuditEntry | null,
    expiresAt?: string | null,
  ): Promise<TokenRecord | null> {
    return this.#db.transaction(async (client) => {
      const row = (await client.query('SELECT disabled, expires_at FROM tokens WHERE id = $1 FOR UPDATE', [id])).rows[0] as Row | undefined;
      if (!row) return null;
      if (graceUntil !== null) requireActiveForGrace(row, at);
      // The right-hand sides read the row as it was: the outgoing secret becomes the previous one.
      await client.query(
        `UPDATE tokens SET previous_digest = CASE WHEN $1::text IS NULL THEN NULL ELSE digest END,
           previous_last4 = CASE WHEN $1::text IS NULL THEN NULL ELSE last4 END, previous_valid_until = $1::text,
           digest = $2, last4 = $3, updated_at = $4, issued_at = $4,
           expires_at = CASE WHEN $6::boolean THEN $7::text ELSE expires_at END WHERE id = $5`,
        [graceUntil, digest, last4, at, id, expiresAt !== undefined, expiresAt ?? null],
      );
      await this.#db.audit(client, audit);
      return this.byId(client, id);
    });
  }

  async tokenPolicyOrgIds(id: string): Promise<string[]> {
    const rows = (await this.#db.query('SELECT org_id FROM token_policy_orgs WHERE token_id = $1 ORDER BY org_id COLLATE "C"', [id])).rows as Row[];
    return rows.map((r) => r.org_id as string);
  }

  async listTokenRequests(query: TokenRequestQuery): Promise<TokenRecord[]> {
    const { sql, params } = tokenRequestListSql(POSTGRES_DIALECT, query);
    return ((await this.#db.query(sql, params)).rows as Row[]).map(toToken);
  }

  /** Under the token's row lock: of two decisions at once, the second finds it decided (409). */
  async decideTokenRequest(id: string, decision: ApprovalDecision, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#db.transaction(async (client) => {
      const row = (await client.query('SELECT approval_state FROM tokens WHERE id = $1 FOR UPDATE', [id])).rows[0] as Row | undefined;
      if (!row) return null;
      if (row.approval_state !== 'pending') throw new ConflictError('This token request is not pending: it was decided already, or never needed approval.', 'id');
      await client.query(
        `UPDATE tokens SET approval_state = $1, approval_decided_at = $2, approval_decided_by_id = $3, approval_decided_by_username = $4,
           approval_reason = $5, updated_at = $2 WHERE id = $6`,
        [decision.state, decision.decided_at, decision.decided_by.id, decision.decided_by.username, decision.reason, id],
      );
      await this.#db.audit(client, audit);
      return this.byId(client, id);
    });
  }

  async deleteTokens(ids: string[], audits: AuditEntry[]): Promise<string[] | null> {
    try {
      return await this.#db.transaction(async (client) => {
        const technical: { token: string; user: string }[] = [];
        for (const id of ids) {
          const deleted = (await client.query('DELETE FROM tokens WHERE id = $1 RETURNING owner_kind, owner_user_id', [id])).rows[0] as Row | undefined;
          // Throwing rolls the whole batch back: all or nothing.
          if (!deleted) throw new MissingRow();
          if (deleted.owner_kind !== 'user') technical.push({ token: id, user: deleted.owner_user_id as string });
        }
        // An organisation or group token's technical user exists for that token only: it goes too.
        for (const { user } of technical) await client.query("DELETE FROM users WHERE id = $1 AND kind = 'technical'", [user]);
        for (const audit of audits) await this.#db.audit(client, audit);
        const template = audits[0];
        if (template) {
          for (const { token, user } of technical) {
            await this.#db.audit(client, technicalUserDeleted(template, token, user));
          }
        }
        return ids;
      });
    } catch (error) {
      if (error instanceof MissingRow) return null;
      throw error;
    }
  }

  async reportLeakedTokens(digests: Buffer[], at: string, ip: string | null): Promise<string[]> {
    return this.#db.transaction(async (client) => {
      const ids: string[] = [];
      for (const digest of digests) {
        const row = (
          await client.query('SELECT id, owner_user_id, disabled FROM tokens WHERE digest = $1 OR (previous_digest = $1 AND previous_valid_until > $2) FOR UPDATE', [
            digest,
            at,
          ])
        ).rows[0] as Row | undefined;
        if (!row || ids.includes(row.id as string)) continue;
        const id = row.id as string;
        ids.push(id);
        await client.query(`UPDATE tokens SET disabled = true, ${NO_PREVIOUS}, updated_at = $1 WHERE id = $2`, [at, id]);
        await this.#db.audit(client, reportedLeaked(id, row.owner_user_id as string, ip, at, row.disabled === true));
      }
      return ids;
    });
  }

  async disableUnusedTokens(ids: string[], unusedBefore: string, now: string, audits: AuditEntry[]): Promise<TokenRecord[]> {
    return this.#db.transaction(async (client) => {
      const disabled: TokenRecord[] = [];
      for (const id of new Set(ids)) {
        // The UPDATE takes the row lock and re-checks the condition on the row as it is now.
        const changed = await client.query(
          `UPDATE tokens AS t SET disabled = true, ${NO_PREVIOUS}, updated_at = $1
           WHERE t.id = $3 AND ${unusedCondition(POSTGRES_DIALECT, '$1', '$2')}`,
          [now, unusedBefore, id],
        );
        if (changed.rowCount !== 1) continue;
        const audit = audits.find((a) => a.token_id === id);
        if (audit) await this.#db.audit(client, audit);
        disabled.push((await this.byId(client, id))!);
      }
      return disabled;
    });
  }

  /**
   * Never moves last use backwards, so instances writing in any order lose no update. The recent-use
   * merge is one UPDATE: under its row lock a concurrent touch from another instance is re-evaluated
   * on the row as that one left it (READ COMMITTED), so neither loses the other's IP.
   */
  async touchToken(id: string, at: string, ip: string | null): Promise<void> {
    await this.#db.query({
      name: 'token_touch',
      text: `UPDATE tokens SET
               last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at COLLATE "C" < $2 THEN $2 ELSE last_used_at END,
               last_used_ip = CASE WHEN $3::text IS NOT NULL AND (last_used_at IS NULL OR last_used_at COLLATE "C" < $2) THEN $3 ELSE last_used_ip END,
               recent_uses = CASE WHEN $3::text IS NULL THEN recent_uses ELSE (
                 SELECT json_agg(json_build_object('ip', k.ip, 'at', k.at) ORDER BY k.at COLLATE "C" DESC, k.ip COLLATE "C")::text FROM (
                   SELECT u.ip, max(u.at COLLATE "C") AS at FROM (
                     SELECT e->>'ip' AS ip, e->>'at' AS at FROM jsonb_array_elements(COALESCE(tokens.recent_uses, '[]')::jsonb) AS e
                     UNION ALL SELECT $3::text, $2::text
                   ) u GROUP BY u.ip ORDER BY max(u.at COLLATE "C") DESC, u.ip COLLATE "C" LIMIT $4
                 ) k
               ) END
             WHERE id = $1`,
      values: [id, at, ip, RECENT_USES_KEPT],
    });
    // A use moves no epoch (it refuses nothing); this instance's record would show the use before
    // this one, which the last-use debounce falls back on when it has forgotten the token.
    this.#verified.forgetToken(id);
  }
}
