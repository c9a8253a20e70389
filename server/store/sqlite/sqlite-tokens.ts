/**
 * Tokens in the SQLite file. The verification path is one prepared statement (an indexed lookup by
 * digest joined with the owner and the owner's roles) behind the verified-token cache of
 * `SqliteDatabase`, which every write transaction clears.
 */
import type { CounterKey, MemoryFailureCounters } from '../../auth/throttle.ts';
import { ConflictError } from '../errors.ts';
import { RECENT_USES_KEPT, type ApprovalDecision, type AuditEntry, type NewToken, type TokenRequestQuery, type TokenAuthRecord, type TokenListQuery, type TokenPatchRecord, type TokenRecord, type Verification } from '../records.ts';
import { tokenRowValues, toToken, toTokenAuth, type Row } from '../row-mapping.ts';
import { reportedLeaked, technicalUserDeleted } from '../audit-entries.ts';
import { TOKEN_SELECT, tokenAuthColumns, tokenInsertSql, tokenListSql, tokenPolicyOrgInsertSql, tokenRequestListSql, unusedCondition } from '../query-pieces.ts';
import { requireActiveForGrace, requireActiveUser, requireUnchanged } from '../preconditions.ts';
import { VerifiedTokenCache } from '../verified-token-cache.ts';
import { SQLITE_DIALECT, type SqliteDatabase } from './sqlite-database.ts';

type Param = string | number | null | Buffer;

const TOKEN_BY_DIGEST = `SELECT ${tokenAuthColumns(SQLITE_DIALECT, '?1')}
  FROM tokens t JOIN users u ON u.id = t.owner_user_id WHERE t.digest = ?1 OR t.previous_digest = ?1`;

const TOKEN_INSERT = tokenInsertSql(SQLITE_DIALECT);

/** Ends a grace period: the previous secret is forgotten. */
const NO_PREVIOUS = 'previous_digest = NULL, previous_last4 = NULL, previous_valid_until = NULL';

class MissingRow extends Error {}

export class SqliteTokens {
  readonly #db: SqliteDatabase;
  readonly #cache: boolean;
  readonly #patsEnabled: () => boolean;
  readonly #failures: MemoryFailureCounters;

  /**
   * `cache: false` serves the plain indexed lookup (benchmarks); `patsEnabled` reads the settings in
   * memory; `failures` are the throttle counters read on the verification path.
   */
  constructor(db: SqliteDatabase, options: { cache: boolean; patsEnabled: () => boolean; failures: MemoryFailureCounters }) {
    this.#db = db;
    this.#cache = options.cache;
    this.#patsEnabled = options.patsEnabled;
    this.#failures = options.failures;
  }

  /** The token row, inside the caller's transaction. */
  insertRow(token: NewToken): void {
    this.#db.stmt(TOKEN_INSERT).run(...tokenRowValues(token));
    for (const org of token.policy_org_ids ?? []) this.#db.stmt(tokenPolicyOrgInsertSql(SQLITE_DIALECT)).run(token.id, org);
  }

