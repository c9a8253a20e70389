/**
 * Tokens of an organisation or group: each comes with its own technical user, a member of that level
 * with the token's role; the token's scopes are the level's permission ids for that role.
 */
import type { MemberRole } from '../../lib/model.ts';
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { issueTokenSecret, publicId } from '../auth/credentials.ts';
import { levelPermissions } from '../auth/org-access.ts';
import { confirmPassword } from '../auth/password-confirmation.ts';
import type { Caller } from '../auth/principal.ts';
import type { ScopeKind } from '../store/org-store.ts';
import { resolveExpiry } from '../tokens/expiry.ts';
import { requirePatsEnabled, type IssuedToken } from '../tokens/token-service.ts';
import { approvalFor, checkOrgLifetime, governingOrgIds, governingOrgs, normaliseAllowedIps, resolveNotBefore, type PolicyFields } from '../tokens/token-policies.ts';
import { requestCreatedAudit } from '../tokens/token-requests.ts';
import { LEVEL_LABEL } from './org-levels.ts';

export interface ScopedTokenRequest extends PolicyFields {
  name: string;
  description?: string;
  expires_at?: string | null;
  admin_role: boolean;
  password?: string;
}

export async function createScopedToken(
  ctx: AppContext,
  caller: Caller,
  kind: ScopeKind,
  level: { id: string; name: string; org_id?: string },
  body: ScopedTokenRequest,
): Promise<IssuedToken> {
  await requirePatsEnabled(ctx);
  const expiresAt = await resolveExpiry(ctx, body.expires_at);
  const orgId = kind === 'organization' ? level.id : (level.org_id ?? level.id);
  // The organisation governs its own and its groups' tokens (docs/security.md rules 35, 36).
  const orgs = await governingOrgs(ctx, governingOrgIds(orgId));
  checkOrgLifetime(orgs, expiresAt, ctx.now());
  const allowedIps = normaliseAllowedIps(body.allowed_ips ?? []);
  const notBefore = resolveNotBefore(body.not_before, expiresAt);
  const approval = await approvalFor(ctx, caller.principal, orgs, body.justification);
  await confirmPassword(ctx, caller, body.password, `create an access token for this ${LEVEL_LABEL[kind]}`);
  const role: MemberRole = body.admin_role ? 'admin' : 'user';
  const scopes = levelPermissions(kind, level.id, role);
  const fresh = issueTokenSecret(ctx.pepper);
  const tokenId = publicId('tok');
  const userId = publicId('usr');
  const at = nowIso(ctx);
  const username = `${kind === 'organization' ? 'org' : 'group'}-token-${tokenId.slice(4)}`;
  const detail = { owner_kind: kind, scope_id: level.id, admin_role: body.admin_role };
  // A creator who may do this by an admin membership (not by users:write) must still hold it when the
  // token is written: the store checks it again under the membership's row lock (docs/security.md rule 27).
  const creator = caller.principal.effective.has('users:write')
    ? undefined
    : { user_id: caller.principal.user.id, org_id: orgId, group_id: kind === 'group' ? level.id : null };
  const token = await ctx.store.orgs.createScopedToken(
    { id: userId, username, display_name: `${level.name} · ${body.name}`.slice(0, 200), kind: 'technical', password_hash: null, roles: [], created_at: at },
    role,
    {
      id: tokenId,
      digest: fresh.digest,
      last4: fresh.last4,
      owner_kind: kind,
      owner_user_id: userId,
      owner_scope_id: level.id,
      owner_scope_name: level.name,
      name: body.name,
      description: body.description ?? '',
      created_at: at,
      created_by_id: caller.principal.user.id,
      expires_at: expiresAt,
      scopes,
      allowed_ips: allowedIps,
      not_before: notBefore,
      approval,
      policy_org_ids: orgs.map((o) => o.id),
    },
    [
      auditEntry(ctx, caller, 'user.created', { token_id: tokenId, owner_id: userId, detail: { ...detail, username, technical: true } }),
      auditEntry(ctx, caller, 'token.created', { token_id: tokenId, owner_id: userId, detail: { ...detail, name: body.name, scopes: scopes.join(' '), expires_at: expiresAt } }),
      ...(approval ? [requestCreatedAudit(ctx, caller, tokenId, userId, approval.justification)] : []),
    ],
    creator,
  );
  return { token, secret: fresh.secret };
}
