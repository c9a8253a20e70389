/**
 * The console's Requests page (`#/requests`, approvers): the kit's `<pat-token-requests>` with the
 * console's provider, and the pending count beside the nav item, kept in step with each decision.
 * Whether the signed-in user approves anything is the server's answer: a 403 means no page.
 */
import '../components/token-requests/token-requests.ts';
import type { PatTokenRequests } from '../components/token-requests/token-requests.component.ts';
import { ProviderError } from '../lib/errors.ts';
import type { TokenProvider } from '../lib/provider.ts';
import { el } from './dom.ts';
import { requestsStrings } from './requests.strings.ts';

/** The nav item's name, in the language in effect. */
export const requestsTitle = (): string => requestsStrings().title;

/** Requests waiting for this user's decision (`"20+"` past the first page), or `null` when the user approves nothing here. */
export async function pendingRequestCount(provider: TokenProvider): Promise<string | null> {
  if (!provider.capabilities.approval || !provider.listTokenRequests) return null;
  try {
    const page = await provider.listTokenRequests({ state: 'pending' });
    return page.next_cursor ? `${page.items.length}+` : String(page.items.length);
  } catch (e) {
    if (e instanceof ProviderError && (e.code === 'forbidden' || e.code === 'unsupported_operation' || e.code === 'not_found')) return null;
    // Another failure: the page is still offered, and says what went wrong there.
    return '';
  }
}

/**
 * Shows `count` beside the nav's Requests item (nothing for none). The number sits after the link
 * (the link's own box reserves its bold width), and the link's name says it in words.
 */
export function showPendingCount(root: ParentNode, count: string | null): void {
  const link = root.querySelector<HTMLAnchorElement>('nav a[data-route="requests"]');
  if (!link) return;
  link.parentElement?.querySelector('.count')?.remove();
  link.removeAttribute('aria-label');
  if (!count || count === '0') return;
  const s = requestsStrings();
  link.setAttribute('aria-label', `${s.title}, ${s.pending(count)}`);
  link.after(el('span', { class: 'count', 'aria-hidden': 'true' }, count));
}

/** `#/requests`: `recount` runs after each decision, to update the nav's number. */
export function renderRequests(main: HTMLElement, provider: TokenProvider, recount: () => void): void {
  const requests = document.createElement('pat-token-requests') as PatTokenRequests;
  requests.provider = provider;
  requests.addEventListener('pat-request-approved', recount);
  requests.addEventListener('pat-request-denied', recount);
  const s = requestsStrings();
  // The component titles each request with an h3: the list gets its h2.
  main.replaceChildren(el('h1', {}, s.title), el('p', { class: 'help' }, s.intro), el('h2', { class: 'visually-hidden' }, s.list), requests);
}
