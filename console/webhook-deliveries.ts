/**
 * The delivery log of one webhook on the console's Webhooks page: every queued delivery with its
 * status, attempts and last answer, refreshable. Server strings go in as text only (docs/security.md rule 21).
 */
import { el, errorText, formatUtc } from './dom.ts';
import type { WebhookClient, Webhook, WebhookDelivery } from './webhook-client.ts';

const when = (iso: string | null): string => (iso === null ? '—' : formatUtc(iso, true));
const STATUS_LABEL: Record<WebhookDelivery['status'], string> = { pending: 'Retrying', succeeded: 'Delivered', failed: 'Failed' };
const COLUMNS = ['Queued', 'Event', 'Status', 'Attempts', 'Last answer', 'Last error', 'Next attempt'];

function deliveryRow(d: WebhookDelivery): HTMLElement {
  const last = d.attempts.at(-1);
  const attempts = el(
    'details',
    {},
    el('summary', {}, `${d.attempt_count} of ${d.max_attempts}`),
    el(
      'ol',
      {},
      ...d.attempts.map((a) =>
        el('li', {}, `${when(a.at)}: ${a.status_code === null ? 'no answer' : `HTTP ${a.status_code}`}, ${a.duration_ms} ms${a.error ? ` — ${a.error}` : ''}`),
      ),
    ),
  );
  return el(
    'tr',
    { 'data-delivery': d.id },
    el('td', {}, when(d.created_at)),
    el('td', {}, d.event_type),
    el('td', { class: `delivery-${d.status}` }, d.status === 'pending' && d.attempt_count === 0 ? 'Queued' : STATUS_LABEL[d.status]),
    el('td', {}, d.attempts.length ? attempts : '0'),
    el('td', {}, last ? (last.status_code === null ? 'no answer' : String(last.status_code)) : '—'),
    el('td', {}, last?.error ?? '—'),
    el('td', {}, when(d.next_attempt_at)),
  );
}

/** Shows `hook`'s delivery log in `slot` (replacing what was there), focuses its heading and loads it. */
export async function showDeliveryLog(slot: HTMLElement, client: WebhookClient, hook: Webhook): Promise<void> {
  const heading = el('h2', { id: 'delivery-log-title', tabindex: '-1' }, `Deliveries to ${hook.url}`);
  const logStatus = el('p', { role: 'status', class: 'status' }, 'Loading deliveries…');
  const refresh = el('button', { type: 'button' }, 'Refresh');
  const close = el('button', { type: 'button' }, 'Close log');
  const logBody = el('tbody');
  const logTable = el(
    'table',
    { class: 'deliveries', hidden: true, 'aria-labelledby': 'delivery-log-title' },
    el('thead', {}, el('tr', {}, ...COLUMNS.map((c) => el('th', { scope: 'col' }, c)))),
    logBody,
  );
  const load = async (): Promise<void> => {
    refresh.disabled = true;
    try {
      const items = await client.deliveries(hook.id);
      logBody.replaceChildren(...items.map(deliveryRow));
      logTable.hidden = items.length === 0;
      logStatus.textContent =
        items.length === 0 ? 'Nothing delivered yet. Send a ping to try the webhook.' : `${items.length} ${items.length === 1 ? 'delivery' : 'deliveries'}, newest first.`;
    } catch (e) {
      logStatus.textContent = errorText(e);
    } finally {
      refresh.disabled = false;
    }
  };
  refresh.addEventListener('click', () => void load());
  close.addEventListener('click', () => slot.replaceChildren());
  slot.replaceChildren(
    el('section', { class: 'delivery-log', 'aria-labelledby': 'delivery-log-title' }, heading, el('div', { class: 'actions' }, refresh, close), logStatus, logTable),
  );
  heading.focus();
  await load();
}
