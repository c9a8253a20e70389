/**
 * The reference server's provider against a real patkit server: sign-in, every operation, every error code the
 * family has that this server can produce, and capabilities. Runner-agnostic: the Node suite
 * (node:test) and the browser suite (Mocha in Chromium) run the same cases, so the provider is
 * proven in both places it ships to.
 */
import { ProviderError, type ErrorCode } from '../../../../lib/errors.ts';
import { PATKIT_TOKEN_PATTERN, type Confirmation, type User } from '../../../../lib/model.ts';
import { ReferenceServerProvider } from '../../../../lib/providers/reference-server/provider.ts';
import { createProvider, providerKinds } from '../../../../lib/providers/registry.ts';
import { call } from '../../../support/http.ts';

export interface ContractEnv {
  serverUrl: string;
  adminPassword: string;
}

export interface ContractCase {
  name: string;
  run(env: ContractEnv): Promise<void>;
}

// Small runner-independent assertions.
function ok(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

function equal<T>(actual: T, expected: T, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`assertion failed: ${message}: expected ${e}, got ${a}`);
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, serverCode?: string): Promise<ProviderError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw new Error(`expected ProviderError ${code}, got ${String(error)}`);
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code} (${error.serverCode}): ${error.message}`);
    if (serverCode !== undefined && error.serverCode !== serverCode) {
      throw new Error(`expected server code ${serverCode}, got ${error.serverCode}: ${error.message}`);
    }
    ok(error.message.length > 10 && !/<html|stack|at .*\.ts/i.test(error.message), `readable message: ${error.message}`);
    return error;
  }
  throw new Error(`expected a ${code} error, got success: ${JSON.stringify(result)?.slice(0, 200)}`);
}

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function admin(env: ContractEnv): Promise<ReferenceServerProvider> {
  const provider = new ReferenceServerProvider({ baseUrl: env.serverUrl });
  await provider.signIn({ kind: 'password', username: 'admin', password: env.adminPassword });
  return provider;
}

/** A fresh user with the given roles (the provider has no create-user operation; the server has). */
export async function newUser(env: ContractEnv, roles: string[] = ['system_user', 'user_access_token']): Promise<{ user: User; password: string; provider: ReferenceServerProvider; ok: Confirmation }> {
  const boss = await admin(env);
  const password = `pw-${Math.random().toString(36).slice(2)}-long`;
  const username = unique('u');
  const credential = (boss as unknown as { credential: string }).credential;
  const response = await call(env.serverUrl, 'POST', '/api/v1/users', { token: credential, body: { username, display_name: `User ${username}`, password, roles } });
  if (response.status !== 201) throw new Error(`creating a user failed: ${response.status} ${response.text}`);
  const provider = new ReferenceServerProvider({ baseUrl: env.serverUrl });
  const signedIn = await provider.signIn({ kind: 'password', username, password });
  return { user: signedIn.user, password, provider, ok: { password } };
}

/** What an admin passes for sensitive operations: the password (policy) and the System Admin acknowledgement. */
export function adminOk(env: ContractEnv): Confirmation {
  return { password: env.adminPassword, acknowledge_admin_token: true };
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

export const referenceServerContractCases: ContractCase[] = [
  {
    name: 'the registry creates a patkit provider and lists its descriptor',
    async run(env) {
      const provider = await createProvider('patkit', { baseUrl: `${env.serverUrl}/` });
      ok(provider instanceof ReferenceServerProvider, 'a ReferenceServerProvider');
      equal(provider.descriptor.kind, 'patkit', 'kind');
      ok(providerKinds().some((d) => d.kind === 'patkit'), 'patkit is listed');
      await rejectsWith(Promise.resolve().then(() => createProvider('gitlab-nope', { baseUrl: env.serverUrl })), 'validation_failed');
    },
  },
  {
    name: 'signs in with a password, reads the current user, signs out (the session then fails)',
    async run(env) {
      const provider = new ReferenceServerProvider({ baseUrl: env.serverUrl });
      const signedIn = await provider.signIn({ kind: 'password', username: 'admin', password: env.adminPassword });
      equal(signedIn.user.username, 'admin', 'user');
      ok(signedIn.credential.startsWith('pks_'), 'a session credential');
      ok(signedIn.expires_at === null || !Number.isNaN(Date.parse(signedIn.expires_at)), 'expiry is a time');
      equal((await provider.currentUser()).id, signedIn.user.id, 'current user');
      await provider.signOut();
      await rejectsWith(provider.currentUser(), 'unauthorized', 'no_credential');
      const stale = new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: signedIn.credential });
      await rejectsWith(stale.currentUser(), 'unauthorized');
    },
  },
  {
    name: 'a wrong password is unauthorized (invalid_credentials) and leaves the provider signed out',
    async run(env) {
      const provider = new ReferenceServerProvider({ baseUrl: env.serverUrl });
      await rejectsWith(provider.signIn({ kind: 'password', username: 'admin', password: 'definitely-wrong' }), 'unauthorized', 'invalid_credentials');
      await rejectsWith(provider.listTokens(), 'unauthorized');
    },
  },
  {
    name: 'signs in with a pasted PAT; a malformed one is refused; a PAT cannot be signed out on the server but is forgotten',
    async run(env) {
      const boss = await admin(env);
      const created = await boss.createToken({ name: unique('paste'), scopes: ['tokens:read'] }, adminOk(env));
      const viaPat = new ReferenceServerProvider({ baseUrl: env.serverUrl });
      const signedIn = await viaPat.signIn({ kind: 'token', token: created.secret });
      equal(signedIn.user.username, 'admin', 'PAT owner');
      ok((await viaPat.listTokens()).items.some((t) => t.id === created.token.id), 'PAT can read tokens');
      // The token has only tokens:read: writing is forbidden (insufficient_scope).
      await rejectsWith(viaPat.createToken({ name: unique('nope'), scopes: [] }), 'forbidden', 'insufficient_scope');
      await viaPat.signOut();
      await rejectsWith(viaPat.listTokens(), 'unauthorized', 'no_credential');
      const bad = new ReferenceServerProvider({ baseUrl: env.serverUrl });
      await rejectsWith(bad.signIn({ kind: 'token', token: 'pat_' + '0'.repeat(36) }), 'unauthorized', 'malformed_token');
      await rejectsWith(bad.currentUser(), 'unauthorized', 'no_credential');
    },
  },
  {
    name: 'capabilities: base before sign-in, narrowed by settings and permissions after',
    async run(env) {
      const anonymous = new ReferenceServerProvider({ baseUrl: env.serverUrl });
      const base = await anonymous.refreshCapabilities();
      equal(base.scopes, 'custom', 'custom scopes');
      equal(base.adminInventory, false, 'no admin features before sign-in');
      equal(base.passwordConfirmation, 'policy', 'policy unknown yet');
      ok(base.regenerate && base.clone && base.disable && base.bulkDelete && base.update && base.lastUsed && base.names, 'token operations');
      const boss = await admin(env);
      const caps = await boss.refreshCapabilities();
      const settings = await boss.getSettings();
      ok(caps.adminInventory && caps.createForOthers && caps.roles && caps.userActivation && caps.audit && caps.settings, 'admin capabilities');
      equal(caps.passwordConfirmation, settings.require_password_confirmation ? 'always' : 'never', 'password policy');
      equal(caps.expiry.mode, settings.allow_no_expiry ? 'optional' : 'required', 'expiry mode');
      equal(caps.expiry.maxLifetimeDays, settings.max_lifetime_days > 0 ? settings.max_lifetime_days : null, 'max lifetime');
      const { provider: member } = await newUser(env);
      const memberCaps = await member.refreshCapabilities();
      ok(!memberCaps.adminInventory && !memberCaps.roles && !memberCaps.audit && !memberCaps.settings, 'members get no admin features');
    },
  },
  {
    name: 'creates a token: the secret once, in the published format; metadata everywhere else',
    async run(env) {
      const boss = await admin(env);
      const name = unique('create');
      const expires = inDays(30);
      const created = await boss.createToken({ name, description: 'for CI', expires_at: expires, scopes: ['tokens:read', 'tokens:write'] }, adminOk(env));
      ok(PATKIT_TOKEN_PATTERN.test(created.secret), `secret format: ${created.secret.slice(0, 6)}…`);
      equal(created.token.name, name, 'name');
      equal(created.token.description, 'for CI', 'description');
      equal(Date.parse(created.token.expires_at ?? ''), Date.parse(expires), 'expiry');
      equal(created.token.scopes.slice().sort(), ['tokens:read', 'tokens:write'], 'scopes');
      equal(created.token.status, 'active', 'status');
      equal(created.token.last4, created.secret.slice(-4), 'last4');
      ok(!('secret' in created.token), 'metadata has no secret');
      const got = await boss.getToken(created.token.id);
      equal(got.id, created.token.id, 'get');
      ok(!JSON.stringify(got).includes(created.secret), 'get never returns the secret');
      const listed = await boss.listTokens({ text: name });
      equal(listed.items.map((t) => t.id), [created.token.id], 'search by text');
      ok(!JSON.stringify(listed).includes(created.secret), 'list never returns the secret');
    },
  },
  {
    name: 'lists with status, sort, order and cursor paging',
    async run(env) {
      const { provider, ok: memberOk } = await newUser(env);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await provider.createToken({ name: `page-${i}`, scopes: ['tokens:read'] }, memberOk)).token.id);
      await provider.disableToken(ids[0] as string);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await provider.listTokens({ sort: 'name', order: 'asc', limit: 2, cursor });
        ok(page.items.length <= 2, 'page size');
        seen.push(...page.items.map((t) => t.name));
        cursor = page.next_cursor;
      } while (cursor !== null);
      equal(seen, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4'], 'every token once, in order');
      const disabled = await provider.listTokens({ status: 'disabled' });
      equal(disabled.items.map((t) => t.id), [ids[0]], 'status filter');
      await rejectsWith(provider.listTokens({ cursor: 'not-a-cursor' }), 'validation_failed');
    },
  },
  {
    name: 'updates, regenerates (the old secret dies), clones, disables, enables',
    async run(env) {
      const boss = await admin(env);
      const created = await boss.createToken({ name: unique('life'), scopes: ['tokens:read'] }, adminOk(env));
      const id = created.token.id;
      const updated = await boss.updateToken(id, { name: 'renamed', description: 'changed' });
      equal([updated.name, updated.description], ['renamed', 'changed'], 'update');
      const regenerated = await boss.regenerateToken(id, adminOk(env));
      ok(PATKIT_TOKEN_PATTERN.test(regenerated.secret) && regenerated.secret !== created.secret, 'a new secret');
      equal(regenerated.token.id, id, 'same token id');
      await rejectsWith(new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: created.secret }).currentUser(), 'unauthorized');
      const viaNew = new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: regenerated.secret });
      equal((await viaNew.currentUser()).username, 'admin', 'new secret works');
      const clone = await boss.cloneToken(id, { name: unique('clone') }, adminOk(env));
      ok(clone.token.id !== id && clone.secret !== regenerated.secret, 'a new token');
      equal(clone.token.scopes, regenerated.token.scopes, 'clone keeps scopes');
      const disabled = await boss.disableToken(id);
      equal(disabled.status, 'disabled', 'disabled');
      await rejectsWith(viaNew.currentUser(), 'unauthorized', 'token_disabled');
      const enabled = await boss.enableToken(id, adminOk(env));
      equal(enabled.status, 'active', 'enabled');
      equal((await viaNew.currentUser()).username, 'admin', 'works again');
    },
  },
  {
    name: 'deletes one and bulk-deletes many; a deleted token is not_found',
    async run(env) {
      const boss = await admin(env);
      const a = await boss.createToken({ name: unique('del'), scopes: [] }, adminOk(env));
      await boss.deleteToken(a.token.id, adminOk(env));
      await rejectsWith(boss.getToken(a.token.id), 'not_found');
      await rejectsWith(boss.deleteToken(a.token.id, adminOk(env)), 'not_found');
      const b = await boss.createToken({ name: unique('bulk'), scopes: [] }, adminOk(env));
      const c = await boss.createToken({ name: unique('bulk'), scopes: [] }, adminOk(env));
      // All or nothing: one unknown id deletes none.
      await rejectsWith(boss.bulkDeleteTokens([b.token.id, 'tok_doesnotexist000'], adminOk(env)), 'not_found');
      equal((await boss.getToken(b.token.id)).id, b.token.id, 'nothing deleted');
      const deleted = await boss.bulkDeleteTokens([b.token.id, c.token.id], adminOk(env));
      equal(deleted.slice().sort(), [b.token.id, c.token.id].sort(), 'both deleted');
      await rejectsWith(boss.getToken(c.token.id), 'not_found');
    },
  },
  {
    name: 'validation errors carry field errors',
    async run(env) {
      const boss = await admin(env);
      const e = await rejectsWith(boss.createToken({ name: '', scopes: ['tokens:read'] }, adminOk(env)), 'validation_failed');
      ok(e.fieldErrors.length > 0 || e.message.length > 0, 'explains what is wrong');
      const past = await rejectsWith(boss.createToken({ name: unique('past'), expires_at: inDays(-1), scopes: [] }, adminOk(env)), 'validation_failed');
      ok(past.fieldErrors.some((f) => f.field.includes('expires_at')) || /expir/i.test(past.message), `names the expiry: ${past.message}`);
      await rejectsWith(boss.createToken({ name: unique('scope'), scopes: ['no:such-scope'] }, adminOk(env)), 'validation_failed');
    },
  },
  {
    name: 'admin scopes need an explicit acknowledgement (admin_token_acknowledgement_required)',
    async run(env) {
      const boss = await admin(env);
      const draft = { name: unique('admin'), scopes: ['users:write', 'tokens:write'] };
      await rejectsWith(boss.createToken(draft, { password: env.adminPassword }), 'admin_token_acknowledgement_required');
      const created = await boss.createToken(draft, adminOk(env));
      // A member's token with the same scopes needs no acknowledgement (it carries no admin rights).
      const { provider: member, ok: memberOk } = await newUser(env);
      ok((await member.createToken({ name: unique('member'), scopes: ['tokens:read'] }, memberOk)).secret, 'member token');
      ok(PATKIT_TOKEN_PATTERN.test(created.secret), 'created after acknowledging');
    },
  },
  {
    name: 'users, roles, activation: list, assign, deactivate (tokens die), reactivate (they work again); members are forbidden',
    async run(env) {
      const boss = await admin(env);
      const { user, password, provider: member, ok: memberOk } = await newUser(env);
      const pat = await member.createToken({ name: unique('member'), scopes: ['tokens:read'] }, memberOk);
      const users = await boss.listUsers({ text: user.username });
      equal(users.items.map((u) => u.id), [user.id], 'search users');
      const roles = await boss.listRoles();
      ok(roles.some((r) => r.id === 'system_admin') && roles.every((r) => Array.isArray(r.permissions)), 'role catalog');
      const promoted = await boss.setUserRoles(user.id, ['system_user', 'user_access_token', 'post_all']);
      equal(promoted.roles.slice().sort(), ['post_all', 'system_user', 'user_access_token'], 'roles set');
      ok(promoted.permissions.includes('post:all'), 'permissions follow roles');
      await rejectsWith(boss.setUserRoles(user.id, ['no_such_role']), 'validation_failed');
      const viaPat = new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: pat.secret });
      equal((await viaPat.currentUser()).id, user.id, 'PAT works');
      const off = await boss.setUserActive(user.id, false);
      equal(off.active, false, 'deactivated');
      await rejectsWith(viaPat.currentUser(), 'unauthorized');
      const on = await boss.setUserActive(user.id, true);
      equal(on.active, true, 'reactivated');
      equal((await viaPat.currentUser()).id, user.id, 'PAT works again');
      // Deactivation ended the member's sessions (as on Mattermost): a new sign-in is needed.
      await rejectsWith(member.currentUser(), 'unauthorized', 'session_expired');
      await member.signIn({ kind: 'password', username: user.username, password });
      await rejectsWith(member.listUsers(), 'forbidden');
      await rejectsWith(member.listTokens({ owner: 'all' }), 'forbidden');
      await rejectsWith(boss.setUserActive('usr_doesnotexist', false), 'not_found');
      // The server refuses to let an admin lock themselves out: a conflict, not a validation error.
      await rejectsWith(boss.setUserActive((await boss.currentUser()).id, false), 'conflict');
    },
  },
  {
    name: 'admins see and manage everyone\'s tokens; create for another user',
    async run(env) {
      const boss = await admin(env);
      const { user, provider: member, ok: memberOk } = await newUser(env);
      const own = await member.createToken({ name: unique('own'), scopes: [] }, memberOk);
      const all = await boss.listTokens({ owner: user.id });
      equal(all.items.map((t) => t.id), [own.token.id], 'by owner');
      const forThem = await boss.createToken({ name: unique('given'), scopes: ['tokens:read'], owner_id: user.id }, adminOk(env));
      equal(forThem.token.owner.id, user.id, 'owner');
      ok((await member.listTokens()).items.some((t) => t.id === forThem.token.id), 'the member sees it');
      await rejectsWith(member.getToken((await boss.createToken({ name: unique('boss'), scopes: [] }, adminOk(env))).token.id), 'not_found');
    },
  },
  {
    name: 'scope catalog, settings, password confirmation policy (required / incorrect / accepted)',
    async run(env) {
      const boss = await admin(env);
      const catalog = await boss.scopeCatalog();
      ok(catalog.scopes.some((s) => s.id === 'tokens:read'), 'scopes');
      ok(catalog.presets.length > 0, 'presets');
      ok(catalog.scopes.every((s) => s.docs_url === null || /^https?:/.test(s.docs_url)), 'only http(s) docs links');
      const before = await boss.getSettings();
      const strict = await boss.updateSettings({ require_password_confirmation: true });
      equal(strict.require_password_confirmation, true, 'policy on');
      equal(boss.capabilities.passwordConfirmation, 'always', 'capabilities follow');
      const ack = { acknowledge_admin_token: true };
      try {
        await rejectsWith(boss.createToken({ name: unique('pw'), scopes: [] }, ack), 'password_confirmation_required');
        await rejectsWith(boss.createToken({ name: unique('pw'), scopes: [] }, { ...ack, password: 'not-the-password' }), 'password_incorrect');
        const created = await boss.createToken({ name: unique('pw'), scopes: [] }, adminOk(env));
        await rejectsWith(boss.regenerateToken(created.token.id), 'password_confirmation_required');
        await rejectsWith(boss.deleteToken(created.token.id), 'password_confirmation_required');
        await boss.deleteToken(created.token.id, adminOk(env));
        const lax = await boss.updateSettings({ require_password_confirmation: false });
        equal(lax.require_password_confirmation, false, 'policy off');
        equal(boss.capabilities.passwordConfirmation, 'never', 'capabilities follow');
        const free = await boss.createToken({ name: unique('nopw'), scopes: [] }, ack);
        await boss.deleteToken(free.token.id);
      } finally {
        await boss.updateSettings({ require_password_confirmation: before.require_password_confirmation });
      }
      equal(boss.capabilities.passwordConfirmation, before.require_password_confirmation ? 'always' : 'never', 'policy restored');
    },
  },
  {
    name: 'PATs turned off on the server: creating is feature_disabled',
    async run(env) {
      const boss = await admin(env);
      await boss.updateSettings({ enable_personal_access_tokens: false });
      try {
        await rejectsWith(boss.createToken({ name: unique('off'), scopes: [] }, adminOk(env)), 'feature_disabled', 'personal_access_tokens_disabled');
      } finally {
        await boss.updateSettings({ enable_personal_access_tokens: true });
      }
      ok((await boss.createToken({ name: unique('on'), scopes: [] }, adminOk(env))).secret.length > 0, 'works when on again');
    },
  },
  {
    name: 'the audit log records lifecycle events without secrets',
    async run(env) {
      const boss = await admin(env);
      const created = await boss.createToken({ name: unique('audit'), scopes: [] }, adminOk(env));
      await boss.disableToken(created.token.id);
      const page = await boss.listAudit({ token_id: created.token.id });
      ok(page.items.length >= 2, `events: ${page.items.map((e) => e.action).join(', ')}`);
      ok(page.items.every((e) => e.token_id === created.token.id), 'filtered by token');
      ok(!JSON.stringify(page).includes(created.secret), 'no secret in the log');
    },
  },
  {
    name: 'too many failed sign-ins for one account are rate_limited with a retry-after',
    async run(env) {
      const provider = new ReferenceServerProvider({ baseUrl: env.serverUrl });
      const username = unique('throttled');
      let limited: ProviderError | undefined;
      for (let i = 0; i < 15 && !limited; i++) {
        try {
          await provider.signIn({ kind: 'password', username, password: 'wrong-password' });
        } catch (error) {
          if (error instanceof ProviderError && error.code === 'rate_limited') limited = error;
          else if (!(error instanceof ProviderError && error.code === 'unauthorized')) throw error;
        }
      }
      ok(limited, 'rate limited within 15 attempts');
      ok((limited.retryAfter ?? 0) > 0, `retry-after: ${limited.retryAfter}`);
    },
  },
];
