/**
 * The create wizard's form state and its rules: the fields, the steps a server's capabilities
 * leave, the draft they make, and the checks each step runs before moving on.
 */
import type { ScopeCatalog, TokenMeta } from '../../lib/model.ts';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import { daysFromNow, endOfDateInput, toDateInput } from '../shared/format.ts';
import type { PatStrings } from '../shared/strings.ts';
import { approvalApplies, fineGrainedErrors, notBeforeIso } from './fine-grained-rules.ts';
import { ipLines } from './ip-list.ts';
import type { Draft, FieldErrors, StepId, WizardContext, WizardFields, WizardText } from './wizard-types.ts';

export type { Draft, FieldErrors, StepId, WizardContext, WizardFields, WizardText } from './wizard-types.ts';

export const PRESET_DAYS = [7, 30, 90, 365] as const;
export const DAY = 86_400_000;

/** Which step shows a server field error. */
export const FIELD_STEP: Record<string, StepId> = {
  name: 'details',
  description: 'details',
  expires_at: 'expiry',
  scopes: 'access',
  owner_id: 'owner',
  password: 'confirm',
  template_id: 'details',
  allowed_ips: 'details',
  not_before: 'details',
  resources: 'resources',
  justification: 'confirm',
};


export function defaultExpiryChoice(caps: ProviderCapabilities): string {
  const { mode, defaultLifetimeDays } = caps.expiry;
  if (mode === 'none') return 'never';
  if (defaultLifetimeDays !== null) {
    const preset = PRESET_DAYS.find((d) => d === defaultLifetimeDays);
    return preset ? String(preset) : 'default';
  }
  return '30';
}

/** Empty fields: the server's default expiry, the catalog's first preset. */
export function freshFields(caps: ProviderCapabilities, catalog: ScopeCatalog): WizardFields {
  const first = catalog.presets[0];
  return {
    name: '',
    description: '',
    expiryChoice: defaultExpiryChoice(caps),
    customDate: '',
    accessChoice: first?.id ?? '',
    customScopes: new Set(first?.scopes ?? []),
    scopeSearch: '',
    onlyChecked: false,
    ownerId: '',
    ownerSearch: '',
    templateId: '',
    resourceMode: 'all',
    resources: [],
    allowedIps: '',
    notBefore: '',
    justification: '',
  };
}

/** `YYYY-MM-DDTHH:mm` in local time, for `<input type="datetime-local">`. */
export function toDateTimeInput(time: number): string {
  const d = new Date(time);
  return `${toDateInput(time)}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}


/** `fields` filled from a token (to edit it, or to copy its settings). */
export function prefilled(fields: WizardFields, t: Partial<TokenMeta>, catalog: ScopeCatalog): WizardFields {
  const next = { ...fields, name: t.name ?? '', description: t.description ?? '' };
  if (t.expires_at === null) next.expiryChoice = 'never';
  else if (t.expires_at) {
    next.expiryChoice = 'custom';
    next.customDate = toDateInput(Date.parse(t.expires_at));
  }
  const scopes = t.scopes;
  if (scopes) {
    const preset = catalog.presets.find((p) => p.scopes.length === scopes.length && p.scopes.every((x) => scopes.includes(x)));
    next.accessChoice = preset ? preset.id : 'custom';
    next.customScopes = new Set(scopes);
  }
  if (t.allowed_ips) next.allowedIps = t.allowed_ips.join('\n');
  if (t.not_before) next.notBefore = toDateTimeInput(Date.parse(t.not_before));
  return next;
}

export function wizardSteps(ctx: WizardContext): StepId[] {
  const steps: StepId[] = ['details'];
  if (ctx.caps.expiry.mode !== 'none') steps.push('expiry');
  if (ctx.caps.scopes !== 'none') steps.push('access');
  if (ctx.caps.resources && ctx.creating) steps.push('resources');
  if (ctx.canPickOwner) steps.push('owner');
  steps.push('confirm');
  return steps;
}

/** The chosen expiry: an ISO time, `null` for never, `undefined` for the server's default. */
export function expiresAt(f: WizardFields, caps: ProviderCapabilities): string | null | undefined {
  const c = f.expiryChoice;
  if (caps.expiry.mode === 'none' || c === 'default') return undefined;
  if (c === 'never') return null;
  if (c === 'custom') return endOfDateInput(f.customDate) ?? undefined;
  return daysFromNow(Number(c));
}

/** The chosen API methods, in catalog order. */
export function chosenScopes(f: WizardFields, ctx: WizardContext): string[] {
  if (ctx.caps.scopes === 'none') return [];
  if (f.accessChoice === 'custom') return ctx.catalog.scopes.map((s) => s.id).filter((id) => f.customScopes.has(id));
  return ctx.catalog.presets.find((p) => p.id === f.accessChoice)?.scopes ?? [];
}

export function draftOf(f: WizardFields, ctx: WizardContext): Draft {
  const draft: Draft = {
    name: ctx.caps.names ? f.name.trim() : f.description.trim(),
    description: ctx.caps.description ? f.description.trim() : '',
    expires_at: expiresAt(f, ctx.caps),
    scopes: chosenScopes(f, ctx),
    owner_id: ctx.canPickOwner && f.ownerId ? f.ownerId : undefined,
  };
  // The fine-grained fields only where the server has them; an edit sends the list and time as they stand (to clear them).
  const { caps, creating } = ctx;
  if (creating && caps.templates && f.templateId) draft.template_id = f.templateId;
  if (creating && caps.resources && f.resourceMode === 'selected') draft.resources = f.resources.map((r) => ({ ...r }));
  const ips = ipLines(f.allowedIps);
  if (caps.allowedIps && (ips.length > 0 || !creating)) draft.allowed_ips = ips;
  const notBefore = notBeforeIso(f);
  if (caps.notBefore && (notBefore || !creating)) draft.not_before = notBefore ?? null;
  if (approvalApplies(ctx) && f.justification.trim()) draft.justification = f.justification.trim();
  return draft;
}

/** Checks one step; returns field errors (empty when fine). */
export function validateStep(step: StepId, f: WizardFields, ctx: WizardContext, s: WizardText): FieldErrors {
  const caps = ctx.caps;
  const errors: FieldErrors = fineGrainedErrors(step, f, ctx, s, { expires: expiresAt(f, caps), scopes: chosenScopes(f, ctx) });
  if (step === 'details') {
    if (caps.names && !f.name.trim()) errors.name = s.fieldNameRequired;
    if (!caps.names && !f.description.trim()) errors.description = s.fieldDescriptionRequired;
  }
  if (step === 'expiry' && f.expiryChoice === 'custom') {
    const iso = endOfDateInput(f.customDate);
    const max = caps.expiry.maxLifetimeDays;
    if (!iso || Date.parse(iso) <= Date.now()) errors.expires_at = s.expiryInPast;
    else if (max !== null && Date.parse(iso) > Date.now() + (max + 1) * DAY) errors.expires_at = s.expiryTooLate(max);
  }
  if (step === 'access' && caps.scopes !== 'none' && ctx.catalog.scopes.length > 0 && chosenScopes(f, ctx).length === 0) {
    errors['scopes'] = s.accessNone;
  }
  return errors;
}

/** Why a host `<form>` may not submit the wizard yet (its validity), or null. */
export function missingField(f: WizardFields, caps: ProviderCapabilities, s: PatStrings): string | null {
  if (caps.names) return f.name.trim() ? null : s.fieldNameRequired;
  return f.description.trim() ? null : s.fieldDescriptionRequired;
}
