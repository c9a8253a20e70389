import { css } from 'lit';

/*
 * Toolbar labels are small text, their controls keep the buttons' font size. The body is at most
 * --pat-list-height tall: a few rows take only their own height.
 */

export const tokenListStyles = css`
  :host {
    --_row-height: var(--pat-list-row-height, 3.25rem);
    --_height: var(--pat-list-height, 26rem);
    --_selected: var(--pat-list-selected-bg, color-mix(in srgb, var(--_accent) 14%, transparent));
    position: relative;
  }
  [part='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--_space);
    margin-bottom: var(--_space);
  }
  [part='toolbar'] label {
    display: grid;
    gap: 0.125rem;
    font-size: 0.85em;
    color: var(--_muted);
  }
  [part='toolbar'] label > :is(input, select) {
    font-size: var(--_font-size);
    color: var(--_fg);
  }
  [part='toolbar'] input[type='search'] {
    min-width: 12rem;
  }
  [part='bulk-bar'] {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: 0.25rem var(--_space);
    margin-bottom: var(--_space);
    border-radius: var(--_radius);
    background: var(--_selected);
  }
  [part='grid'] {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    overflow: hidden;
  }
  .row {
    display: grid;
    grid-template-columns: var(--_cols);
    align-items: center;
    gap: var(--_space);
    width: 100%;
    height: var(--_row-height);
    padding: 0 var(--_space);
    border-bottom: 1px solid var(--_border);
    cursor: default;
    user-select: none;
  }
  .row[aria-selected='true'] {
    background: var(--_selected);
  }
  /* The ring is drawn inside the row (no outer shadow), so it never covers the next row. */
  .row:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
    box-shadow: none;
  }
  /* A header longer than its column ("Zuletzt verwendet") wraps between words instead of being cut. */
  [part='header'] .row {
    height: auto;
    min-height: 2.5rem;
    padding-block: 0.25rem;
    background: var(--_surface);
    font-weight: 600;
  }
  [part='header'] .cell {
    white-space: normal;
    text-overflow: clip;
    line-height: 1.2;
  }
  [part='header'] button {
    border: none;
    background: none;
    padding: 0;
    min-height: auto;
    font-weight: inherit;
    text-align: start;
  }
  [part='body'] {
    max-height: var(--_height);
    overflow: auto;
    overscroll-behavior: contain;
  }
  .spacer {
    position: relative;
  }
  [part='body'] .row {
    position: absolute;
    top: 0;
    left: 0;
  }
  .cell {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .name {
    font-weight: 600;
  }
  /* Access wraps onto a second line (a long scope id breaks anywhere) instead of cutting off; the
     row keeps its fixed height, so the full list is in the title and, for assistive tech, in text. */
  .cell.access {
    white-space: normal;
    text-overflow: clip;
  }
  .access-summary {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow: hidden;
    overflow-wrap: anywhere;
    line-height: 1.25;
    font-size: 0.9em;
  }
  .description {
    display: block;
    overflow: hidden;
    text-overflow: ellipsis;
    color: var(--_muted);
    font-size: 0.9em;
  }
  /* The grace note wraps onto a second line rather than being cut; the full text is in its title. */
  .cell:has(> .grace) {
    white-space: normal;
    line-height: 1.15;
  }
  .description.grace {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow-wrap: anywhere;
  }
  .status {
    display: inline-block;
    padding: 0 0.5rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    font-size: 0.8em;
  }
  .status.active {
    color: var(--_success);
  }
  .status.expired,
  .status.disabled {
    color: var(--_muted);
  }
  .status.expiring,
  .status.pending,
  .status.scheduled {
    color: var(--pat-color-warning, light-dark(#7a4d00, #e3b341));
  }
  .status.denied,
  .status.policy {
    color: var(--_danger);
  }
  [part='menu'] {
    position: fixed;
    z-index: 10;
    display: grid;
    min-width: 12rem;
    padding: 0.25rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.2);
  }
  [part='menu'] button {
    justify-content: flex-start;
    border: none;
    background: none;
  }
  [part='menu'] button:hover,
  [part='menu'] button:focus-visible {
    background: var(--_surface);
  }
  [part='menu'] button.danger-item {
    color: var(--_danger);
  }
  [part='state'] {
    display: grid;
    place-items: center;
    gap: var(--_space);
    min-height: 8rem;
    padding: calc(var(--_space) * 3);
    text-align: center;
    color: var(--_muted);
  }
  [part='offline'] {
    padding: var(--_space);
    margin-bottom: var(--_space);
    border-radius: var(--_radius);
    background: var(--_warning-bg);
  }
  .count {
    margin-left: auto;
    color: var(--_muted);
  }
  @media (forced-colors: active) {
    .row[aria-selected='true'] {
      outline: 2px solid Highlight;
    }
  }
`;
