/**
 * The token list's grid templates: the header row with its sort buttons, and one token's row
 * (positioned by the row window through the CSSOM: a `.style` property binding sets `cssText`, which a
 * strict `style-src` CSP allows, unlike a `style` attribute; lighter than Lit's styleMap).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { TokenMeta, TokenSortKey } from '../../lib/model.ts';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import { displayStatus, statusLabel } from '../shared/format.ts';
import type { PatStrings } from '../shared/strings.ts';
import { accessLabels } from './token-view.ts';

export const ROW = '[part~="row"]';

/** The row window's measures for these rows (fixed height: `--pat-list-row-height`). */
export const ROW_GEOMETRY = {
  rowSelector: ROW,
  /** Row height before the first row is measured (3.25rem at 16px). */
  estimatedRowHeight: 52,
  /**
   * Body height before it is measured: the default `--pat-list-height` (26rem at 16px). A taller
   * host-set height is measured by a ResizeObserver, whose update lands before the first paint.
   */
  estimatedViewport: 416,
  /** Rows rendered above and below the visible ones, so scrolling shows no gaps. */
  overscan: 4,
};

/** What the grid's templates read from the list, and the handlers they call. */
export interface GridView {
  s: PatStrings;
  caps: ProviderCapabilities;
  /** `owner="all"`: an Owner column. */
  adminView: boolean;
  now: number;
  expiringSoonDays: number;
  focusIndex: number;
  /** The token whose action menu is open. */
  menuOpenFor: string | null;
  isSelected(id: string): boolean;
  allSelected: boolean;
  sortKey: TokenSortKey;
  sortOrder: 'asc' | 'desc';
  date(iso: string | null, fallback: string, withTime?: boolean): string;
  relative(iso: string): string;
  sortBy(key: TokenSortKey): void;
  toggleAll(): void;
  rowClick(event: MouseEvent, index: number): void;
  checkboxClick(event: MouseEvent, index: number): void;
  openMenu(id: string, trigger: HTMLElement): void;
}

function sortHeader(v: GridView, key: TokenSortKey, label: string): TemplateResult {
  const sorted = v.sortKey === key;
  const ascending = v.sortOrder === 'asc';
  return html`<div role="columnheader" class="cell" aria-sort=${sorted ? (ascending ? 'ascending' : 'descending') : 'none'}>
    <button type="button" @click=${() => v.sortBy(key)}>${label}<span aria-hidden="true">${sorted ? (ascending ? '\u00a0▲' : '\u00a0▼') : ''}</span></button>
  </div>`;
}

export function gridHeader(v: GridView): TemplateResult {
  const { s, caps } = v;
  return html`<div role="rowgroup" part="header">
    <div role="row" class="row" aria-rowindex="1">
      <div role="columnheader" class="cell">
        <input type="checkbox" .checked=${v.allSelected} aria-label=${s.selectAll} @change=${() => v.toggleAll()} />
      </div>
      ${sortHeader(v, 'name', s.colName)} ${v.adminView ? html`<div role="columnheader" class="cell">${s.colOwner}</div>` : nothing}
      ${sortHeader(v, 'created_at', s.colCreated)} ${caps.expiry.mode !== 'none' ? sortHeader(v, 'expires_at', s.colExpires) : nothing}
      ${caps.lastUsed ? sortHeader(v, 'last_used_at', s.colLastUsed) : nothing}
      <div role="columnheader" class="cell">${s.colStatus}</div>
      ${caps.scopes !== 'none' ? html`<div role="columnheader" class="cell">${s.colScopes}</div>` : nothing}
      <div role="columnheader" class="cell"><span class="visually-hidden">${s.colActions}</span></div>
    </div>
  </div>`;
}

function graceText(v: GridView, until: string): string {
  return v.s.graceUntil(v.date(until, '', true), v.relative(until));
}

