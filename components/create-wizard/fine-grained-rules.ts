/**
 * The wizard's rules for fine-grained tokens: a template fills the fields and from then on they
 * may only narrow it; resources, the IP allow-list, not-before and the justification are checked
 * on their steps before anything is sent (the server checks them again).
 */
import type { ScopeCatalog, TokenTemplate } from '../../lib/model.ts';
import { toDateInput } from '../shared/format.ts';
import { ipLines, ipProblem, MAX_IPS } from './ip-list.ts';
import type { FieldErrors, StepId, WizardContext, WizardFields, WizardText } from './wizard-types.ts';

export const MAX_RESOURCES = 50;
export const MAX_JUSTIFICATION = 500;
const DAY = 86_400_000;
const PRESETS = [7, 30, 90, 365];

/** The justification is asked for: the server says this caller's new tokens wait for an approver. */
export function approvalApplies(ctx: WizardContext): boolean {
  return ctx.creating && ctx.caps.approval && ctx.caps.approvalRequired === true;
}

/** The not-before field as an ISO time; null when empty, undefined when it is not a time. */
export function notBeforeIso(f: WizardFields): string | null | undefined {
  if (!f.notBefore.trim()) return null;
  const t = Date.parse(f.notBefore);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** `fields` filled from template `t`: its methods, expiry, resources and addresses (the name stays the user's). */
export function applyTemplate(fields: WizardFields, t: TokenTemplate, catalog: ScopeCatalog): WizardFields {
  const next: WizardFields = { ...fields, templateId: t.id };
  if (t.scopes.length > 0) {
    const preset = catalog.presets.find((p) => p.scopes.length === t.scopes.length && p.scopes.every((x) => t.scopes.includes(x)));
    next.accessChoice = preset ? preset.id : 'custom';
    next.customScopes = new Set(t.scopes);
  }
  const days = t.expires_in_days;
  if (days !== null) {
    next.expiryChoice = PRESETS.includes(days) ? String(days) : 'custom';
    next.customDate = PRESETS.includes(days) ? '' : toDateInput(Date.now() + days * DAY);
  }
  next.resourceMode = t.resources.length > 0 ? 'selected' : 'all';
  next.resources = t.resources.map((r) => ({ ...r }));
  next.allowedIps = t.allowed_ips.join('\n');
  return next;
}

/** What the other rules already worked out (wizard-form.ts): the expiry and methods as chosen. */
export interface Chosen {
  expires: string | null | undefined;
  scopes: readonly string[];
}

/** The fine-grained field errors of one step (empty when fine). */
export function fineGrainedErrors(step: StepId, f: WizardFields, ctx: WizardContext, s: WizardText, chosen: Chosen): FieldErrors {
  const errors: FieldErrors = {};
  const { caps, template } = ctx;
  if (step === 'details') {
    if (caps.allowedIps) {
      const problem = ipProblem(ipLines(f.allowedIps), ctx.creating ? (template?.allowed_ips ?? []) : []);
      if (problem?.kind === 'invalid') errors['allowed_ips'] = s.ipsInvalid(problem.entries.join(', '));
      else if (problem?.kind === 'too-many') errors['allowed_ips'] = s.ipsTooMany(MAX_IPS);
      else if (problem?.kind === 'outside') errors['allowed_ips'] = s.templateIps(problem.entries.join(', ') || '—');
    }
    if (caps.notBefore) {
      const nb = notBeforeIso(f);
      if (nb === undefined || (nb !== null && ctx.creating && Date.parse(nb) <= Date.now())) errors['not_before'] = s.notBeforeInvalid;
      else if (nb && typeof chosen.expires === 'string' && Date.parse(nb) >= Date.parse(chosen.expires)) errors['not_before'] = s.notBeforeAfterExpiry;
    }
  }
  if (!ctx.creating || !template) return { ...errors, ...stepErrors(step, f, ctx, s) };
  if (step === 'access' && template.scopes.length > 0 && chosen.scopes.some((id) => !template.scopes.includes(id))) {
    errors['scopes'] = s.templateScopes(template.scopes.join(', '));
  }
  const days = template.expires_in_days;
  if (step === 'expiry' && days !== null && caps.expiry.mode !== 'none') {
    const at = chosen.expires;
    if (at === null || at === undefined || Date.parse(at) > Date.now() + (days + 1) * DAY) errors['expires_at'] = s.templateExpiry(days);
  }
  if (step === 'resources' && template.resources.length > 0) {
    const allowed = (r: { type: string; id: string }): boolean => template.resources.some((t) => t.type === r.type && t.id === r.id);
    if (f.resourceMode === 'all' || f.resources.some((r) => !allowed(r))) errors['resources'] = s.templateResources;
  }
  return { ...stepErrors(step, f, ctx, s), ...errors };
}

/** Rules that hold with or without a template. */
function stepErrors(step: StepId, f: WizardFields, ctx: WizardContext, s: WizardText): FieldErrors {
  const errors: FieldErrors = {};
  if (step === 'resources' && ctx.caps.resources && f.resourceMode === 'selected') {
    if (f.resources.length === 0) errors['resources'] = s.resourcesNone;
    else if (f.resources.length > MAX_RESOURCES) errors['resources'] = s.resourcesTooMany(MAX_RESOURCES);
  }
  if (step === 'confirm' && approvalApplies(ctx)) {
    const text = f.justification.trim();
    if (!text) errors['justification'] = s.justificationRequired;
    else if (text.length > MAX_JUSTIFICATION) errors['justification'] = s.justificationTooLong(MAX_JUSTIFICATION);
  }
  return errors;
}
