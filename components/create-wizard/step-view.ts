import { html, nothing, type TemplateResult } from 'lit';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import type { FieldErrors, WizardFields, WizardText } from './wizard-types.ts';

/** What every step's template reads, and its one way to change the fields. */
export interface StepView {
  s: WizardText;
  caps: ProviderCapabilities;
  fields: WizardFields;
  errors: FieldErrors;
  /** Changes fields; `clears` names the field whose error goes away (typing into it). */
  set(patch: Partial<WizardFields>, clears?: string): void;
  /** Typing into a field clears the error the server or the last check left beside it. */
  clearError(field: string): void;
}

/** The error beside `field` (`id="err-<field>"`, the field's description), if any. */
export function fieldError(errors: FieldErrors, field: string): TemplateResult | typeof nothing {
  const message = errors[field];
  return message ? html`<span id="err-${field}" class="error-text">${message}</span>` : nothing;
}

export function invalid(errors: FieldErrors, field: string): 'true' | 'false' {
  return errors[field] ? 'true' : 'false';
}

/** `err-<field>` while the field has an error, for `aria-describedby`. */
export function errorRef(errors: FieldErrors, field: string): string | undefined {
  return errors[field] ? `err-${field}` : undefined;
}

/** The value of the element an input or change event came from. */
export const valueOf = (e: Event): string => (e.target as HTMLInputElement).value;
export const checkedOf = (e: Event): boolean => (e.target as HTMLInputElement).checked;

/**
 * A labelled field on its own lines: the label, its control, a help line when given (`id="help-<field>"`,
 * what the control's `aria-describedby` names while there is no error) and the error beside it.
 */
export function field(errors: FieldErrors, name: string, label: string, control: TemplateResult, help?: string): TemplateResult {
  return html`<label class="field"
    >${label} ${control} ${help === undefined ? nothing : html`<span id="help-${name}" class="muted">${help}</span>`} ${fieldError(errors, name)}</label
  >`;
}
