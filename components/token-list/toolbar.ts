/**
 * The token list's toolbar: text, owner, status and "Unused for" filters, "Disable unused…",
 * Refresh and the row count.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import type { PatStrings } from '../shared/strings.ts';
import type { StatusFilter } from './token-view.ts';

/** The "Unused for" filter's preset days; any other 1…3650 through "Other…". */
const UNUSED_PRESETS = [30, 60, 90, 180];

export interface ToolbarState {
  filterText?: string;
  filterUser?: string;
  filterStatus?: StatusFilter;
  unusedDays?: number;
  unusedCustom?: boolean;
  notice?: string;
}

export interface ToolbarView {
  s: PatStrings;
  caps: ProviderCapabilities;
  adminView: boolean;
  owners: ReadonlyArray<{ id: string; username: string }>;
  filterText: string;
  filterUser: string;
  /** Offer the "Unused for" filter (the server can, and these are not organisation tokens). */
  unusedFilter: boolean;
  unusedDays: number;
  unusedCustom: boolean;
  /** "Disable unused…" can be done (the server can disable, and the provider has the bulk call). */
  canDisableUnused: boolean;
  busy: boolean;
  loading: boolean;
  shown: number;
  total: number;
  /** Changes the list's filter state (a new "Unused for" choice also clears the last notice). */
  set(patch: ToolbarState): void;
  disableUnused(): void;
  refresh(): void;
}

/** Every filter off (the list's "Clear filters"). */
export const NO_FILTERS: Required<ToolbarState> = { filterText: '', filterUser: '', filterStatus: '', unusedDays: 0, unusedCustom: false, notice: '' };

const valueOf = (e: Event): string => (e.target as HTMLInputElement | HTMLSelectElement).value;

function unusedFilter(v: ToolbarView): TemplateResult {
  const { s, unusedDays: days, unusedCustom: custom } = v;
  const choose = (e: Event): void => {
    const value = valueOf(e);
    v.set(value === 'custom' ? { unusedCustom: true, notice: '' } : { unusedCustom: false, notice: '', unusedDays: Number(value) });
  };
  const typeDays = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const typed = Number(input.value);
    const valid = Number.isInteger(typed) && typed >= 1 && typed <= 3650;
    input.setCustomValidity(valid ? '' : s.unusedInvalid);
    if (!valid) input.reportValidity();
    else v.set({ unusedDays: typed });
  };
  return html`<label
      >${s.filterUnused}
      <select part="unused-filter" @change=${choose}>
        <option value="0" ?selected=${!custom && !days}>${s.filterUnusedAny}</option>
        ${UNUSED_PRESETS.map((d) => html`<option value=${d} ?selected=${!custom && days === d}>${s.unusedDays(d)}</option>`)}
        <option value="custom" ?selected=${custom}>${s.filterUnusedCustom}</option>
      </select>
    </label>
    ${custom
      ? html`<label
          >${s.filterUnusedDays}
          <input part="unused-days" type="number" min="1" max="3650" step="1" required .value=${days ? String(days) : ''} @change=${typeDays} />
        </label>`
      : nothing}
    ${days && v.canDisableUnused
      ? html`<button type="button" class="danger" part="disable-unused" ?disabled=${v.busy} @click=${() => v.disableUnused()}>${s.actionDisableUnused}</button>`
      : nothing}`;
}

export function toolbar(v: ToolbarView): TemplateResult {
  const { s, caps } = v;
  // No search landmark: a page with two lists would have two same-named ones (axe landmark-unique).
  return html`<div part="toolbar">
    <label
      >${s.filterText}
      <input type="search" .value=${v.filterText} @input=${(e: InputEvent) => v.set({ filterText: valueOf(e) })} />
    </label>
    ${v.adminView
      ? html`<label
          >${s.filterUser}
          <select @change=${(e: Event) => v.set({ filterUser: valueOf(e) })}>
            <option value="" ?selected=${v.filterUser === ''}>${s.filterUserAll}</option>
            ${v.owners.map((o) => html`<option value=${o.id} ?selected=${v.filterUser === o.id}>${o.username}</option>`)}
          </select>
        </label>`
      : nothing}
    <label
      >${s.filterStatus}
      <select @change=${(e: Event) => v.set({ filterStatus: valueOf(e) as StatusFilter })}>
        <option value="">${s.filterStatusAll}</option>
        <option value="active">${s.statusActive}</option>
        ${caps.expiry.mode !== 'none' ? html`<option value="expiring">${s.statusExpiring}</option>` : nothing}
        ${caps.disable ? html`<option value="disabled">${s.statusDisabled}</option>` : nothing}
        ${caps.expiry.mode !== 'none' ? html`<option value="expired">${s.statusExpired}</option>` : nothing}
        ${caps.notBefore ? html`<option value="scheduled">${s.statusScheduled}</option>` : nothing}
        ${caps.approval ? html`<option value="pending">${s.statusPending}</option><option value="denied">${s.statusDenied}</option>` : nothing}
      </select>
    </label>
    ${v.unusedFilter ? unusedFilter(v) : nothing}
    <button type="button" part="refresh" @click=${() => v.refresh()} ?disabled=${v.loading}>${s.refresh}</button>
    <span class="count" aria-live="polite">${s.rowCount(v.shown, v.total)}</span>
  </div>`;
}
