/**
 * The pages' language: the page's own strings translated (./i18n.ts), and `<html lang>` from the
 * browser's UI language, so the kit's components
 * (which take the nearest ancestor `lang`) speak the same language as the extension's own
 * strings, and the kit's German strings loaded when that language is German.
 *
 * `import.meta.glob` finds the kit's locale modules at build time; a locale the kit does not ship
 * yet is simply absent (English, built into the kit, is used).
 */
import { browser } from 'wxt/browser';
import { localizeDocument } from './i18n.ts';

const KIT_LOCALES = import.meta.glob('../components/locales/*.ts');

export async function applyUiLanguage(): Promise<string> {
  const lang = browser.i18n.getUILanguage() || 'en';
  document.documentElement.lang = lang;
  localizeDocument();
  const base = lang.toLowerCase().split('-')[0];
  const load = base && base !== 'en' ? KIT_LOCALES[`../components/locales/${base}.ts`] : undefined;
  if (load) {
    try {
      await load();
    } catch (error) {
      console.warn(`patkit: the kit's ${base} strings did not load; English is used`, error);
    }
  }
  return lang;
}
