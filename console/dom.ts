/** The console's small DOM and display helpers, shared by its pages (no framework: the kit's components do the rest). */
import { formatTime } from '../lib/dates.ts';

export type Child = Node | string | null | undefined | false;

/** `document.createElement` with attributes (`true` = present, `false`/`undefined` = absent) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** A data table: its caption (null: none, the table is labelled otherwise), one header row of column titles, and `body` for the rows. */
export function dataTable(attrs: Record<string, string | boolean | undefined>, caption: HTMLTableCaptionElement | null, columns: readonly string[], body: HTMLTableSectionElement): HTMLTableElement {
  return el('table', attrs, caption, el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col' }, c)))), body);
}

/** The message of whatever was thrown, for a page's error line. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A server time as the console shows it: in UTC (the audit log's and the server's clock), to the
 * minute or second, with the zone written out (lib/dates.ts: the product's one date rule).
 */
export function formatUtc(iso: string, withSeconds = false): string {
  return formatTime(document.documentElement.lang || undefined, iso, { timeZone: 'UTC', seconds: withSeconds });
}
