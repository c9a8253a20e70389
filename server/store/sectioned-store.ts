/**
 * A `Store` assembled from one section per entity. Each backend builds its sections on its own
 * connection (SQL, transactions and locking are the backend's); this class only routes every method
 * of the contract to the section that owns it, once for both backends. Each method takes its
 * parameters from `Store` itself, so the contract's signatures are written once, in store.ts.
 */
import type { FailureCounters } from '../auth/throttle.ts';
import type { QuotaCounters } from '../auth/quota.ts';
import type { OrgStore } from './org-store.ts';
import type { ResourceStore } from './resource-store.ts';
import type { WebhookStore } from './webhook-store.ts';
import type { Store } from './store.ts';

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

  getSettings(...args: Parameters<Store['getSettings']>) {
    return this.#settings.getSettings(...args);
  }
  updateSettings(...args: Parameters<Store['updateSettings']>) {
    return this.#settings.updateSettings(...args);
  }
  getFlag(...args: Parameters<Store['getFlag']>) {
    return this.#settings.getFlag(...args);
  }
  claimFlag(...args: Parameters<Store['claimFlag']>) {
    return this.#settings.claimFlag(...args);
  }
  setFlag(...args: Parameters<Store['setFlag']>) {
    return this.#settings.setFlag(...args);
  }

  // ---- users and sessions -------------------------------------------------------------------

  createUser(...args: Parameters<Store['createUser']>) {
    return this.#users.createUser(...args);
  }
  getUser(...args: Parameters<Store['getUser']>) {
    return this.#users.getUser(...args);
  }
  getUserByUsername(...args: Parameters<Store['getUserByUsername']>) {
    return this.#users.getUserByUsername(...args);
  }
  listUsers(...args: Parameters<Store['listUsers']>) {
    return this.#users.listUsers(...args);
  }
  updateUser(...args: Parameters<Store['updateUser']>) {
    return this.#users.updateUser(...args);
  }
  setUserRoles(...args: Parameters<Store['setUserRoles']>) {
    return this.#users.setUserRoles(...args);
  }
  countActiveUsersWithRole(...args: Parameters<Store['countActiveUsersWithRole']>) {
    return this.#users.countActiveUsersWithRole(...args);
  }
  createSession(...args: Parameters<Store['createSession']>) {
    return this.#sessions.createSession(...args);
  }
  findSessionByDigest(...args: Parameters<Store['findSessionByDigest']>) {
    return this.#sessions.findSessionByDigest(...args);
  }
  deleteSession(...args: Parameters<Store['deleteSession']>) {
    return this.#sessions.deleteSession(...args);
  }

  // ---- tokens -------------------------------------------------------------------------------

  insertToken(...args: Parameters<Store['insertToken']>) {
    return this.#tokens.insertToken(...args);
  }
  findTokenByDigest(...args: Parameters<Store['findTokenByDigest']>) {
    return this.#tokens.findTokenByDigest(...args);
  }
  findTokenForVerification(...args: Parameters<Store['findTokenForVerification']>) {
    return this.#tokens.findTokenForVerification(...args);
  }
  getToken(...args: Parameters<Store['getToken']>) {
    return this.#tokens.getToken(...args);
  }
  listTokens(...args: Parameters<Store['listTokens']>) {
    return this.#tokens.listTokens(...args);
  }
  countTokens(...args: Parameters<Store['countTokens']>) {
    return this.#tokens.countTokens(...args);
  }
  updateToken(...args: Parameters<Store['updateToken']>) {
    return this.#tokens.updateToken(...args);
  }
  replaceTokenSecret(...args: Parameters<Store['replaceTokenSecret']>) {
    return this.#tokens.replaceTokenSecret(...args);
  }
  tokenPolicyOrgIds(...args: Parameters<Store['tokenPolicyOrgIds']>) {
    return this.#tokens.tokenPolicyOrgIds(...args);
  }
  listTokenRequests(...args: Parameters<Store['listTokenRequests']>) {
    return this.#tokens.listTokenRequests(...args);
  }
  decideTokenRequest(...args: Parameters<Store['decideTokenRequest']>) {
    return this.#tokens.decideTokenRequest(...args);
  }
  deleteTokens(...args: Parameters<Store['deleteTokens']>) {
    return this.#tokens.deleteTokens(...args);
  }
  reportLeakedTokens(...args: Parameters<Store['reportLeakedTokens']>) {
    return this.#tokens.reportLeakedTokens(...args);
  }
  disableUnusedTokens(...args: Parameters<Store['disableUnusedTokens']>) {
    return this.#tokens.disableUnusedTokens(...args);
  }
  touchToken(...args: Parameters<Store['touchToken']>) {
    return this.#tokens.touchToken(...args);
  }

  // ---- audit --------------------------------------------------------------------------------

  appendAudit(...args: Parameters<Store['appendAudit']>) {
    return this.#audit.appendAudit(...args);
  }
  listAudit(...args: Parameters<Store['listAudit']>) {
    return this.#audit.listAudit(...args);
  }
}
