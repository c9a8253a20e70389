/**
 * Creating a token from a template: the template's values apply where the request leaves a field
 * out, and a field the request gives may only narrow the template's (a subset of its scopes, an
 * earlier expiry, a subset of its resources, addresses inside its ranges). A pure function of the
 * template, the request and the time: it runs before the normal create validation, which then
 * checks the narrowed request like any other.
 */
import { problems } from '../http/problems.ts';
import type { TemplateRecord } from '../store/store.ts';
import { canonicalRanges, rangeInside } from './ip-ranges.ts';

const DAY_MS = 86_400_000;
/** The same leeway the lifetime policy allows a client's clock. */
const CLOCK_LEEWAY_MS = 60_000;

/** The fields of a create request a template speaks to. */
export interface TemplatedFields {
  scopes?: string[];
  expires_at?: string | null;
  resources?: { type: string; id: string }[];
  allowed_ips?: string[];
  template_id?: string;
}

const key = (r: { type: string; id: string }) => `${r.type}\u0000${r.id}`;

/** The request narrowed by the template, or a 400 naming the field that would widen it. */
export function applyTemplate<T extends TemplatedFields>(template: TemplateRecord, body: T, now: number): T & { scopes: string[]; template_id: string } {
  const widens = (field: string, why: string) => problems.field(field, `The template "${template.name}" ${why}: a token made from it may only narrow it.`);
  const out: T & { scopes: string[]; template_id: string } = { ...body, scopes: body.scopes ?? template.scopes, template_id: template.id };

  const extra = (body.scopes ?? []).filter((s) => !template.scopes.includes(s));
  if (extra.length) throw widens('scopes', `does not grant ${extra.slice(0, 5).join(', ')}`);

  if (template.expires_in_days !== null) {
    const latest = now + template.expires_in_days * DAY_MS;
    if (body.expires_at === undefined) out.expires_at = new Date(latest).toISOString();
    else if (body.expires_at === null) throw widens('expires_at', `makes tokens that expire within ${template.expires_in_days} days, not never`);
    // A malformed time is left to the normal validation, which names it.
    else if (Date.parse(body.expires_at) > latest + CLOCK_LEEWAY_MS) throw widens('expires_at', `makes tokens that expire within ${template.expires_in_days} days`);
  }

  if (template.resources.length > 0) {
    const allowed = new Set(template.resources.map(key));
    if (body.resources === undefined) out.resources = template.resources.map((r) => ({ type: r.type, id: r.id }));
    else if (body.resources.length === 0) throw widens('resources', 'bounds tokens to chosen resources, not everything');
    else if (body.resources.some((r) => !allowed.has(key(r)))) throw widens('resources', 'does not include every resource asked for');
  }

  if (template.allowed_ips.length > 0) {
    if (body.allowed_ips === undefined) out.allowed_ips = [...template.allowed_ips];
    else if (body.allowed_ips.length === 0) throw widens('allowed_ips', 'limits tokens to chosen addresses, not any');
    else if (canonicalRanges(body.allowed_ips).some((range) => !template.allowed_ips.some((outer) => rangeInside(range, outer)))) {
      throw widens('allowed_ips', `allows only ${template.allowed_ips.slice(0, 5).join(', ')}`);
    }
  }
  return out;
}
