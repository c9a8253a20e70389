/**
 * `patkit/bundle` (patkit-kit.js, also what `patkit/loader` loads): everything `patkit` gives
 * (the shared list is components/kit-exports.ts), except that `<pat-token-details>` is a chunk of
 * its own (chunks/), fetched the first time a list opens a token's details, so a page pays for it
 * only when used. `loadTokenDetails()` defines it at once, for a page that places the tag itself.
 */
import { register } from './shared/register.ts';
import { PatTokenList } from './token-list/token-list.component.ts';

export * from './kit-exports.ts';
export type { PatTokenDetails } from './token-details/token-details.component.ts';

/** Loads and defines `<pat-token-details>` now (unless already defined); resolves with its class. */
export async function loadTokenDetails(): Promise<CustomElementConstructor> {
  const details = await PatTokenList.lazyDependencies['pat-token-details']();
  if (!customElements.getName?.(details)) register('pat-token-details', details);
  return details;
}
