/**
 * Locales: the language a component speaks comes from its own `lang` attribute or the nearest
 * ancestor's (walking up across shadow roots, as native controls do), `en` by default. English is
 * built in; other languages register themselves (`import 'patkit/locales/de'`), so a host that
 * imports none pays nothing for them. Strings and `Intl` dates use the same locale, so a page never
 * mixes two languages: a `lang` without a registered locale falls back to English for both.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatDay, formatTime } from '../../lib/dates.ts';
import type { FineGrainedStrings } from '../create-wizard/fine-grained.strings.ts';
import type { DetailsStrings } from '../token-details/token-details.strings.ts';
import type { RequestsStrings } from '../token-requests/token-requests.strings.ts';
import type { ScopedTokenStrings } from '../scoped-token-form/scoped-token-form.strings.ts';
import { commonStrings } from './common.strings.ts';
import type { PatStrings } from './strings.ts';

export interface PatLocale {
  /** BCP 47 language tag, e.g. `de` (also matches `de-AT` unless that registers its own). */
  lang: string;
  strings: PatStrings;
  /** The organisation / group "Create access token" form. */
  scoped: ScopedTokenStrings;
  /** `<pat-token-details>` (its English strings ship with its own, lazily loaded code). */
  details?: Partial<DetailsStrings>;
  /** `<pat-token-requests>` (its English strings ship with its own code). */
  requests?: Partial<RequestsStrings>;
  /** The wizard's templates, resources, IP allow-list and approval (English ships with the wizard's own code). */
  wizard?: Partial<FineGrainedStrings>;
}

/**
 * English holds only the shared words here: each component hands its own English parts to its
 * `LocaleController` (the organisation form's through `scoped`), so an entry never carries the
 * strings of components it does not contain.
 */
const englishLocale: PatLocale = { lang: 'en', strings: commonStrings as unknown as PatStrings, scoped: {} as ScopedTokenStrings };
const locales = new Map<string, PatLocale>([['en', englishLocale]]);
const controllers = new Set<LocaleController>();
let observer: MutationObserver | null = null;

/** Adds (or replaces) a locale; components on the page re-render in it at once. */
export function registerLocale(locale: PatLocale): void {
  locales.set(locale.lang.toLowerCase(), locale);
  for (const c of controllers) c.refresh();
}

/** The locale for a language tag: exact, then its primary language, then English. */
export function findLocale(tag: string): PatLocale {
  const lower = tag.toLowerCase();
  return locales.get(lower) ?? locales.get(lower.split('-')[0]!) ?? englishLocale;
}

/** The nearest `lang` attribute from `el` upwards, across shadow roots; `en` when none. */
export function langOf(el: Element): string {
  let node: Node | null = el;
  while (node) {
    if (node instanceof Element) {
      const lang = node.getAttribute('lang');
      if (lang) return lang;
    }
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return 'en';
}

const formats = new Map<string, Intl.RelativeTimeFormat>();

/** One formatter per kind and language; a tag `Intl` refuses falls back to English. */
function formatter<T extends Intl.RelativeTimeFormat>(kind: string, tag: string, make: (tag: string) => T): T {
  const key = `${kind} ${tag}`;
  let format = formats.get(key) as T | undefined;
  if (!format) {
    try {
      format = make(tag);
    } catch {
      format = make('en');
    }
    formats.set(key, format);
  }
  return format;
}

/** A short date in `tag`'s language (lib/dates.ts: with the zone when `withTime`), or `fallback` when absent / unparsable. */
export function formatDateIn(tag: string, iso: string | null, fallback: string, withTime = false): string {
  if (!iso) return fallback;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? fallback : withTime ? formatTime(tag, t) : formatDay(tag, t);
}

/** "in 5 hours", "3 days ago", in `tag`'s language: the largest of minutes, hours, days that is at least one when rounded. */
export function relativeTimeIn(tag: string, iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  const abs = Math.abs(seconds);
  const [unit, size] = abs >= 84_600 ? (['day', 86_400] as const) : abs >= 3570 ? (['hour', 3600] as const) : (['minute', 60] as const);
  return formatter('r', tag, (t) => new Intl.RelativeTimeFormat(t, { numeric: 'auto' })).format(Math.round(seconds / size), unit);
}

/**
 * Gives a component its locale: resolved before each render, and a re-render when a `lang`
 * attribute on the page changes or a locale is registered.
 */
export class LocaleController implements ReactiveController {
  readonly #host: ReactiveControllerHost & Element;
  /** This component's English strings: the shared words and the parts it shows (`*.strings.ts`). */
  readonly #english: PatStrings;
  #locale: PatLocale = englishLocale;
  #tag = 'en';

  constructor(host: ReactiveControllerHost & Element, ...englishParts: Partial<PatStrings>[]) {
    this.#host = host;
    this.#english = Object.assign({}, commonStrings, ...englishParts) as PatStrings;
    host.addController(this);
  }

  hostConnected(): void {
    controllers.add(this);
    if (!observer && typeof MutationObserver !== 'undefined') {
      observer = new MutationObserver(() => {
        for (const c of controllers) c.refresh();
      });
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    }
    this.#resolve();
  }

  hostDisconnected(): void {
    controllers.delete(this);
  }

  hostUpdate(): void {
    this.#resolve();
  }

  /** Re-resolves the language and re-renders when it changed. */
  refresh(): void {
    const before = this.#locale;
    const tag = this.#tag;
    this.#resolve();
    if (before !== this.#locale || tag !== this.#tag) this.#host.requestUpdate();
  }

  /** The language tag in effect (the requested one when its locale exists, else the fallback's). */
  get lang(): string {
    return this.#tag;
  }

  /** The locale's strings with a component's `overrides` on top. */
  strings(overrides?: Partial<PatStrings>): PatStrings {
    const base = this.#locale === englishLocale ? this.#english : this.#locale.strings;
    return overrides && Object.keys(overrides).length ? { ...base, ...overrides } : base;
  }

  /** The organisation form's strings: `english` (its own defaults, which only its users carry) unless another locale is in effect. */
  scoped(english: ScopedTokenStrings, overrides?: Partial<ScopedTokenStrings>): ScopedTokenStrings {
    return { ...(this.#locale === englishLocale ? english : this.#locale.scoped), ...overrides };
  }

  /** The locale in effect (for components with strings of their own, e.g. the details view). */
  get locale(): PatLocale {
    return this.#locale;
  }

  /** A short date in this language; with the time of day when `withTime`. */
  date(iso: string | null, fallback: string, withTime = false): string {
    return formatDateIn(this.#tag, iso, fallback, withTime);
  }

  /** "in 5 hours" / "3 days ago" in this language. */
  relative(iso: string): string {
    return relativeTimeIn(this.#tag, iso);
  }

  #resolve(): void {
    const requested = langOf(this.#host);
    const locale = findLocale(requested);
    this.#locale = locale;
    const primary = requested.toLowerCase().split('-')[0];
    this.#tag = primary === locale.lang.toLowerCase().split('-')[0] ? requested : locale.lang;
  }
}
