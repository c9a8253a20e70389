/**
 * Token templates: made, changed and removed by those who may change the settings, each change
 * audited. Every value is checked as a token's would be (known scopes, a lifetime the policy allows,
 * registered resources, well-formed address ranges), so a template never promises what a token
 * made from it could not have.
 */
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { publicId } from '../auth/credentials.ts';
import type { Caller } from '../auth/principal.ts';
import { problems } from '../http/problems.ts';
import { resolveResources } from '../resources/resource-service.ts';
import type { TemplateRecord } from '../store/store.ts';
import { canonicalRanges } from './ip-ranges.ts';

export interface TemplateInput {
  name?: string;
  description?: string;
  scopes?: string[];
  expires_in_days?: number | null;
  resources?: { type: string; id: string }[];
  allowed_ips?: string[];
}

/** The template with `input` applied and checked; a 400 naming the first bad field. */
async function checked(ctx: AppContext, caller: Caller, base: TemplateRecord, input: TemplateInput): Promise<TemplateRecord> {
  const scopes = input.scopes === undefined ? base.scopes : [...new Set(input.scopes)];
  const unknown = scopes.filter((s) => !ctx.catalog.isScope(s));
  if (unknown.length) throw problems.field('scopes', `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}.`);
  const days = input.expires_in_days === undefined ? base.expires_in_days : input.expires_in_days;
  const settings = await ctx.store.getSettings();
  if (days !== null && settings.max_lifetime_days > 0 && days > settings.max_lifetime_days) {
    throw problems.field('expires_in_days', `Tokens on this server live at most ${settings.max_lifetime_days} days.`);
  }
  const resources = input.resources === undefined ? base.resources : await resolveResources(ctx, caller.principal, input.resources);
  const allowedIps = input.allowed_ips === undefined ? base.allowed_ips : canonicalRanges(input.allowed_ips);
  return {
    ...base,
    name: input.name === undefined ? base.name : input.name.trim(),
    description: input.description ?? base.description,
    scopes,
    expires_in_days: days,
    resources,
    allowed_ips: allowedIps,
    updated_at: nowIso(ctx),
  };
}

function auditDetail(t: TemplateRecord) {
  return {
    template_id: t.id,
    name: t.name,
    scopes: t.scopes.join(' '),
    expires_in_days: t.expires_in_days,
    resources: t.resources.map((r) => `${r.type}/${r.id}`).join(' '),
    allowed_ips: t.allowed_ips.join(' '),
  };
}

export async function createTemplate(ctx: AppContext, caller: Caller, input: TemplateInput & { name: string; scopes: string[] }): Promise<TemplateRecord> {
  const at = nowIso(ctx);
  const empty: TemplateRecord = { id: publicId('tpl'), name: '', description: '', scopes: [], expires_in_days: null, resources: [], allowed_ips: [], created_at: at, updated_at: at };
  const template = await checked(ctx, caller, empty, input);
  return ctx.store.resources.createTemplate(template, auditEntry(ctx, caller, 'template.created', { detail: auditDetail(template) }));
}

export async function updateTemplate(ctx: AppContext, caller: Caller, id: string, input: TemplateInput): Promise<TemplateRecord> {
  const base = await ctx.store.resources.getTemplate(id);
  if (!base) throw problems.notFound('That template');
  const template = await checked(ctx, caller, base, input);
  const detail = { ...auditDetail(template), fields: Object.keys(input).join(' ') };
  const updated = await ctx.store.resources.updateTemplate(template, auditEntry(ctx, caller, 'template.updated', { detail }));
  if (!updated) throw problems.notFound('That template');
  return updated;
}

export async function deleteTemplate(ctx: AppContext, caller: Caller, id: string): Promise<void> {
  const deleted = await ctx.store.resources.deleteTemplate(id, auditEntry(ctx, caller, 'template.deleted', { detail: { template_id: id } }));
  if (!deleted) throw problems.notFound('That template');
}
