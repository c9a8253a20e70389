import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { TokenTemplate } from '../../lib/model.ts';
import { advancedSection } from './advanced-section.ts';
import { errorRef, field, invalid, valueOf, type StepView } from './step-view.ts';

/** The templates to start from (none: no picker) and what choosing one (`''`: none) does. */
export interface TemplateChoice {
  templates: readonly TokenTemplate[];
  choose(id: string): void;
}

/**
 * "Start from a template" where the server has templates; name and description; "Advanced" (IP
 * allow-list, not-before); in the edit view, the "Regenerate token" link (`regenerate`, null when not offered).
 */
export function detailsStep(v: StepView, regenerate: (() => void) | null, templates: TemplateChoice | null): TemplateResult {
  const { s, caps, fields, errors } = v;
  return html`<fieldset>
    <legend>${s.stepDetails}</legend>
    ${templates && templates.templates.length > 0 ? templatePicker(v, templates) : nothing}
    ${caps.names
      ? field(
          errors,
          'name',
          s.fieldName,
          html`<input
            name="name"
            autocomplete="off"
            maxlength="200"
            required
            .value=${fields.name}
            aria-invalid=${invalid(errors, 'name')}
            aria-describedby=${ifDefined(errorRef(errors, 'name'))}
            @input=${(e: InputEvent) => v.set({ name: valueOf(e) }, 'name')}
          />`,
        )
      : nothing}
    ${caps.description
      ? field(
          errors,
          'description',
          s.fieldDescription,
          html`<textarea
            name="description"
            maxlength="1000"
            ?required=${!caps.names}
            .value=${fields.description}
            aria-invalid=${invalid(errors, 'description')}
            aria-describedby=${ifDefined(errorRef(errors, 'description'))}
            @input=${(e: InputEvent) => v.set({ description: valueOf(e) }, 'description')}
          ></textarea>`,
        )
      : nothing}
    ${advancedSection(v)}
    ${regenerate
      ? html`<p>
          <button type="button" class="link" part="regenerate" @click=${regenerate}>${s.regenerateLink}</button>
        </p>`
      : nothing}
  </fieldset>`;
}

function templatePicker(v: StepView, t: TemplateChoice): TemplateResult {
  const { s, fields, errors } = v;
  const chosen = t.templates.find((x) => x.id === fields.templateId);
  return html`${field(
      errors,
      'template_id',
      s.templateLabel,
      html`<select name="template" aria-describedby="help-template" aria-invalid=${invalid(errors, 'template_id')} @change=${(e: Event) => t.choose(valueOf(e))}>
        <option value="" ?selected=${!chosen}>${s.templateNone}</option>
        ${t.templates.map((x) => html`<option value=${x.id} ?selected=${x.id === fields.templateId}>${x.name}</option>`)}
      </select>`,
    )}
    <p id="help-template" class="muted">${chosen ? html`${chosen.description ? `${chosen.description} ` : ''}${s.templateNarrowOnly}` : nothing}</p>`;
}
