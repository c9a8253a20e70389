/**
 * A `Store` assembled from one section per entity. Each backend builds its sections on its own
 * connection (SQL, transactions and locking are the backend's); this class only routes every method
 * of the contract to the section that owns it, once for both backends.
 */
import type { AuditEvent } from '../../lib/model.ts';
import type { ServerSettings } from './defaults.ts';
import type { CounterKey, FailureCounters } from '../auth/throttle.ts';
import type { QuotaCounters } from '../auth/quota.ts';
import type { OrgStore } from './org-store.ts';
import type { ResourceStore } from './resource-store.ts';
import type { WebhookStore } from './webhook-store.ts';
import type { Store } from './store.ts';
import type {
  ApprovalDecision,
  AuditEntry,
  AuditListQuery,
  KeepRole,
  NewSession,
  NewToken,
  NewUser,
  SessionAuthRecord,
  TokenAuthRecord,
  TokenListQuery,
  TokenPatchRecord,
  TokenRecord,
  TokenRequestQuery,
  UserPatch,
  UserRecord,
  UserWithPassword,
  Verification,
} from './records.ts';

export type SettingsSection = Pick<Store, 'getSettings' | 'updateSettings' | 'getFlag' | 'claimFlag' | 'setFlag'>;
export type UserSection = Pick<
  Store,
  'createUser' | 'getUser' | 'getUserByUsername' | 'listUsers' | 'updateUser' | 'setUserRoles' | 'countActiveUsersWithRole'
>;
export type SessionSection = Pick<Store, 'createSession' | 'findSessionByDigest' | 'deleteSession'>;
export type TokenSection = Pick<
  Store,
  | 'insertToken'
  | 'findTokenByDigest'
  | 'findTokenForVerification'
  | 'getToken'
  | 'listTokens'
  | 'countTokens'
  | 'updateToken'
  | 'replaceTokenSecret'
  | 'listTokenRequests'
  | 'tokenPolicyOrgIds'
  | 'decideTokenRequest'
  | 'deleteTokens'
  | 'reportLeakedTokens'
  | 'disableUnusedTokens'
  | 'touchToken'
>;
export type AuditSection = Pick<Store, 'appendAudit' | 'listAudit'>;

export interface StoreSections {
  settings: SettingsSection;
  users: UserSection;
  sessions: SessionSection;
  tokens: TokenSection;
  audit: AuditSection;
  orgs: OrgStore;
  webhooks: WebhookStore;
  resources: ResourceStore;
  failures: FailureCounters;
  quotas: QuotaCounters;
}

export abstract class SectionedStore implements Store {
  readonly #settings: SettingsSection;
  readonly #users: UserSection;
  readonly #sessions: SessionSection;
  readonly #tokens: TokenSection;
  readonly #audit: AuditSection;
  readonly orgs: OrgStore;
  readonly webhooks: WebhookStore;
  readonly resources: ResourceStore;
  readonly failures: FailureCounters;
  readonly quotas: QuotaCounters;

  constructor(sections: StoreSections) {
    this.#settings = sections.settings;
    this.#users = sections.users;
    this.#sessions = sections.sessions;
    this.#tokens = sections.tokens;
    this.#audit = sections.audit;
    this.orgs = sections.orgs;
    this.webhooks = sections.webhooks;
    this.resources = sections.resources;
    this.failures = sections.failures;
    this.quotas = sections.quotas;
  }

  abstract ping(): Promise<boolean>;
  abstract close(): Promise<void>;

  // ---- settings and flags -------------------------------------------------------------------

  getSettings(): Promise<ServerSettings> {
    return this.#settings.getSettings();
  }
  updateSettings(patch: Partial<ServerSettings>, audit: AuditEntry | null): Promise<ServerSettings> {
    return this.#settings.updateSettings(patch, audit);
  }
  getFlag(key: string): Promise<string | null> {
    return this.#settings.getFlag(key);
  }
  claimFlag(key: string, value: string): Promise<string> {
    return this.#settings.claimFlag(key, value);
  }
  setFlag(key: string, value: string): Promise<void> {
    return this.#settings.setFlag(key, value);
  }

  // ---- users and sessions -------------------------------------------------------------------

