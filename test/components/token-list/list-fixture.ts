/**
 * Helpers for tests that drive `<pat-token-list>` (its own tests, the token actions it runs, the
 * details view and "Disable unused…" it opens): a loaded list, its rows, its row menu and the
 * confirmation it asks.
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/token-list/token-list.ts';
import type { PatConfirmDialog } from '../../../components/confirm-dialog/confirm-dialog.component.ts';
import type { PatTokenDetails } from '../../../components/token-details/token-details.component.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import type { TokenProvider } from '../../../lib/provider.ts';

export const DAY = 86_400_000;
export const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

export const sr = (el: Element): ShadowRoot => el.shadowRoot!;
export const rows = (el: PatTokenList): HTMLElement[] => [...sr(el).querySelectorAll<HTMLElement>('[part~="row"]')];

/** A list on `provider` whose rows have rendered. */
export async function loaded(provider: TokenProvider, owner = 'me', lang = 'en'): Promise<PatTokenList> {
  const el = await fixture<PatTokenList>(html`<pat-token-list lang=${lang} .provider=${provider} owner=${owner}></pat-token-list>`);
  await waitUntil(() => !el.loading && rows(el).length > 0, 'rows rendered');
  // The confirmation comes with the list's later part (fetched when the list is idle): tests read it synchronously.
  await customElements.whenDefined('pat-confirm-dialog');
  return el;
}

export const confirmOf = (el: Element): PatConfirmDialog => sr(el).querySelector('pat-confirm-dialog') as PatConfirmDialog;

/** Waits for the list's confirmation to open; its shadow root. */
export async function confirmOpen(el: Element): Promise<ShadowRoot> {
  await customElements.whenDefined('pat-confirm-dialog');
  const dialog = confirmOf(el);
  await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open, 'confirmation open');
  return dialog.shadowRoot!;
}

/** Confirms the open question, typing `password` first when given. */
export async function answerConfirm(el: Element, password?: string): Promise<void> {
  const root = await confirmOpen(el);
  if (password !== undefined) root.querySelector<HTMLInputElement>('input[type="password"]')!.value = password;
  root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
}

/** Opens row `index`'s menu and picks `action`. */
export async function menuAction(el: PatTokenList, index: number, action: string): Promise<void> {
  rows(el)[index]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
  await waitUntil(() => sr(el).querySelector(`[part="menu"] [data-action="${action}"]`), `menu item ${action}`);
  sr(el).querySelector<HTMLButtonElement>(`[part="menu"] [data-action="${action}"]`)!.click();
}

/** The details view the list opened, if one is open. */
export const detailsOf = (el: PatTokenList): PatTokenDetails | null => sr(el).querySelector('pat-token-details') as PatTokenDetails | null;
