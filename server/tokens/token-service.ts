/**
 * The token lifecycle as services the routes call: create, clone, regenerate, change, disable,
 * enable, delete. Each checks who may (`ownership.ts`), applies the policies (`expiry.ts`,
 * `grace.ts`, password confirmation), writes through the store with its audit entry, and returns
 * the stored token (with the new secret where one was made).
 */
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { issueTokenSecret, publicId } from '../auth/credentials.ts';
import { confirmPassword } from '../auth/password-confirmation.ts';
import type { Caller } from '../auth/principal.ts';
import { problems } from '../http/problems.ts';
import type { Store, TokenRecord } from '../store/store.ts';
import { cloneExpiry, resolveExpiry } from './expiry.ts';
import { graceUntil } from './grace.ts';
import { ownerForNewToken, requireAdminAcknowledgement, visibleToken } from './ownership.ts';
import { graceRunning } from './token-dto.ts';
import { lifetimeExceedsPolicy } from '../auth/token-policy.ts';
import { approvalFor, checkOrgLifetime, governingOrgIds, governingOrgs, normaliseAllowedIps, policyWidened, resolveNotBefore, type PolicyFields, type ResourceBound } from './token-policies.ts';
import { requestCreatedAudit } from './token-requests.ts';
import { requireWithinResources } from '../auth/resource-bounds.ts';
import { resolveResources } from '../resources/resource-service.ts';
import { applyTemplate } from '../templates/template-apply.ts';

export interface IssuedToken {
  token: TokenRecord;
  secret: string;
}

export async function requirePatsEnabled(ctx: { store: Store }): Promise<void> {
  if (!(await ctx.store.getSettings()).enable_personal_access_tokens) throw problems.patsDisabled(403);
}

function validScopes(ctx: AppContext, scopes: string[]): string[] {
  const unknown = scopes.filter((s) => !ctx.catalog.isScope(s));
  if (unknown.length) throw problems.field('scopes', `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}.`);
  return [...new Set(scopes)];
}

export interface NewTokenRequest extends PolicyFields {
  owner_id?: string;
  name: string;
  description?: string;
  expires_at?: string | null;
  /** Required unless a template gives them. */
  scopes?: string[];
  acknowledge_admin_token?: boolean;
  password?: string;
  resources?: ResourceBound[];
  template_id?: string;
}

/** The request as a template narrows it (none: as sent); scopes are then required. */
async function templated(ctx: AppContext, body: NewTokenRequest): Promise<NewTokenRequest & { scopes: string[] }> {
  let request = body;
  if (body.template_id !== undefined) {
    const template = await ctx.store.resources.getTemplate(body.template_id);
    if (!template) throw problems.field('template_id', 'template_id names no template.');
    request = applyTemplate(template, body, ctx.now());
  }
  const { scopes } = request;
  if (scopes === undefined) throw problems.validation('The body is not valid: "scopes" is required.', [{ field: 'scopes', message: '"scopes" is required.' }]);
  return { ...request, scopes };
}

export async function createToken(ctx: AppContext, caller: Caller, sent: NewTokenRequest): Promise<IssuedToken> {
  const { principal } = caller;
  await requirePatsEnabled(ctx);
  const body = await templated(ctx, sent);
  const owner = await ownerForNewToken(ctx, principal, body.owner_id);
  const scopes = validScopes(ctx, body.scopes);
  const expiresAt = await resolveExpiry(ctx, body.expires_at);
  const resources = await resolveResources(ctx, principal, body.resources);
  // A bounded token cannot make a wider one (docs/security.md rule 38).
  requireWithinResources(principal, resources);
  // Every organisation owning one of its resources governs the token (docs/security.md rules 35, 36).
  const orgs = await governingOrgs(ctx, governingOrgIds(null, resources));
  checkOrgLifetime(orgs, expiresAt, ctx.now());
  const allowedIps = normaliseAllowedIps(body.allowed_ips ?? []);
  const notBefore = resolveNotBefore(body.not_before, expiresAt);
  const approval = await approvalFor(ctx, principal, orgs, body.justification);
  requireAdminAcknowledgement(owner, body.acknowledge_admin_token);
  await confirmPassword(ctx, caller, body.password, 'create a token');
  const fresh = issueTokenSecret(ctx.pepper);
  const id = publicId('tok');
  // The store checks again that the owner is still active: a ConflictError, answered 409 (docs/security.md rule 27).
  const token = await ctx.store.insertToken(
    {
      id,
      digest: fresh.digest,
      last4: fresh.last4,
      owner_kind: 'user',
      owner_user_id: owner.id,
      owner_scope_id: null,
      owner_scope_name: null,
      name: body.name,
      description: body.description ?? '',
      created_at: nowIso(ctx),
      created_by_id: principal.user.id,
      expires_at: expiresAt,
      scopes,
      allowed_ips: allowedIps,
      not_before: notBefore,
      approval,
      policy_org_ids: orgs.map((o) => o.id),
      resources,
      template_id: body.template_id ?? null,
    },
    auditEntry(ctx, caller, 'token.created', {
      token_id: id,
      owner_id: owner.id,
      detail: { name: body.name, scopes: scopes.join(' '), expires_at: expiresAt, ...boundsDetail(resources, body.template_id) },
    }),
    approval ? [requestCreatedAudit(ctx, caller, id, owner.id, approval.justification)] : [],
  );
  return { token, secret: fresh.secret };
}

