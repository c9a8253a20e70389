/**
 * The extension's own strings, through `browser.i18n` (public/_locales/<lang>/messages.json).
 * Pages mark static text with `data-i18n="key"` and attributes with
 * `data-i18n-attr="attribute:key,attribute:key"`; code calls {@link t}. A test checks that every
 * key used exists in every locale and that no page or script keeps a user-facing literal.
 */
import { browser } from 'wxt/browser';

/** The message for `key` with `$1`… filled in; the key itself if the locale lacks it (a test forbids that). */
export function t(key: string, ...substitutions: Array<string | number>): string {
  const text = browser.i18n.getMessage(key as never, substitutions.map(String));
  return text || key;
}

/** Fills every `data-i18n` / `data-i18n-attr` element under `root`, templates included. */
export function localizeDocument(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr!.split(',')) {
      const [attribute, key] = pair.split(':').map((x) => x.trim());
      if (attribute && key) el.setAttribute(attribute, t(key));
    }
  }
  for (const template of root.querySelectorAll('template')) localizeDocument(template.content);
}
