/** The token list's state lines (loading, error, offline, empty) and its bulk bar. */
import { html, nothing, type TemplateResult } from 'lit';
import type { ScopedOwner } from '../../lib/provider.ts';
import type { PatStrings } from '../shared/strings.ts';

export interface ListStatus {
  loading: boolean;
  /** A provider is set, or the host gives `tokens` / `loading` itself (property mode). */
  connected: boolean;
  error: string | null;
  offline: boolean;
  /** Tokens loaded, and shown after the filters. */
  total: number;
  shown: number;
  scopeOwner: ScopedOwner | null;
  /** A filter narrows the list (the server's "unused" one too): nothing shown then is "no match", not "none yet". */
  filtered: boolean;
  /** A notice (the outcome of "Disable unused…") already says why nothing is listed. */
  notice: boolean;
  retry(): void;
  clearFilters(): void;
}

/** Nothing matches: one line, and the way back to every token. */
function noMatch(s: PatStrings, v: ListStatus): TemplateResult {
  return html`<div part="state" role="status">
    ${v.notice ? nothing : html`<span>${s.emptyFiltered}</span>`}
    <button type="button" part="clear-filters" @click=${() => v.clearFilters()}>${s.clearFilters}</button>
  </div>`;
}

/** What shows instead of the grid, or null when the grid has rows. The empty state is the `empty` slot's fallback. */
export function listState(s: PatStrings, v: ListStatus): TemplateResult | null {
  if (v.loading && v.total === 0) return html`<div part="state" role="status">${s.loading}</div>`;
  if (!v.connected) return html`<div part="state" role="status">${s.notConnected}</div>`;
  if (v.error)
    return html`<div part="state" role="alert">
      <strong>${s.errorTitle}</strong><span>${v.error}</span>
      <button type="button" @click=${() => v.retry()}>${s.retry}</button>
    </div>`;
  if (v.total === 0 && v.offline) return html`<div part="state" role="status">${s.offline}</div>`;
  if (v.total === 0 && !v.filtered) return html`<div part="state" role="status"><slot name="empty">${v.scopeOwner ? s.emptyScoped(v.scopeOwner.name) : s.empty}</slot></div>`;
  if (v.shown === 0) return noMatch(s, v);
  return null;
}

/**
 * The selection count, Delete (for one token, or several where the server has bulk delete; never
 * where the provider cannot delete) and Clear.
 */
export function bulkBar(s: PatStrings, selected: number, canDelete: boolean, bulkDelete: boolean, remove: () => void, clear: () => void): TemplateResult | typeof nothing {
  if (selected === 0) return nothing;
  return html`<div part="bulk-bar">
    <span>${s.selectedCount(selected)}</span>
    ${canDelete && (bulkDelete || selected === 1) ? html`<button type="button" class="danger" part="bulk-delete" @click=${remove}>${s.bulkDelete}</button>` : nothing}
    <button type="button" @click=${clear}>${s.clearSelection}</button>
  </div>`;
}
