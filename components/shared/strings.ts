/**
 * Every English string the kit shows: the built-in `en` locale, exported for hosts as one object.
 * Each component's own English strings live in a part next to it (`*.strings.ts`), so a component's
 * entry carries only the parts it shows; this module joins them into the public `defaultStrings` and
 * `PatStrings`. Other languages are locales registered with `registerLocale` (components/locales/de.ts);
 * a component's `strings` property (a partial object) overrides single strings over its locale's.
 * Strings quoted by the source documents (seeds 000, 001) are kept word for word.
 */
import { wizardStrings } from '../create-wizard/create-wizard.strings.ts';
import { revealStrings } from '../reveal-dialog/reveal-dialog.strings.ts';
import { rolesStrings } from '../role-manager/role-manager.strings.ts';
import { listStrings } from '../token-list/token-list.strings.ts';
import { commonStrings } from './common.strings.ts';
import { confirmStrings } from './confirm.strings.ts';

export { defaultScopedStrings, type ScopedTokenStrings } from '../scoped-token-form/scoped-token-form.strings.ts';

export const defaultStrings = {
  ...listStrings,
  ...confirmStrings,
  ...commonStrings,
  ...wizardStrings,
  ...revealStrings,
  ...rolesStrings,
} as const;

type Widen<T> = T extends string ? string : T;
/** The shape of the strings; override any subset through `strings`. */
export type PatStrings = { [K in keyof typeof defaultStrings]: Widen<(typeof defaultStrings)[K]> };

/** Defaults merged with a host's overrides. */
export function mergeStrings(overrides: Partial<PatStrings> | undefined): PatStrings {
  return { ...defaultStrings, ...(overrides ?? {}) } as PatStrings;
}
