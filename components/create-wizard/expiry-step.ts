import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { toDateInput } from '../shared/format.ts';
import { DAY, PRESET_DAYS } from './wizard-form.ts';
import { errorRef, field, fieldError, invalid, valueOf, type StepView } from './step-view.ts';

/** Presets capped by the server's maximum lifetime, a custom date, and "Never" where the server allows it. */
export function expiryStep(v: StepView): TemplateResult {
  const { s, fields, errors } = v;
  const { mode, maxLifetimeDays: max, defaultLifetimeDays: def } = v.caps.expiry;
  const presets = PRESET_DAYS.filter((d) => max === null || d <= max);
  const radio = (value: string, label: string): TemplateResult => html`<label class="choice">
    <input type="radio" name="expiry" .value=${value} .checked=${fields.expiryChoice === value} @change=${() => v.set({ expiryChoice: value })} />${label}</label
  >`;
  const today = Date.now();
  const custom = fields.expiryChoice === 'custom';
  return html`<fieldset aria-describedby="expiry-help">
    <legend>${s.stepExpiry}</legend>
    ${def !== null && !presets.includes(def as (typeof PRESET_DAYS)[number]) ? radio('default', s.expiryDefault(def)) : nothing}
    ${presets.map((d) => radio(String(d), s.expiryDays(d)))} ${radio('custom', s.expiryCustom)}
    ${custom
      ? field(
          errors,
          'expires_at',
          s.expiryDate,
          html`<input
            type="date"
            name="expires_at"
            required
            min=${toDateInput(today + DAY)}
            max=${ifDefined(max !== null ? toDateInput(today + max * DAY) : undefined)}
            .value=${fields.customDate}
            aria-invalid=${invalid(errors, 'expires_at')}
            aria-describedby=${ifDefined(errorRef(errors, 'expires_at'))}
            @input=${(e: InputEvent) => v.set({ customDate: valueOf(e) })}
          />`,
        )
      : fieldError(errors, 'expires_at')}
    ${mode === 'optional' ? radio('never', s.expiryNever) : nothing}
    ${fields.expiryChoice === 'never' ? html`<p class="muted">${s.expiryNeverWarning}</p>` : nothing}
    <p id="expiry-help" class="muted">${max !== null ? s.expiryMax(max) : ''}</p>
  </fieldset>`;
}
