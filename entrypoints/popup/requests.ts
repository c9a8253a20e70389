/**
 * The popup's Requests view, for approvers: the header's "Requests" button with the number
 * waiting, and the kit's `<pat-token-requests>` (approve, or deny with a reason) over the
 * background, which holds the credential and keeps the badge in step with each decision.
 * Whether the user approves anything is the server's answer: a refusal hides the button.
 */
import { ProviderError } from '../../lib/errors.ts';
import { send, type RemoteProvider } from '../../extension/messaging/remote-provider.ts';
import { t } from '../../extension/i18n.ts';

const button = document.querySelector('#open-requests') as HTMLButtonElement;
const count = document.querySelector('#requests-count') as HTMLElement;

/** Requests waiting for this user on `serverId` (`null`: none of theirs to decide, or the server has no approvals). */
async function pendingCount(serverId: string): Promise<number | null> {
  try {
    const page = await send('requests.list', { serverId, state: 'pending' });
    return page.items.length;
  } catch (e) {
    if (e instanceof ProviderError && (e.code === 'forbidden' || e.code === 'unsupported_operation' || e.code === 'not_found')) return null;
    throw e;
  }
}

/** Shows the header button with the number waiting (hidden for non-approvers); `stillCurrent` drops a late answer. */
export async function showRequestsButton(serverId: string, stillCurrent: () => boolean): Promise<void> {
  const n = await pendingCount(serverId).catch(() => null);
  if (!stillCurrent()) return;
  button.hidden = n === null;
  count.textContent = n ? String(n) : '';
  count.hidden = !n;
  button.setAttribute('aria-label', n ? t('popupRequestsPending', n) : t('popupRequests'));
}

export function hideRequestsButton(): void {
  button.hidden = true;
}

/**
 * Opens the view in `view`: the kit's component with the server's provider; "Back" or Escape
 * calls `close`. Each decision updates the header's number.
 */
export async function openRequestsView(view: HTMLElement, provider: RemoteProvider, close: () => void): Promise<void> {
  await import('../../components/token-requests/token-requests.ts');
  const requests = document.createElement('pat-token-requests');
  requests.provider = provider;
  const recount = (): void => void showRequestsButton(provider.serverId, () => !view.hidden);
  requests.addEventListener('pat-request-approved', recount);
  requests.addEventListener('pat-request-denied', recount);
  const back = document.createElement('button');
  back.type = 'button';
  back.className = 'secondary back';
  back.textContent = t('popupRequestsBack');
  back.addEventListener('click', close);
  const heading = document.createElement('h2');
  heading.textContent = t('popupRequestsTitle');
  heading.tabIndex = -1;
  const panel = document.createElement('div');
  panel.append(back, heading, requests);
  // Escape goes back to the list, unless it is closing the component's reason dialog.
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && !requests.shadowRoot?.querySelector('dialog[open]')) close();
  });
  view.replaceChildren(panel);
  button.setAttribute('aria-expanded', 'true');
  heading.focus();
}

export function requestsClosed(): void {
  button.setAttribute('aria-expanded', 'false');
}