/**
 * Status, and one line under it: until when a rotating token's old value still works, when a
 * not-yet-valid one starts, why a request was denied; and "Lifetime exceeds policy" (such a token
 * is refused at use until it is regenerated with a compliant expiry).
 */
function statusCell(v: GridView, token: TokenMeta): TemplateResult {
  const { s } = v;
  const status = displayStatus(token, v.now, v.expiringSoonDays);
  const note = token.rotation
    ? graceText(v, token.rotation.previous_valid_until)
    : status === 'scheduled'
      ? s.notBefore(v.date(token.not_before!, '', true))
      : status === 'denied' && token.approval?.reason
        ? s.deniedReason(token.approval.reason)
        : '';
  return html`<div role="gridcell" class="cell">
    <span class="status ${status}">${statusLabel(s, status)}</span>
    ${token.lifetime_exceeds_policy ? html`<span class="status policy">${s.lifetimeExceeds}</span>` : nothing}
    ${note ? html`<span class="description grace" title=${note}>${note}</span>` : nothing}
  </div>`;
}

function menuTrigger(v: GridView, token: TokenMeta, label: string): TemplateResult {
  return html`<div role="gridcell" class="cell">
    <button
      type="button"
      class="menu-trigger"
      tabindex="-1"
      aria-haspopup="menu"
      aria-expanded=${v.menuOpenFor === token.id ? 'true' : 'false'}
      aria-label=${v.s.rowActions(label)}
      @click=${(e: MouseEvent) => {
        e.stopPropagation();
        v.openMenu(token.id, e.currentTarget as HTMLElement);
      }}
    >
      <span aria-hidden="true">⋯</span>
    </button>
  </div>`;
}

/** One token's row, `top` pixels down the scrolling body. */
export function tokenRow(v: GridView, token: TokenMeta, index: number, top: number): TemplateResult {
  const { s, caps } = v;
  const selected = v.isSelected(token.id);
  const label = token.name || token.description || token.id;
  return html`<div
    role="row"
    part="row"
    class="row"
    data-index=${index}
    data-id=${token.id}
    aria-rowindex=${index + 2}
    aria-selected=${selected ? 'true' : 'false'}
    tabindex=${index === v.focusIndex ? '0' : '-1'}
    .style=${`transform:translateY(${top}px)`}
    @click=${(e: MouseEvent) => v.rowClick(e, index)}
  >
    <div role="gridcell" class="cell">
      <input type="checkbox" tabindex="-1" .checked=${selected} aria-label=${s.selectRow(label)} @click=${(e: MouseEvent) => v.checkboxClick(e, index)} />
    </div>
    <div role="gridcell" class="cell">
      <span class="name">${label}</span>
      ${caps.description && caps.names && token.description && token.name ? html`<span class="description">${token.description}</span>` : nothing}
    </div>
    ${v.adminView ? html`<div role="gridcell" class="cell">${token.owner.username}</div>` : nothing}
    <div role="gridcell" class="cell">${v.date(token.created_at, '—')}</div>
    ${caps.expiry.mode !== 'none' ? html`<div role="gridcell" class="cell">${v.date(token.expires_at, s.never)}</div>` : nothing}
    ${caps.lastUsed ? html`<div role="gridcell" class="cell">${v.date(token.last_used_at, s.notUsed)}</div>` : nothing}
    ${statusCell(v, token)}
    ${caps.scopes !== 'none' ? accessCell(s, token) : nothing}
    ${menuTrigger(v, token, label)}
  </div>`;
}

function accessCell(s: PatStrings, token: TokenMeta): TemplateResult {
  const labels = accessLabels(token, s.accessScoped);
  return html`<div role="gridcell" class="cell access" title=${labels.join(', ')}>
    <span class="access-summary" aria-hidden="true">${s.scopesSummary(labels.length, labels[0] ?? '')}</span
    ><span class="visually-hidden">${labels.length ? labels.join(', ') : s.allScopes}</span>
  </div>`;
}
