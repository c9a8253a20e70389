import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { errorRef, fieldError, invalid, valueOf, type StepView } from './step-view.ts';

/** Name and description; in the edit view, the "Regenerate token" link (`regenerate`, null when not offered). */
export function detailsStep(v: StepView, regenerate: (() => void) | null): TemplateResult {
  const { s, caps, fields, errors } = v;
  return html`<fieldset>
    <legend>${s.stepDetails}</legend>
    ${caps.names
      ? html`<label class="field"
          >${s.fieldName}
          <input
            name="name"
            autocomplete="off"
            maxlength="200"
            required
            .value=${fields.name}
            aria-invalid=${invalid(errors, 'name')}
            aria-describedby=${ifDefined(errorRef(errors, 'name'))}
            @input=${(e: InputEvent) => v.set({ name: valueOf(e) }, 'name')}
          />
          ${fieldError(errors, 'name')}
        </label>`
      : nothing}
    ${caps.description
      ? html`<label class="field"
          >${s.fieldDescription}
          <textarea
            name="description"
            maxlength="1000"
            ?required=${!caps.names}
            .value=${fields.description}
            aria-invalid=${invalid(errors, 'description')}
            aria-describedby=${ifDefined(errorRef(errors, 'description'))}
            @input=${(e: InputEvent) => v.set({ description: valueOf(e) }, 'description')}
          ></textarea>
          ${fieldError(errors, 'description')}
        </label>`
      : nothing}
    ${regenerate
      ? html`<p>
          <button type="button" class="link" part="regenerate" @click=${regenerate}>${s.regenerateLink}</button>
        </p>`
      : nothing}
  </fieldset>`;
}
