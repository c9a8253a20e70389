/**
 * `patkit/bundle` (patkit-kit.js, also what `patkit/loader` loads): what `patkit` gives (the shared
 * list is components/kit-exports.ts), with the admin and rarely reached tags as chunks of their own
 * (chunks/), fetched the first time they are needed, so a page pays up front only for the list,
 * the manager and the dialogs those show:
 *
 * - `<pat-create-wizard>`, `<pat-scoped-token-form>`: when a manager first opens its dialog (it
 *   awaits the chunk, its Create button busy meanwhile);
 * - `<pat-reveal-dialog>`: with the wizard, or when a list first regenerates a token (before the
 *   server is asked, so the new secret goes straight to it);
 * - `<pat-token-details>`: when a list first opens a token's details;
 * - `<pat-role-manager>`, `<pat-token-requests>` (admin pages) and all of the above: when the page
 *   holds the tag (at load, or added later outside a shadow root), or when asked for with
 *   `loadElement(tag)`.
 *
 * The classes of lazy tags are exported as types only; `await loadElement(tag)` gives the class.
 */
import { defineLazy, type ClassLoader } from './shared/register.ts';
import { PatTokenList } from './token-list/token-list.component.ts';
import { PatTokenManager } from './token-manager/token-manager.component.ts';
import type { PatRevealDialog as RevealDialogClass } from './reveal-dialog/reveal-dialog.component.ts';

export * from './kit-exports.ts';
// Types only (erased at run time): the classes, and their tags in HTMLElementTagNameMap.
export type * from './create-wizard/create-wizard.ts';
export type * from './role-manager/role-manager.ts';
export type * from './scoped-token-form/scoped-token-form.ts';
export type * from './token-details/token-details.ts';
export type * from './token-requests/token-requests.ts';

const LAZY: Readonly<Record<string, ClassLoader>> = {
  'pat-create-wizard': PatTokenManager.lazyDependencies['pat-create-wizard'],
  'pat-reveal-dialog': PatTokenList.lazyDependencies['pat-reveal-dialog'],
  'pat-scoped-token-form': PatTokenManager.lazyDependencies['pat-scoped-token-form'],
  'pat-token-details': PatTokenList.lazyDependencies['pat-token-details'],
  'pat-role-manager': () => import('./role-manager/role-manager.component.ts').then((m) => m.PatRoleManager),
  'pat-token-requests': () => import('./token-requests/token-requests.component.ts').then((m) => m.PatTokenRequests),
};

/** The tags this bundle defines only on first use (`loadElement` or the tag seen on the page). */
export const LAZY_TAGS: readonly string[] = Object.keys(LAZY);

const loading = new Map<string, Promise<CustomElementConstructor>>();

/**
 * Defines `tag` now, fetching its chunk if it is a lazy one; resolves with its class. For a tag
 * defined up front it resolves at once; an unknown tag is refused.
 */
export function loadElement(tag: string): Promise<CustomElementConstructor> {
  const defined = customElements.get(tag);
  if (defined) return Promise.resolve(defined);
  const load = LAZY[tag];
  if (!load) return Promise.reject(new Error(`patkit: no such tag: ${tag}`));
  let pending = loading.get(tag);
  if (!pending) {
    pending = defineLazy(tag, load);
    // A failed fetch (offline) may be retried the next time the tag is asked for.
    pending.catch(() => loading.delete(tag));
    loading.set(tag, pending);
  }
  return pending;
}

/**
 * @deprecated In the bundle the reveal dialog is a chunk: `(await loadElement('pat-reveal-dialog')).reveal(…)`.
 * Kept so `PatRevealDialog.reveal(…)` from `patkit/bundle` still works (it fetches the dialog first).
 */
export const PatRevealDialog = {
  reveal: (...args: Parameters<typeof RevealDialogClass.reveal>): Promise<void> =>
    loadElement('pat-reveal-dialog').then((dialog) => (dialog as typeof RevealDialogClass).reveal(...args)),
};
export type PatRevealDialog = RevealDialogClass;

/** Loads and defines `<pat-token-details>` now (unless already defined); resolves with its class. */
export function loadTokenDetails(): Promise<CustomElementConstructor> {
  return loadElement('pat-token-details');
}

/**
 * Loads every lazy tag the document holds now (outside shadow roots) and not yet defined; resolves
 * once they are defined (the loader's `patkitReady` waits for it, after the page is parsed). Tags
 * added later are defined as soon as they are seen; await `loadElement(tag)` before calling a
 * method on one.
 */
export function definePageTags(): Promise<void> {
  return Promise.all(LAZY_TAGS.filter((tag) => !customElements.get(tag) && document.querySelector(tag)).map(loadElement)).then(() => undefined);
}

void definePageTags().catch(() => undefined);

if (typeof MutationObserver !== 'undefined') {
  const observer = new MutationObserver(() => {
    if (LAZY_TAGS.every((tag) => customElements.get(tag))) observer.disconnect();
    else void definePageTags().catch(() => undefined);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
}