  async insertToken(token: NewToken, audit: AuditEntry | null, more: AuditEntry[] = []): Promise<TokenRecord> {
    return this.#db.transaction(() => {
      // The owner may have been deactivated while the caller checked the password (docs/security.md rule 27).
      requireActiveUser(this.#db.stmt('SELECT active FROM users WHERE id = ?').get(token.owner_user_id) as Row | undefined, 'owner_id');
      this.insertRow(token);
      this.#db.audit(audit);
      for (const entry of more) this.#db.audit(entry);
      return this.byId(token.id)!;
    });
  }

  /** Bulk load for benchmarks and imports: one transaction, one prepared statement. */
  importTokens(tokens: Iterable<NewToken>): number {
    return this.#db.transaction(() => {
      let count = 0;
      for (const token of tokens) {
        this.insertRow(token);
        count++;
      }
      return count;
    });
  }

  async findTokenByDigest(digest: Buffer): Promise<TokenAuthRecord | null> {
    return this.#find(digest);
  }

  /** Synchronous: the verification path waits for no promise on SQLite. */
  findTokenForVerification(digest: Buffer, throttle: { keys: CounterKey[]; now: number }): Verification {
    return { record: this.#find(digest), retryAfter: this.#failures.retryAfterNow(throttle.keys, throttle.now) };
  }

  /** The verification lookup, from the cache when it holds the digest. */
  #find(digest: Buffer): TokenAuthRecord | null {
    if (!this.#cache) return this.#lookup(digest);
    const key = VerifiedTokenCache.key(digest);
    const cached = this.#db.verifiedTokens.get(key);
    if (cached) return cached;
    const record = this.#lookup(digest);
    if (record) this.#db.verifiedTokens.set(key, record);
    return record;
  }

  #lookup(digest: Buffer): TokenAuthRecord | null {
    const row = this.#db.stmt(TOKEN_BY_DIGEST).get(digest) as Row | undefined;
    // Cached records are dropped by every write transaction, settings changes included.
    return row ? toTokenAuth(row, this.#patsEnabled()) : null;
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    return this.byId(id);
  }

  byId(id: string): TokenRecord | null {
    const row = this.#db.stmt(`${TOKEN_SELECT} WHERE t.id = ?`).get(id) as Row | undefined;
    return row ? toToken(row) : null;
  }

  /** Tokens matching a WHERE clause over `tokens t` (the shared token SELECT). */
  where(where: string, ...params: Param[]): TokenRecord[] {
    return (this.#db.stmt(`${TOKEN_SELECT} WHERE ${where}`).all(...params) as Row[]).map(toToken);
  }

  async listTokens(query: TokenListQuery): Promise<TokenRecord[]> {
    const { sql, params } = tokenListSql(SQLITE_DIALECT, query);
    return (this.#db.stmt(sql).all(...(params as Param[])) as Row[]).map(toToken);
  }

  async countTokens(): Promise<number> {
    return Number((this.#db.stmt('SELECT COUNT(*) AS n FROM tokens').get() as Row).n);
  }

  async updateToken(id: string, patch: TokenPatchRecord, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#db.transaction(() => {
      const row = this.#db.stmt('SELECT updated_at FROM tokens WHERE id = ?').get(id) as Row | undefined;
      if (!row) return null;
      requireUnchanged(row, patch.unchanged_since);
      const now = audit?.at ?? new Date().toISOString();
      const set = (column: string, value: string | number | null) => this.#db.stmt(`UPDATE tokens SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, now, id);
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.expires_at !== undefined) set('expires_at', patch.expires_at);
      if (patch.scopes !== undefined) set('scopes', patch.scopes.join(' '));
      if (patch.disabled !== undefined) set('disabled', patch.disabled ? 1 : 0);
      if (patch.allowed_ips !== undefined) set('allowed_ips', patch.allowed_ips.join(' '));
      if (patch.not_before !== undefined) set('not_before', patch.not_before);
      if (patch.disabled === true || patch.end_grace) {
        this.#db.stmt(`UPDATE tokens SET ${NO_PREVIOUS}, updated_at = ? WHERE id = ?`).run(now, id);
      }
      this.#db.audit(audit);
      return this.byId(id);
    });
  }

  async replaceTokenSecret(
    id: string,
    digest: Buffer,
    last4: string,
    at: string,
    graceUntil: string | null,
    audit: AuditEntry | null,
    expiresAt?: string | null,
  ): Promise<TokenRecord | null> {
    return this.#db.transaction(() => {
      const row = this.#db.stmt('SELECT disabled, expires_at FROM tokens WHERE id = ?').get(id) as Row | undefined;
      if (!row) return null;
      // Checked again here, not only before the caller's password check (docs/security.md rule 27).
      if (graceUntil !== null) requireActiveForGrace(row, at);
      // The right-hand sides read the row as it was: the outgoing secret becomes the previous one.
      const result = this.#db
        .stmt(
          `UPDATE tokens SET previous_digest = CASE WHEN ?1 IS NULL THEN NULL ELSE digest END,
             previous_last4 = CASE WHEN ?1 IS NULL THEN NULL ELSE last4 END, previous_valid_until = ?1,
             digest = ?2, last4 = ?3, updated_at = ?4, issued_at = ?4,
             expires_at = CASE WHEN ?6 = 1 THEN ?7 ELSE expires_at END WHERE id = ?5`,
        )
        .run(graceUntil, digest, last4, at, id, expiresAt === undefined ? 0 : 1, expiresAt ?? null);
      if (Number(result.changes) !== 1) return null;
      this.#db.audit(audit);
      return this.byId(id);
    });
  }

  async tokenPolicyOrgIds(id: string): Promise<string[]> {
    return (this.#db.stmt('SELECT org_id FROM token_policy_orgs WHERE token_id = ? ORDER BY org_id').all(id) as Row[]).map((r) => r.org_id as string);
  }

  async listTokenRequests(query: TokenRequestQuery): Promise<TokenRecord[]> {
    const { sql, params } = tokenRequestListSql(SQLITE_DIALECT, query);
    return (this.#db.stmt(sql).all(...(params as Param[])) as Row[]).map(toToken);
  }

  async decideTokenRequest(id: string, decision: ApprovalDecision, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#db.transaction(() => {
      const row = this.#db.stmt('SELECT approval_state FROM tokens WHERE id = ?').get(id) as Row | undefined;
      if (!row) return null;
      // Decided once: a second decision (or one on a token that never waited) changes nothing.
      if (row.approval_state !== 'pending') throw new ConflictError('This token request is not pending: it was decided already, or never needed approval.', 'id');
      this.#db
        .stmt(
          `UPDATE tokens SET approval_state = ?, approval_decided_at = ?, approval_decided_by_id = ?, approval_decided_by_username = ?,
             approval_reason = ?, updated_at = ? WHERE id = ?`,
        )
        .run(decision.state, decision.decided_at, decision.decided_by.id, decision.decided_by.username, decision.reason, decision.decided_at, id);
      this.#db.audit(audit);
      return this.byId(id);
    });
  }

  async deleteTokens(ids: string[], audits: AuditEntry[]): Promise<string[] | null> {
    try {
      return this.#db.transaction(() => {
        const technical: { token: string; user: string }[] = [];
        for (const id of ids) {
          const owner = this.#db.stmt('SELECT owner_kind, owner_user_id FROM tokens WHERE id = ?').get(id) as Row | undefined;
          // Throwing rolls the whole batch back: all or nothing.
          if (Number(this.#db.stmt('DELETE FROM tokens WHERE id = ?').run(id).changes) !== 1) throw new MissingRow();
          if (owner && owner.owner_kind !== 'user') technical.push({ token: id, user: owner.owner_user_id as string });
        }
        // An organisation or group token's technical user exists for that token only: it goes too.
        for (const { user } of technical) this.#db.stmt("DELETE FROM users WHERE id = ? AND kind = 'technical'").run(user);
        for (const audit of audits) this.#db.audit(audit);
        const template = audits[0];
        if (template) {
          for (const { token, user } of technical) {
            this.#db.audit(technicalUserDeleted(template, token, user));
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
    return this.#db.transaction(() => {
      const ids: string[] = [];
      for (const digest of digests) {
        const row = this.#db
          .stmt('SELECT id, owner_user_id, disabled FROM tokens WHERE digest = ?1 OR (previous_digest = ?1 AND previous_valid_until > ?2)')
          .get(digest, at) as Row | undefined;
        if (!row || ids.includes(row.id as string)) continue;
        const id = row.id as string;
        ids.push(id);
        this.#db.stmt(`UPDATE tokens SET disabled = 1, ${NO_PREVIOUS}, updated_at = ? WHERE id = ?`).run(at, id);
        this.#db.audit(reportedLeaked(id, row.owner_user_id as string, ip, at, row.disabled === 1));
      }
      return ids;
    });
  }

  async disableUnusedTokens(ids: string[], unusedBefore: string, now: string, audits: AuditEntry[]): Promise<TokenRecord[]> {
    return this.#db.transaction(() => {
      const disabled: TokenRecord[] = [];
      for (const id of new Set(ids)) {
        const changed = this.#db
          .stmt(`UPDATE tokens AS t SET disabled = 1, ${NO_PREVIOUS}, updated_at = ?1 WHERE t.id = ?3 AND ${unusedCondition(SQLITE_DIALECT, '?1', '?2')}`)
          .run(now, unusedBefore, id);
        if (Number(changed.changes) !== 1) continue;
        const audit = audits.find((a) => a.token_id === id);
        if (audit) this.#db.audit(audit);
        disabled.push(this.byId(id)!);
      }
      return disabled;
    });
  }

  async touchToken(id: string, at: string, ip: string | null): Promise<void> {
    // Right-hand sides read the row as it was; the merge keeps each IP's latest time, newest first.
    this.#db
      .stmt(
        `UPDATE tokens SET
           last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ?2 THEN ?2 ELSE last_used_at END,
           last_used_ip = CASE WHEN ?3 IS NOT NULL AND (last_used_at IS NULL OR last_used_at < ?2) THEN ?3 ELSE last_used_ip END,
           recent_uses = CASE WHEN ?3 IS NULL THEN recent_uses ELSE (
             SELECT json_group_array(json_object('ip', ip, 'at', at) ORDER BY at DESC, ip) FROM (
               SELECT ip, MAX(at) AS at FROM (
                 SELECT json_extract(value, '$.ip') AS ip, json_extract(value, '$.at') AS at FROM json_each(COALESCE(tokens.recent_uses, '[]'))
                 UNION ALL SELECT ?3, ?2
               ) GROUP BY ip ORDER BY MAX(at) DESC, ip LIMIT ?4
             )
           ) END
         WHERE id = ?1`,
      )
      .run(id, at, ip, RECENT_USES_KEPT);
    // Outside a transaction. A use refuses or narrows nothing, so only this token's cached records
    // go (they would show the use before this one, and the last-use debounce falls back on them when
    // it has forgotten a token); every other token stays cached. Emptying the whole cache here made
    // each token's first use in a minute a miss for all the others.
    this.#db.verifiedTokens.forgetToken(id);
  }
}