  createUser(user: NewUser, audit: AuditEntry | null): Promise<UserRecord> {
    return this.#users.createUser(user, audit);
  }
  getUser(id: string): Promise<UserWithPassword | null> {
    return this.#users.getUser(id);
  }
  getUserByUsername(username: string): Promise<UserWithPassword | null> {
    return this.#users.getUserByUsername(username);
  }
  listUsers(query: { text: string | null; after: string | null; limit: number }): Promise<UserRecord[]> {
    return this.#users.listUsers(query);
  }
  updateUser(id: string, patch: UserPatch, audit: AuditEntry | null, keep?: KeepRole): Promise<UserRecord | null> {
    return this.#users.updateUser(id, patch, audit, keep);
  }
  setUserRoles(id: string, roles: string[], audit: AuditEntry | null, keep?: KeepRole): Promise<UserRecord | null> {
    return this.#users.setUserRoles(id, roles, audit, keep);
  }
  countActiveUsersWithRole(role: string): Promise<number> {
    return this.#users.countActiveUsersWithRole(role);
  }
  createSession(session: NewSession, audit: AuditEntry | null): Promise<void> {
    return this.#sessions.createSession(session, audit);
  }
  findSessionByDigest(digest: Buffer): Promise<SessionAuthRecord | null> {
    return this.#sessions.findSessionByDigest(digest);
  }
  deleteSession(id: string, audit: AuditEntry | null): Promise<void> {
    return this.#sessions.deleteSession(id, audit);
  }

  // ---- tokens -------------------------------------------------------------------------------

  insertToken(token: NewToken, audit: AuditEntry | null, more?: AuditEntry[]): Promise<TokenRecord> {
    return this.#tokens.insertToken(token, audit, more);
  }
  findTokenByDigest(digest: Buffer): Promise<TokenAuthRecord | null> {
    return this.#tokens.findTokenByDigest(digest);
  }
  findTokenForVerification(digest: Buffer, throttle: { keys: CounterKey[]; now: number }): Verification | Promise<Verification> {
    return this.#tokens.findTokenForVerification(digest, throttle);
  }
  getToken(id: string): Promise<TokenRecord | null> {
    return this.#tokens.getToken(id);
  }
  listTokens(query: TokenListQuery): Promise<TokenRecord[]> {
    return this.#tokens.listTokens(query);
  }
  countTokens(): Promise<number> {
    return this.#tokens.countTokens();
  }
  updateToken(id: string, patch: TokenPatchRecord, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#tokens.updateToken(id, patch, audit);
  }
  replaceTokenSecret(
    id: string,
    digest: Buffer,
    last4: string,
    at: string,
    graceUntil: string | null,
    audit: AuditEntry | null,
    expiresAt?: string | null,
  ): Promise<TokenRecord | null> {
    return this.#tokens.replaceTokenSecret(id, digest, last4, at, graceUntil, audit, expiresAt);
  }
  tokenPolicyOrgIds(id: string): Promise<string[]> {
    return this.#tokens.tokenPolicyOrgIds(id);
  }
  listTokenRequests(query: TokenRequestQuery): Promise<TokenRecord[]> {
    return this.#tokens.listTokenRequests(query);
  }
  decideTokenRequest(id: string, decision: ApprovalDecision, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#tokens.decideTokenRequest(id, decision, audit);
  }
  deleteTokens(ids: string[], audits: AuditEntry[]): Promise<string[] | null> {
    return this.#tokens.deleteTokens(ids, audits);
  }
  reportLeakedTokens(digests: Buffer[], at: string, ip: string | null): Promise<string[]> {
    return this.#tokens.reportLeakedTokens(digests, at, ip);
  }
  disableUnusedTokens(ids: string[], unusedBefore: string, now: string, audits: AuditEntry[]): Promise<TokenRecord[]> {
    return this.#tokens.disableUnusedTokens(ids, unusedBefore, now, audits);
  }
  touchToken(id: string, at: string, ip: string | null): Promise<void> {
    return this.#tokens.touchToken(id, at, ip);
  }

  // ---- audit --------------------------------------------------------------------------------

  appendAudit(entry: AuditEntry): Promise<void> {
    return this.#audit.appendAudit(entry);
  }
  listAudit(query: AuditListQuery): Promise<AuditEvent[]> {
    return this.#audit.listAudit(query);
  }
}
