import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { errorRef, fieldError, invalid, valueOf, type StepView } from './step-view.ts';

/**
 * "Advanced" (a disclosure, open while it holds a value or an error): the IP allow-list, one
 * address or range per line, and the time the token starts to work; each where the server has it.
 */
export function advancedSection(v: StepView): TemplateResult | typeof nothing {
  const { s, caps, fields, errors } = v;
  if (!caps.allowedIps && !caps.notBefore) return nothing;
  const open = !!(fields.allowedIps.trim() || fields.notBefore || errors['allowed_ips'] || errors['not_before']);
  return html`<details part="advanced" ?open=${open}>
    <summary>${s.advanced}</summary>
    ${caps.allowedIps
      ? html`<label class="field"
          >${s.ipsLabel}
          <textarea
            name="allowed_ips"
            rows="3"
            spellcheck="false"
            autocomplete="off"
            .value=${fields.allowedIps}
            aria-invalid=${invalid(errors, 'allowed_ips')}
            aria-describedby=${errorRef(errors, 'allowed_ips') ?? 'help-allowed_ips'}
            @input=${(e: InputEvent) => v.set({ allowedIps: valueOf(e) }, 'allowed_ips')}
          ></textarea>
          <span id="help-allowed_ips" class="muted">${s.ipsHelp}</span>
          ${fieldError(errors, 'allowed_ips')}
        </label>`
      : nothing}
    ${caps.notBefore
      ? html`<label class="field"
          >${s.notBeforeLabel}
          <input
            type="datetime-local"
            name="not_before"
            .value=${fields.notBefore}
            aria-invalid=${invalid(errors, 'not_before')}
            aria-describedby=${ifDefined(errorRef(errors, 'not_before') ?? 'help-not_before')}
            @input=${(e: InputEvent) => v.set({ notBefore: valueOf(e) }, 'not_before')}
          />
          <span id="help-not_before" class="muted">${s.notBeforeHelp}</span>
          ${fieldError(errors, 'not_before')}
        </label>`
      : nothing}
  </details>`;
}
