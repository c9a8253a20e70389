/**
 * `patkit/bundle` (patkit-kit.js, also what `patkit/loader` loads): everything `patkit` gives
 * (components/index.ts; keep the two lists alike), except that `<pat-token-details>` is a chunk of
 * its own (chunks/), fetched the first time a list opens a token's details, so a page pays for it
 * only when used. `loadTokenDetails()` defines it at once, for a page that places the tag itself.
 */
import { register } from './shared/register.ts';
import { PatTokenList } from './token-list/token-list.component.ts';

export * from './token-list/token-list.ts';
export * from './create-wizard/create-wizard.ts';
export * from './reveal-dialog/reveal-dialog.ts';
export * from './role-manager/role-manager.ts';
export * from './token-manager/token-manager.ts';
export * from './confirm-dialog/confirm-dialog.ts';
export * from './scoped-token-form/scoped-token-form.ts';
export * from './shared/events.ts';
export { defaultScopedStrings, defaultStrings, mergeStrings, type PatStrings, type ScopedTokenStrings } from './shared/strings.ts';
export { registerLocale, type PatLocale } from './shared/locale.ts';
export type { CreatedToken, TokenMeta, User } from '../lib/model.ts';
export type { ProviderCapabilities, ProviderConfig, ScopedOwner, TokenProvider } from '../lib/provider.ts';
export type { PatTokenDetails } from './token-details/token-details.component.ts';

/** Loads and defines `<pat-token-details>` now (unless already defined); resolves with its class. */
export async function loadTokenDetails(): Promise<CustomElementConstructor> {
  const details = await PatTokenList.lazyDependencies['pat-token-details']();
  if (!customElements.getName?.(details)) register('pat-token-details', details);
  return details;
}