export interface CloneRequest {
  name?: string;
  description?: string;
  expires_at?: string | null;
  acknowledge_admin_token?: boolean;
  password?: string;
}

/** What the audit log records of a token's resources and template. */
function boundsDetail(resources: { type: string; id: string }[], templateId: string | undefined | null): Record<string, string> {
  return {
    ...(resources.length ? { resources: resources.map((r) => `${r.type}/${r.id}`).join(' ') } : {}),
    ...(templateId ? { template_id: templateId } : {}),
  };
}

/** A new token with the owner, scopes (those still known), lifetime and resources of an existing one. */
export async function cloneToken(ctx: AppContext, caller: Caller, sourceId: string, body: CloneRequest): Promise<IssuedToken> {
  const { principal } = caller;
  await requirePatsEnabled(ctx);
  const source = await visibleToken(ctx, principal, sourceId, false);
  if (source.owner.kind !== 'user') {
    throw problems.conflict('Organization and group tokens cannot be cloned: each has its own technical user. Create a new one.');
  }
  const owner = await ownerForNewToken(ctx, principal, source.owner.user_id);
  const scopes = source.scopes.filter((s) => ctx.catalog.isScope(s));
  const expiresAt = await cloneExpiry(ctx, source, body.expires_at);
  // The clone is governed as its source is, and asks for approval as a new token would.
  const orgs = await governingOrgs(ctx, await ctx.store.tokenPolicyOrgIds(source.id));
  checkOrgLifetime(orgs, expiresAt, ctx.now());
  const approval = await approvalFor(ctx, principal, orgs, undefined);
  requireWithinResources(principal, source.resources);
  requireAdminAcknowledgement(owner, body.acknowledge_admin_token);
  await confirmPassword(ctx, caller, body.password, 'clone this token');
  const fresh = issueTokenSecret(ctx.pepper);
  const id = publicId('tok');
  const name = body.name ?? `${source.name} (copy)`.slice(0, 100);
  const token = await ctx.store.insertToken(
    {
      id,
      digest: fresh.digest,
      last4: fresh.last4,
      owner_kind: source.owner.kind,
      owner_user_id: owner.id,
      owner_scope_id: source.owner.scope_id,
      owner_scope_name: source.owner.scope_name,
      name,
      description: body.description ?? source.description,
      created_at: nowIso(ctx),
      created_by_id: principal.user.id,
      expires_at: expiresAt,
      scopes,
      allowed_ips: source.allowed_ips,
      approval,
      policy_org_ids: orgs.map((o) => o.id),
      resources: source.resources,
    },
    auditEntry(ctx, caller, 'token.cloned', {
      token_id: id,
      owner_id: owner.id,
      detail: { source_token_id: source.id, name, scopes: scopes.join(' '), expires_at: expiresAt, ...boundsDetail(source.resources, null) },
    }),
    approval ? [requestCreatedAudit(ctx, caller, id, owner.id, approval.justification)] : [],
  );
  return { token, secret: fresh.secret };
}

