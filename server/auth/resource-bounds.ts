/**
 * What a token bounded to resources may reach of patkit itself (docs/security.md rule 38). A token
 * with resources reaches only the organisations among them (type `organization`) or that own one of
 * them (`org_id`); every other organisation, its groups, members and tokens are "not found" to it.
 * It may make or change only tokens bounded within its own resources, so it cannot mint or revive a
 * wider credential. An unbounded token and a session reach what their user reaches.
 */
import { problems } from '../http/problems.ts';
import type { TokenResource } from '../store/store.ts';
import type { Principal } from './principal.ts';

export function isBounded(principal: Pick<Principal, 'resources'>): boolean {
  return principal.resources.length > 0;
}

/** The organisations a bounded principal may act on; null = not bounded. */
export function orgBoundary(principal: Pick<Principal, 'resources'>): Set<string> | null {
  if (!isBounded(principal)) return null;
  const orgs = new Set<string>();
  for (const r of principal.resources) if (r.org_id !== null) orgs.add(r.org_id);
  return orgs;
}

export function withinOrgBoundary(principal: Pick<Principal, 'resources'>, orgId: string): boolean {
  return orgBoundary(principal)?.has(orgId) ?? true;
}

const key = (r: { type: string; id: string }) => `${r.type}\u0000${r.id}`;

/** True when `resources` is a non-empty subset of the principal's (always true for an unbounded principal). */
export function withinResources(principal: Pick<Principal, 'resources'>, resources: readonly { type: string; id: string }[]): boolean {
  if (!isBounded(principal)) return true;
  const own = new Set(principal.resources.map(key));
  return resources.length > 0 && resources.every((r) => own.has(key(r)));
}

/** A bounded principal makes only tokens bounded within its own resources: else a 400 naming `resources`. */
export function requireWithinResources(principal: Pick<Principal, 'resources'>, resources: readonly { type: string; id: string }[]): void {
  if (!withinResources(principal, resources)) {
    throw problems.field('resources', 'This token is bounded to resources: the tokens it makes must be bounded to some of the same resources.');
  }
}

/** Strips what the API does not show of a stored resource. */
export function resourceRefs(resources: readonly TokenResource[]): { type: string; id: string; name: string }[] {
  return resources.map((r) => ({ type: r.type, id: r.id, name: r.name }));
}
