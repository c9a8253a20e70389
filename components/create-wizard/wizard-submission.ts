/**
 * Saving the wizard's draft through a provider, and reading what the server's refusal means for
 * the form: which step and field to show it on, or that the password or the System Admin
 * acknowledgement is still wanted.
 */
import type { CreatedToken, TokenDraft, TokenMeta, TokenPatch } from '../../lib/model.ts';
import type { TokenProvider } from '../../lib/provider.ts';
import { messageOf } from '../shared/format.ts';
import { FIELD_STEP } from './wizard-form.ts';
import type { Draft, FieldErrors, StepId } from './wizard-types.ts';
import { requireOperation } from '../../lib/providers/require-operation.ts';

export interface SaveConfirmation {
  password?: string;
  acknowledge_admin_token?: boolean;
}

/** Saves `draft`: an update of `editing`, or a new token (its secret in `created`, for the reveal dialog only). */
export async function saveDraft(
  provider: TokenProvider,
  draft: Draft,
  editing: TokenMeta | null,
  confirm: SaveConfirmation,
): Promise<{ mode: 'edit'; token: TokenMeta } | { mode: 'create'; created: CreatedToken }> {
  if (editing) {
    const patch: TokenPatch = { name: draft.name, description: draft.description, scopes: draft.scopes };
    if (draft.expires_at !== undefined) patch.expires_at = draft.expires_at;
    if (draft.allowed_ips !== undefined) patch.allowed_ips = draft.allowed_ips;
    if (draft.not_before !== undefined) patch.not_before = draft.not_before;
    return { mode: 'edit', token: await requireOperation(provider, 'updateToken')(editing.id, patch, confirm) };
  }
  const toCreate: TokenDraft = { name: draft.name, description: draft.description, scopes: draft.scopes };
  if (draft.expires_at !== undefined) toCreate.expires_at = draft.expires_at;
  if (draft.owner_id) toCreate.owner_id = draft.owner_id;
  for (const key of ['resources', 'allowed_ips', 'not_before', 'template_id', 'justification'] as const) {
    if (draft[key] !== undefined) Object.assign(toCreate, { [key]: draft[key] });
  }
  return { mode: 'create', created: await requireOperation(provider, 'createToken')(toCreate, confirm) };
}

export type SaveRefusal =
  | { kind: 'admin-acknowledgement' }
  | { kind: 'password'; message: string }
  | { kind: 'fields'; errors: FieldErrors; step: StepId; code: string; message: string }
  | { kind: 'form'; code: string; message: string };

/** What a failed save means for the form, given the steps it shows. */
export function readRefusal(error: unknown, steps: readonly StepId[]): SaveRefusal {
  const { code, message } = messageOf(error);
  if (code === 'admin_token_acknowledgement_required') return { kind: 'admin-acknowledgement' };
  if (code === 'password_confirmation_required' || code === 'password_incorrect') return { kind: 'password', message };
  const fieldErrors = (error as { fieldErrors?: Array<{ field: string; message: string }> }).fieldErrors ?? [];
  const errors: FieldErrors = {};
  for (const fe of fieldErrors) if (FIELD_STEP[fe.field]) errors[fe.field] = fe.message;
  const first = Object.keys(errors)[0];
  if (!first) return { kind: 'form', code, message };
  const step = FIELD_STEP[first]!;
  return { kind: 'fields', errors, step: steps.includes(step) ? step : 'confirm', code, message };
}
