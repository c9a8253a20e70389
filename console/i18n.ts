/**
 * The console's languages: English and German. The language is the one chosen in the header's
 * switch (kept in localStorage), else the first of the browser's `navigator.languages` the console
 * speaks, else English. `<html lang>` follows it, and so do the kit's components on the page (they
 * take the nearest `lang`; the kit's German locale is registered here) and every date (lib/dates.ts).
 *
 * Strings: each console page keeps its words in a `<page>.strings.ts` next to it, both languages in
 * one `defineStrings({ en, de })` call (German must have every English key: the type says so, and
 * test/console/strings.browser.test.ts checks that no value is empty). A page reads the table of the
 * language in effect when it renders:
 *
 *   // templates.strings.ts
 *   export const templatesStrings = defineStrings({
 *     en: { title: 'Templates', count: (n: number) => `${n} ${n === 1 ? 'template' : 'templates'}` },
 *     de: { title: 'Vorlagen', count: (n: number) => `${n} ${n === 1 ? 'Vorlage' : 'Vorlagen'}` },
 *   });
 *   // templates.ts
 *   const s = templatesStrings();   // at render time, not at module load: the language can change
 *   el('h1', {}, s.title);
 *
 * A new strings module is added to the list in the strings test. A language switch re-renders the
 * current page, so nothing has to listen for it.
 */
import '../components/locales/de.ts';

export const CONSOLE_LANGUAGES = ['en', 'de'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

/** The localStorage key of the header's language switch. */
export const LANGUAGE_KEY = 'patkit.console.lang';

const isConsoleLanguage = (value: unknown): value is ConsoleLanguage => CONSOLE_LANGUAGES.includes(value as ConsoleLanguage);

/** The saved choice if it is one the console speaks, else the first browser language it speaks (`de-AT` → `de`), else English. */
export function chooseLanguage(saved: string | null, browserLanguages: readonly string[]): ConsoleLanguage {
  if (isConsoleLanguage(saved)) return saved;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isConsoleLanguage(primary)) return primary;
  }
  return 'en';
}

let current: ConsoleLanguage = 'en';

/** The language in effect. */
export function consoleLanguage(): ConsoleLanguage {
  return current;
}

function savedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch {
    // Storage may be blocked (privacy settings): the browser's languages decide then.
    return null;
  }
}

/** Sets the language from the saved choice or the browser's (at start). */
export function startLanguage(browserLanguages: readonly string[] = navigator.languages): ConsoleLanguage {
  current = chooseLanguage(savedLanguage(), browserLanguages);
  document.documentElement.lang = current;
  return current;
}

/** The header switch's choice: in effect at once and kept for the next visit. */
export function switchLanguage(lang: ConsoleLanguage): void {
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(LANGUAGE_KEY, lang);
  } catch {
    // Not kept across visits when storage is blocked; the page still switches.
  }
}

type Text = string | ((...args: never[]) => string);
/** German's table: the same keys as English, string for string, function for function. */
type SameShape<T> = { [K in keyof T]: T[K] extends string ? string : T[K] };

/** A page's strings in both languages; calling the result gives the table of the language in effect. */
export function defineStrings<T extends Record<string, Text>>(tables: { en: T; de: NoInfer<SameShape<T>> }): (() => SameShape<T>) & { tables: Record<ConsoleLanguage, SameShape<T>> } {
  const all = tables as Record<ConsoleLanguage, SameShape<T>>;
  return Object.assign(() => all[current], { tables: all });
}

/** A count in the language in effect ("1 event", "2 events"; "1 Ereignis", "2 Ereignisse"). */
export function plural(n: number, one: string, other: string): string {
  return `${n} ${new Intl.PluralRules(current).select(n) === 'one' ? one : other}`;
}
