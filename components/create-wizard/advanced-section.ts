import { html, nothing, type TemplateResult } from 'lit';
import { errorRef, field, invalid, valueOf, type StepView } from './step-view.ts';

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
      ? field(
          errors,
          'allowed_ips',
          s.ipsLabel,
          html`<textarea
            name="allowed_ips"
            rows="3"
            spellcheck="false"
            autocomplete="off"
            .value=${fields.allowedIps}
            aria-invalid=${invalid(errors, 'allowed_ips')}
            aria-describedby=${errorRef(errors, 'allowed_ips') ?? 'help-allowed_ips'}
            @input=${(e: InputEvent) => v.set({ allowedIps: valueOf(e) }, 'allowed_ips')}
          ></textarea>`,
          s.ipsHelp,
        )
      : nothing}
    ${caps.notBefore
      ? field(
          errors,
          'not_before',
          s.notBeforeLabel,
          html`<input
            type="datetime-local"
            name="not_before"
            .value=${fields.notBefore}
            aria-invalid=${invalid(errors, 'not_before')}
            aria-describedby=${errorRef(errors, 'not_before') ?? 'help-not_before'}
            @input=${(e: InputEvent) => v.set({ notBefore: valueOf(e) }, 'not_before')}
          />`,
          s.notBeforeHelp,
        )
      : nothing}
  </details>`;
}
