/** Escaping for the site's HTML, written by hand in the page renderers: every value goes through it. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `<code>…</code>` around a value, escaped; '' for an empty value. */
export function code(value: string): string {
  return value ? `<code>${escapeHtml(value)}</code>` : '';
}
