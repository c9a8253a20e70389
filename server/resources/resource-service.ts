/**
 * The resource registry (a host app registers what tokens may be bounded to) and the resolution of
 * the resources a token or template names: each must be of a declared type and exist, in the
 * registry or, for the built-in type `organization`, among patkit's organisations.
 */
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { accessTo } from '../auth/org-access.ts';
import type { Caller, Principal } from '../auth/principal.ts';
import { ORGANIZATION_TYPE } from '../catalog/resource-types.ts';
import { decodeCursor, pageFrom, parseLimit } from '../http/paging.ts';
import { problems } from '../http/problems.ts';
import type { ResourceRecord, TokenResource } from '../store/store.ts';
import { MAX_TOKEN_RESOURCES } from './resource-refs.ts';

function requireType(ctx: AppContext, type: string, field: string): void {
  if (!ctx.catalog.isResourceType(type)) throw problems.field(field, `Unknown resource type "${type}": this server knows ${ctx.catalog.resourceTypes.map((t) => t.id).join(', ')}.`);
}

/** Creates or renames a resource; `created` tells which. */
export async function putResource(
  ctx: AppContext,
  caller: Caller,
  type: string,
  id: string,
  body: { name: string; org_id?: string | null },
): Promise<{ resource: ResourceRecord; created: boolean }> {
  requireType(ctx, type, 'type');
  if (type === ORGANIZATION_TYPE) throw problems.field('type', 'Organizations are resources already: create them under /api/v1/orgs.');
  const orgId = body.org_id ?? null;
  if (orgId !== null && !(await ctx.store.orgs.getOrg(orgId))) throw problems.field('org_id', 'org_id names no organization.');
  const existing = await ctx.store.resources.getResource(type, id);
  const at = nowIso(ctx);
  const name = body.name.trim();
  const action = existing ? 'resource.updated' : 'resource.created';
  const resource = await ctx.store.resources.putResource(
    { type, id, name, org_id: orgId, created_at: existing?.created_at ?? at, updated_at: at },
    auditEntry(ctx, caller, action, { detail: { type, id, name, org_id: orgId } }),
  );
  return { resource, created: existing === null };
}

export async function deleteResource(ctx: AppContext, caller: Caller, type: string, id: string): Promise<void> {
  requireType(ctx, type, 'type');
  const deleted = await ctx.store.resources.deleteResource(type, id, auditEntry(ctx, caller, 'resource.deleted', { detail: { type, id } }));
  if (!deleted) throw problems.notFound('That resource');
}

const isCursor = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');

export async function listResources(ctx: AppContext, query: { type?: string; q?: string; cursor?: string; limit?: string }) {
  if (query.type !== undefined) requireType(ctx, query.type, 'type');
  const limit = parseLimit(query.limit);
  const after = decodeCursor(query.cursor, isCursor);
  const rows = await ctx.store.resources.listResources({ type: query.type ?? null, text: query.q?.trim() || null, after, limit: limit + 1 });
  return pageFrom(rows, limit, (r) => r, (last) => [last.type, last.id]);
}

/**
 * The resources a new token or template is bounded to, with their names and organisations as they
 * are now; a 400 naming `field` for more than 50, an unknown type, or one that does not exist (an
 * organisation the caller has no standing in does not exist for it).
 */
export async function resolveResources(ctx: AppContext, principal: Principal, refs: readonly { type: string; id: string }[] | undefined, field = 'resources'): Promise<TokenResource[]> {
  if (!refs || refs.length === 0) return [];
  if (refs.length > MAX_TOKEN_RESOURCES) throw problems.field(field, `A token may be bounded to at most ${MAX_TOKEN_RESOURCES} resources.`);
  const unique = [...new Map(refs.map((r) => [`${r.type}\u0000${r.id}`, { type: r.type, id: r.id }])).values()];
  for (const ref of unique) requireType(ctx, ref.type, field);
  const registered = await ctx.store.resources.findResources(unique.filter((r) => r.type !== ORGANIZATION_TYPE));
  const resolved: TokenResource[] = [];
  for (const ref of unique) {
    let found: TokenResource | null = null;
    if (ref.type === ORGANIZATION_TYPE) {
      const org = await ctx.store.orgs.getOrg(ref.id);
      if (org && (await accessTo(ctx.store.orgs, principal, 'organization', org.id, org.id)) !== 'none') found = { type: ref.type, id: org.id, name: org.name, org_id: org.id };
    } else {
      const r = registered.find((x) => x.type === ref.type && x.id === ref.id);
      if (r) found = { type: r.type, id: r.id, name: r.name, org_id: r.org_id };
    }
    if (!found) throw problems.field(field, `Unknown resource ${ref.type}/${ref.id}: register it first (PUT /api/v1/resources/${ref.type}/${ref.id}).`);
    resolved.push(found);
  }
  return resolved;
}