/**
 * A new secret, same parameters (or a new expiry); the old one dies now or at the end of the grace
 * period asked for. The lifetime then counts from now and must meet the caps in force (docs/security.md rule 36).
 */
export async function regenerateToken(
  ctx: AppContext,
  caller: Caller,
  id: string,
  body: { grace_period_seconds?: number; password?: string; expires_at?: string | null },
): Promise<IssuedToken> {
  await requirePatsEnabled(ctx);
  const token = await visibleToken(ctx, caller.principal, id, true);
  const newExpiry = body.expires_at === undefined ? undefined : await resolveExpiry(ctx, body.expires_at);
  if (lifetimeExceedsPolicy(nowIso(ctx), newExpiry === undefined ? token.expires_at : newExpiry, token.lifetime_policy)) {
    throw problems.field('expires_at', 'This token lives longer than the lifetime policy allows: regenerate it with an expiry within the policy.');
  }
  const grace = body.grace_period_seconds ?? 0;
  const until = await graceUntil(ctx, token, grace);
  await confirmPassword(ctx, caller, body.password, 'regenerate this token');
  return replaceSecret(ctx, caller, token, grace, until, {}, newExpiry);
}

/**
 * Writes a new secret for `token`, the old one valid until `until` (null: dead now), audited
 * `token.regenerated` with `detail`. Regenerate and self-rotation both end here.
 */
export async function replaceSecret(
  ctx: AppContext,
  caller: Caller,
  token: TokenRecord,
  grace: number,
  until: string | null,
  detail: Record<string, boolean>,
  newExpiry?: string | null,
): Promise<IssuedToken> {
  const fresh = issueTokenSecret(ctx.pepper);
  const endedGrace = graceRunning(token, ctx.now());
  // "Active" was checked before the password check; the store checks it again as it writes the grace,
  // so a disable or leak report meanwhile is a 409, never a revived secret (docs/security.md rule 27).
  const updated = await ctx.store.replaceTokenSecret(
    token.id,
    fresh.digest,
    fresh.last4,
    nowIso(ctx),
    until,
    auditEntry(ctx, caller, 'token.regenerated', {
      token_id: token.id,
      owner_id: token.owner.user_id,
      detail: {
        grace_period_seconds: grace,
        previous_valid_until: until,
        ...(endedGrace ? { ended_previous_grace: true } : {}),
        ...(newExpiry !== undefined ? { expires_at: newExpiry } : {}),
        ...detail,
      },
    }),
    newExpiry,
  );
  if (!updated) throw problems.notFound('That token');
  return { token: updated, secret: fresh.secret };
}

export interface TokenChange {
  name?: string;
  description?: string;
  expires_at?: string | null;
  scopes?: string[];
  password?: string;
  allowed_ips?: string[];
  not_before?: string | null;
  /** Refused: what a token is bounded to is fixed when it is made. */
  resources?: unknown;
}

/**
 * Changes name, description, expiry, scopes, allow-list or not-before; giving a token more scopes,
 * more addresses or an earlier start needs the password.
 */
