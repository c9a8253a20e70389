import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Resource, ResourceRef } from '../../lib/model.ts';
import type { ResourceSearch } from './resource-search.controller.ts';
import { checkedOf, errorRef, fieldError, invalid, valueOf, type StepView } from './step-view.ts';

const same = (a: ResourceRef, b: ResourceRef): boolean => a.type === b.type && a.id === b.id;
const label = (r: ResourceRef): string => r.name || r.id;

/** "All resources" or "Only selected": a type, a search, the matches to add and the chosen ones as chips. */
export function resourcesStep(v: StepView, search: ResourceSearch): TemplateResult {
  const { s, fields, errors } = v;
  const selected = fields.resourceMode === 'selected';
  const mode = (value: 'all' | 'selected') => (e: Event) => {
    if (checkedOf(e)) v.set({ resourceMode: value }, 'resources');
    if (value === 'selected') void search.start();
  };
  return html`<fieldset>
    <legend>${s.stepResources}</legend>
    <label class="choice">
      <input type="radio" name="resource-mode" value="all" .checked=${!selected} @change=${mode('all')} />
      <span>${s.resourcesAll} <span class="muted">— ${s.resourcesAllHelp}</span></span>
    </label>
    <label class="choice">
      <input type="radio" name="resource-mode" value="selected" .checked=${selected} @change=${mode('selected')} />
      ${s.resourcesSelected}
    </label>
    ${selected ? picker(v, search) : nothing} ${fieldError(errors, 'resources')}
  </fieldset>`;
}

function picker(v: StepView, search: ResourceSearch): TemplateResult {
  const { s, fields, errors } = v;
  const add = (r: Resource): void => v.set({ resources: [...fields.resources, { type: r.type, id: r.id, name: r.name }] }, 'resources');
  const remove = (r: ResourceRef): void => v.set({ resources: fields.resources.filter((x) => !same(x, r)) }, 'resources');
  const status =
    search.state === 'loading' ? s.resourcesSearching : search.state === 'error' ? s.resourcesError : search.state === 'done' ? s.resourcesFound(search.results.length) : '';
  return html`<div class="resource-tools">
      <label class="field"
        >${s.resourcesType}
        <select name="resource-type" @change=${(e: Event) => search.change({ type: valueOf(e) })}>
          <option value="" ?selected=${search.type === ''}>${s.resourcesAnyType}</option>
          ${search.types.map((t) => html`<option value=${t.id} ?selected=${search.type === t.id}>${t.name}</option>`)}
        </select>
      </label>
      <label class="field"
        >${s.resourcesSearch}
        <input type="search" name="resource-search" .value=${search.query} @input=${(e: InputEvent) => search.change({ query: valueOf(e) })} />
      </label>
    </div>
    <p class="muted" role="status">${status}</p>
    <ul part="resource-results" aria-label=${s.resourcesResults}>
      ${search.results.map(
        (r) => html`<li>
          <button type="button" class="link" ?disabled=${fields.resources.some((x) => same(x, r))} aria-label=${s.resourcesAdd(r.name)} @click=${() => add(r)}>
            ${r.name}</button
          ><span class="muted"> ${r.type} · ${r.id}</span>
        </li>`,
      )}
    </ul>
    <ul
      part="resource-chips"
      aria-label=${s.resourcesChosen}
      aria-invalid=${invalid(errors, 'resources')}
      aria-describedby=${ifDefined(errorRef(errors, 'resources'))}
    >
      ${fields.resources.map(
        (r) => html`<li class="chip">
          <span>${label(r)} <span class="muted">(${r.type})</span></span>
          <button type="button" aria-label=${s.resourcesRemove(label(r))} @click=${() => remove(r)}>×</button>
        </li>`,
      )}
    </ul>`;
}
