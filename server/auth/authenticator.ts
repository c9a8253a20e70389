/**
 * Who is calling: resolves a Bearer credential (PAT or session) or the console's session cookie to a
 * principal whose effective rights are computed on every request from the owner's current state
 * (docs/security.md rules 2, 6, 8, 9, 12, 14). No slow hashing here: one HMAC and one indexed lookup.
 */
import type { KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Catalog } from '../catalog/catalog.ts';
import { credentialKind, digestCredential } from './credentials.ts';
import { membershipPermissions } from './org-access.ts';
import { Problem, problems } from '../http/problems.ts';
import type { AuditEntry, Store, TokenAuthRecord } from '../store/store.ts';
import type { Principal } from './principal.ts';
import { readCookie, SESSION_COOKIE } from './session-cookie.ts';
import { UseDebounce } from './use-debounce.ts';
import type { FailurePolicy } from './throttle.ts';
import { tokenPolicyRefusal } from './token-policy.ts';

export const CSRF_HEADER = 'x-patkit-csrf';
/** last_used_at / last_used_ip / recent_uses are written at most this often per token and client IP. */
export const LAST_USED_INTERVAL_MS = 60_000;

export interface AuthenticatorOptions {
  store: Store;
  catalog: Catalog;
  pepper: KeyObject;
  tokenFailures: FailurePolicy;
  now?: () => number;
  /** Bounds of the last-use and previous-secret debounces (tests use small ones). */
  debounceLimits?: { tokens?: number; addressesPerToken?: number };
}

export type PatCheck =
  | { ok: true; record: TokenAuthRecord; effective: string[] }
  | { ok: false; code: string; detail: string; record: TokenAuthRecord | null };

export class Authenticator {
  readonly #store: Store;
  readonly #catalog: Catalog;
  readonly #pepper: KeyObject;
  readonly #failures: FailurePolicy;
  readonly #now: () => number;
  /** In-memory debounce of last-use writes: token and IP → time of the last write. */
  readonly lastUseWrites: UseDebounce;
  /** In-memory debounce of previous-secret audits: token and IP → time of the last entry. */
  readonly previousUseAudits: UseDebounce;