export async function updateToken(ctx: AppContext, caller: Caller, id: string, body: TokenChange): Promise<TokenRecord> {
  const token = await visibleToken(ctx, caller.principal, id, true);
  if (body.resources !== undefined) throw problems.field('resources', 'What a token is bounded to cannot change: create a new token.');
  const scopes = body.scopes === undefined ? undefined : validScopes(ctx, body.scopes);
  const expiresAt = body.expires_at === undefined ? undefined : await resolveExpiry(ctx, body.expires_at);
  if (expiresAt !== undefined && lifetimeExceedsPolicy(token.issued_at, expiresAt, token.lifetime_policy)) {
    throw problems.field('expires_at', 'The lifetime counts from the last regenerate and would exceed the lifetime policy: regenerate the token with this expiry instead.');
  }
  const allowedIps = body.allowed_ips === undefined ? undefined : normaliseAllowedIps(body.allowed_ips);
  const notBefore = body.not_before === undefined ? undefined : resolveNotBefore(body.not_before, expiresAt === undefined ? token.expires_at : expiresAt);
  if (notBefore === undefined && expiresAt != null && token.not_before !== null && token.not_before >= expiresAt) {
    throw problems.field('expires_at', 'expires_at must be after the token’s not_before.');
  }
  const widened = scopes?.filter((s) => !token.scopes.includes(s)) ?? [];
  if (widened.length) await confirmPassword(ctx, caller, body.password, 'give this token more scopes');
  else if (policyWidened(token, { allowed_ips: allowedIps, not_before: notBefore })) {
    await confirmPassword(ctx, caller, body.password, 'let this token work from more addresses or sooner');
  }
  const changed = Object.keys(body).filter((k) => k !== 'password');
  if (changed.length === 0) return token;
  // Whether the password was needed was decided on the token read above: scopes, allow-list and
  // not-before are written only if the token is still that version, so a concurrent narrowing is not
  // undone (docs/security.md rule 27).
  const guarded = scopes !== undefined || allowedIps !== undefined || notBefore !== undefined;
  const guard = guarded ? { unchanged_since: token.updated_at } : {};
  const updated = await ctx.store.updateToken(
    token.id,
    { name: body.name, description: body.description, expires_at: expiresAt, scopes, allowed_ips: allowedIps, not_before: notBefore, ...guard },
    auditEntry(ctx, caller, 'token.updated', {
      token_id: token.id,
      owner_id: token.owner.user_id,
      detail: { fields: changed.join(' '), ...(widened.length ? { added_scopes: widened.join(' ') } : {}) },
    }),
  );
  if (!updated) throw problems.notFound('That token');
  return updated;
}

/** Disables a token (a running grace period ends with it); enabling brings it back. */
export async function disableToken(ctx: AppContext, caller: Caller, id: string): Promise<TokenRecord> {
  const token = await visibleToken(ctx, caller.principal, id, true);
  if (token.disabled) return token;
  const updated = await ctx.store.updateToken(
    token.id,
    { disabled: true },
    auditEntry(ctx, caller, 'token.disabled', {
      token_id: token.id,
      owner_id: token.owner.user_id,
      detail: graceRunning(token, ctx.now()) ? { ended_grace: true } : {},
    }),
  );
  if (!updated) throw problems.notFound('That token');
  return updated;
}

export async function enableToken(ctx: AppContext, caller: Caller, id: string, password: string | undefined): Promise<TokenRecord> {
  const token = await visibleToken(ctx, caller.principal, id, true);
  if (!token.disabled) return token;
  await confirmPassword(ctx, caller, password, 'enable this token');
  // Only the version that was read is enabled: a leak report (or any change) during the password
  // check is not undone behind the caller's back; a 409 instead (docs/security.md rule 27).
  const audit = auditEntry(ctx, caller, 'token.enabled', { token_id: token.id, owner_id: token.owner.user_id });
  const updated = await ctx.store.updateToken(token.id, { disabled: false, unchanged_since: token.updated_at }, audit);
  if (!updated) throw problems.notFound('That token');
  return updated;
}

export async function deleteToken(ctx: AppContext, caller: Caller, id: string, password: string | undefined): Promise<void> {
  const token = await visibleToken(ctx, caller.principal, id, true);
  await confirmPassword(ctx, caller, password, 'delete this token');
  const deleted = await ctx.store.deleteTokens(
    [token.id],
    [auditEntry(ctx, caller, 'token.deleted', { token_id: token.id, owner_id: token.owner.user_id, detail: { name: token.name } })],
  );
  if (deleted === null) throw problems.notFound('That token');
  ctx.auth.forgetTokens([token.id]);
}

/** Deletes several tokens, all or nothing; returns the ids deleted. */
export async function deleteTokens(ctx: AppContext, caller: Caller, ids: string[], password: string | undefined): Promise<string[]> {
  const unique = [...new Set(ids)];
  const tokens: TokenRecord[] = [];
  for (const id of unique) tokens.push(await visibleToken(ctx, caller.principal, id, true));
  await confirmPassword(ctx, caller, password, 'delete these tokens');
  const deleted = await ctx.store.deleteTokens(
    unique,
    tokens.map((t) => auditEntry(ctx, caller, 'token.deleted', { token_id: t.id, owner_id: t.owner.user_id, detail: { name: t.name, bulk: true } })),
  );
  if (deleted === null) throw problems.notFound('One of those tokens');
  ctx.auth.forgetTokens(deleted);
  return deleted;
}
