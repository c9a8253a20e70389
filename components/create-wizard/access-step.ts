import { html, nothing, type TemplateResult } from 'lit';
import type { Scope, ScopeCatalog } from '../../lib/model.ts';
import { safeHttpUrl } from '../shared/format.ts';
import type { PatStrings } from '../shared/strings.ts';
import { checkedOf, fieldError, invalid, valueOf, type StepView } from './step-view.ts';

/** The catalog's presets, and (servers with `scopes: 'custom'`) a searchable list of API methods. */
export function accessStep(v: StepView, catalog: ScopeCatalog): TemplateResult {
  const { s, fields, errors } = v;
  const custom = fields.accessChoice === 'custom';
  return html`<fieldset>
    <legend>${s.stepAccess}</legend>
    ${catalog.presets.map(
      (p) => html`<label class="choice">
        <input type="radio" name="access" .checked=${fields.accessChoice === p.id} @change=${() => v.set({ accessChoice: p.id, customScopes: new Set(p.scopes) })} />
        <span>${p.name} <span class="muted">— ${p.description}</span></span>
      </label>`,
    )}
    ${v.caps.scopes === 'custom'
      ? html`<label class="choice">
          <input type="radio" name="access" .checked=${custom} @change=${() => v.set({ accessChoice: 'custom' })} />
          ${s.accessCustom}
        </label>`
      : nothing}
    ${custom ? customScopes(v, catalog.scopes) : nothing} ${fieldError(errors, 'scopes')}
  </fieldset>`;
}

function customScopes(v: StepView, scopes: Scope[]): TemplateResult {
  const { s, fields } = v;
  const q = fields.scopeSearch.trim().toLowerCase();
  const shown = scopes.filter(
    (sc) =>
      (!fields.onlyChecked || fields.customScopes.has(sc.id)) &&
      (!q || sc.id.toLowerCase().includes(q) || sc.description.toLowerCase().includes(q) || sc.group.toLowerCase().includes(q)),
  );
  return html`<div class="scope-tools">
      <label class="field"
        >${s.accessSearch}
        <input type="search" .value=${fields.scopeSearch} @input=${(e: InputEvent) => v.set({ scopeSearch: valueOf(e) })} />
      </label>
      <label class="choice">
        <input type="checkbox" .checked=${fields.onlyChecked} @change=${(e: Event) => v.set({ onlyChecked: checkedOf(e) })} />
        ${s.accessOnlyChecked}
      </label>
      <span class="muted" aria-live="polite">${s.accessCount(fields.customScopes.size)}</span>
    </div>
    <ul part="scope-list" aria-label=${s.stepAccess} aria-invalid=${invalid(v.errors, 'scopes')}>
      ${shown.map((sc) => scopeItem(v, sc, s))}
    </ul>`;
}

function scopeItem(v: StepView, sc: Scope, s: PatStrings): TemplateResult {
  const href = safeHttpUrl(sc.docs_url);
  const toggle = (e: Event): void => {
    const next = new Set(v.fields.customScopes);
    if (checkedOf(e)) next.add(sc.id);
    else next.delete(sc.id);
    v.set({ customScopes: next });
  };
  return html`<li>
    <input type="checkbox" id="scope-${sc.id}" .checked=${v.fields.customScopes.has(sc.id)} @change=${toggle} />
    <label for="scope-${sc.id}">${sc.id}<span class="scope-desc">${sc.description}</span></label>
    ${href
      ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${s.accessDocs}<span class="visually-hidden"> ${s.accessDocsFor(sc.id)}</span></a>`
      : html`<span></span>`}
  </li>`;
}