  constructor(options: AuthenticatorOptions) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#pepper = options.pepper;
    this.#failures = options.tokenFailures;
    this.#now = options.now ?? Date.now;
    this.lastUseWrites = new UseDebounce(options.debounceLimits);
    this.previousUseAudits = new UseDebounce(options.debounceLimits);
  }

  /** Deleted tokens: their debounce entries go with them. */
  forgetTokens(ids: readonly string[]): void {
    for (const id of ids) {
      this.lastUseWrites.forget(id);
      this.previousUseAudits.forget(id);
    }
  }

  /** The principal of this request, or a rejection with a 401/429 problem. */
  authenticate(request: FastifyRequest): Promise<Principal> {
    try {
      return this.#authenticate(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
      if (!match) {
        throw problems.unauthorized('Send the credential as "Authorization: Bearer <token>"; other schemes are not accepted.');
      }
      return this.#fromBearer(match[1]!, request);
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (cookie !== null) return this.#fromCookie(cookie, request);
    throw problems.unauthorized();
  }

  /**
   * The principal of a PAT sent as the password of HTTP Basic (introspection's client_secret_basic):
   * the same checks and throttles as a Bearer PAT; a session credential is not taken there.
   */
  async authenticatePat(credential: string, request: FastifyRequest): Promise<Principal> {
    if (credentialKind(credential) === 'session') {
      throw problems.unauthorized('HTTP Basic takes a personal access token as the password, not a session credential.');
    }
    return this.#fromBearer(credential, request);
  }

  async #fromBearer(credential: string, request: FastifyRequest): Promise<Principal> {
    const ip = request.ip;
    const kind = credentialKind(credential);
    if (kind !== 'pat') {
      const wait = await this.#failures.retryAfter(ip, null);
      if (wait > 0) throw problems.rateLimited(wait);
    }
    if (kind === null) {
      // Rejected before any token lookup (docs/security.md rule 2).
      await this.#failures.fail(ip, null);
      throw new Problem(401, 'malformed_token', 'That credential is not a patkit token or session: check that it was copied whole.');
    }
    if (kind === 'session') return this.#fromSession(credential, request, 'session');
    // The IP's throttle state and the token are read together (one statement on a shared
    // database); a throttled IP gets 429 whatever the token.
    // SQLite answers synchronously: no promise to wait for on its hot path.
    const found = this.#store.findTokenForVerification(digestCredential(this.#pepper, credential), this.#failures.check(ip, null));
    const { record, retryAfter: wait } = found instanceof Promise ? await found : found;
    if (wait > 0) throw problems.rateLimited(wait);
    const checked = this.#checkRecord(record, ip);
    const check = checked instanceof Promise ? await checked : checked;
    if (!check.ok) {
      const owner = check.record?.user.id ?? null;
      if (owner !== null) {
        const ownerWait = await this.#failures.retryAfter(ip, owner);
        if (ownerWait > 0) throw problems.rateLimited(ownerWait);
      }
      if (check.code !== 'personal_access_tokens_disabled') {
        await this.#failures.fail(ip, owner);
        await this.#store.appendAudit(this.#failedVerification(check, ip));
      }
      throw new Problem(401, check.code, check.detail);
    }
    const noted = this.#noteUse(check.record, ip);
    if (noted !== undefined) await noted;
    if (check.record.matched === 'previous') await this.#notePreviousUse(check.record, ip);
    return {
      user: check.record.user,
      permissions: this.#catalog.permissionsOf(check.record.user.roles),
      effective: new Set(check.effective),
      via: 'pat',
      tokenId: check.record.id,
      sessionId: null,
      resources: check.record.resources,
    };
  }

  /** Verifies a PAT against the current state of the token, its owner and the settings. */
  async checkPat(credential: string): Promise<PatCheck> {
    if (credentialKind(credential) !== 'pat') {
      return { ok: false, code: 'malformed_token', detail: 'Not a well-formed patkit token.', record: null };
    }
    return await this.#checkRecord(await this.#store.findTokenByDigest(digestCredential(this.#pepper, credential)), null);
  }

  /**
   * The checks after the lookup: the token, its owner and the settings as read just now. `ip` null
   * (introspection): the allow-list is left to the host, which gets it in the answer.
   */
  #checkRecord(record: TokenAuthRecord | null, ip: string | null): PatCheck | Promise<PatCheck> {
    if (!record) return { ok: false, code: 'unauthorized', detail: 'This token is not valid: it was deleted, regenerated or never existed.', record };
    if (record.matched === 'previous' && (record.previous_valid_until === null || Date.parse(record.previous_valid_until) <= this.#now())) {
      // A secret replaced by a regenerate whose grace period is over: as dead as any replaced secret.
      return { ok: false, code: 'unauthorized', detail: 'This token is not valid: it was deleted, regenerated or never existed.', record };
    }
    if (!record.personal_access_tokens_enabled) {
      return { ok: false, code: 'personal_access_tokens_disabled', detail: 'Personal access tokens are disabled on this server.', record };
    }
    if (record.expires_at !== null && Date.parse(record.expires_at) <= this.#now()) {
      return { ok: false, code: 'token_expired', detail: `This token expired at ${record.expires_at}.`, record };
    }
    if (record.disabled) return { ok: false, code: 'token_disabled', detail: 'This token is disabled. Its owner or an admin can enable it again.', record };
    if (!record.user.active) return { ok: false, code: 'user_inactive', detail: 'The account that owns this token is deactivated.', record };
    const refusal = tokenPolicyRefusal(record, ip, this.#now());
    if (refusal) return { ok: false, ...refusal, record };
    if (record.owner_kind !== 'user') return this.#checkMembership(record);
    const permissions = new Set(this.#catalog.permissionsOf(record.user.roles));
    return { ok: true, record, effective: record.scopes.filter((s) => permissions.has(s)) };
  }

  /** An organisation or group token: its rights are what its technical user's membership grants now. */
  async #checkMembership(record: TokenAuthRecord): Promise<PatCheck> {
    const granted = new Set(membershipPermissions(await this.#store.orgs.membershipsOf(record.user.id)));
    if (granted.size === 0) {
      return { ok: false, code: 'membership_removed', detail: 'The technical user behind this token is no longer a member of its organization or group.', record };
    }
    return { ok: true, record, effective: record.scopes.filter((s) => granted.has(s)) };
  }

  #failedVerification(check: Extract<PatCheck, { ok: false }>, ip: string): AuditEntry {
    return {
      action: 'token.verification_failed',
      actor: null,
      token_id: check.record?.id ?? null,
      owner_id: check.record?.user.id ?? null,
      ip,
      at: new Date(this.#now()).toISOString(),
      detail: { reason: check.code },
    };
  }

  /**
   * Records last use and the client IP at most once a minute per token and IP: never a write per
   * request, yet a new IP is recorded at once. A use without an IP (introspection) counts per token.
   * Nothing to wait for (undefined) unless it writes.
   */
  #noteUse(record: TokenAuthRecord, ip: string | null): Promise<void> | undefined {
    const now = this.#now();
    const written = this.lastUseWrites.last(record.id, ip);
    if (written !== undefined && now - written < LAST_USED_INTERVAL_MS) return;
    // Written within the minute (by another instance, before a restart, or forgotten here): nothing to add.
    const stored = ip === null ? record.last_used_at : (record.recent_uses.find((u) => u.ip === ip)?.at ?? null);
    if (stored !== null && now - Date.parse(stored) < LAST_USED_INTERVAL_MS) {
      this.lastUseWrites.note(record.id, ip, Date.parse(stored));
      return;
    }
    this.lastUseWrites.note(record.id, ip, now);
    return this.#store.touchToken(record.id, new Date(now).toISOString(), ip);
  }

  /**
   * Uses of a previous secret during its grace period are audited (`token.previous_secret_used`) so
   * the owner sees what still runs on the old value: the first use on this instance, then at most
   * once a minute per token and IP (never a write per request).
   */
  async #notePreviousUse(record: TokenAuthRecord, ip: string): Promise<void> {
    const now = this.#now();
    const written = this.previousUseAudits.last(record.id, ip);
    if (written !== undefined && now - written < LAST_USED_INTERVAL_MS) return;
    this.previousUseAudits.note(record.id, ip, now);
    await this.#store.appendAudit({
      action: 'token.previous_secret_used',
      actor: { id: record.user.id, username: record.user.username },
      token_id: record.id,
      owner_id: record.user.id,
      ip,
      at: new Date(now).toISOString(),
      detail: { previous_valid_until: record.previous_valid_until },
    });
  }

  async noteUse(record: TokenAuthRecord, ip: string | null): Promise<void> {
    await this.#noteUse(record, ip);
  }

  async #fromCookie(credential: string, request: FastifyRequest): Promise<Principal> {
    if (credentialKind(credential) !== 'session') throw problems.unauthorized('The session cookie is not valid. Sign in again.');
    const principal = await this.#fromSession(credential, request, 'cookie');
    // CSRF defence for cookie-authenticated writes (docs/security.md rule 14).
    if (!SAFE_METHODS.has(request.method)) {
      const site = request.headers['sec-fetch-site'];
      if (request.headers[CSRF_HEADER] !== '1' || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
        throw new Problem(403, 'csrf_failed', `Cookie-authenticated changes need the header "X-Patkit-CSRF: 1" from the same origin.`);
      }
    }
    return principal;
  }

  async #fromSession(credential: string, request: FastifyRequest, via: 'session' | 'cookie'): Promise<Principal> {
    const ip = request.ip;
    const record = await this.#store.findSessionByDigest(digestCredential(this.#pepper, credential));
    if (!record) {
      await this.#failures.fail(ip, null);
      throw new Problem(401, 'session_expired', 'This session has ended. Sign in again.');
    }
    if (Date.parse(record.expires_at) <= this.#now()) throw new Problem(401, 'session_expired', 'This session has expired. Sign in again.');
    if (!record.user.active) throw new Problem(401, 'user_inactive', 'This account is deactivated.');
    const permissions = this.#catalog.permissionsOf(record.user.roles);
    return { user: record.user, permissions, effective: new Set(permissions), via, tokenId: null, sessionId: record.id, resources: [] };
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
