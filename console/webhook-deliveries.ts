/**
 * The delivery log of one webhook on the console's Webhooks page: every queued delivery with its
 * status, attempts and last answer, refreshable. Server strings go in as text only (docs/security.md rule 21).
 */
import { dataTable, el, errorText, formatUtc } from './dom.ts';
import type { WebhookClient, Webhook, WebhookDelivery } from './webhook-client.ts';
import { webhooksStrings } from './webhooks.strings.ts';

const when = (iso: string | null): string => (iso === null ? '—' : formatUtc(iso, true));

function statusLabel(d: WebhookDelivery): string {
  const s = webhooksStrings();
  if (d.status === 'pending') return d.attempt_count === 0 ? s.queued : s.retrying;
  return d.status === 'succeeded' ? s.delivered : s.failed;
}

function deliveryRow(d: WebhookDelivery): HTMLElement {
  const s = webhooksStrings();
  const last = d.attempts.at(-1);
  const attempts = el(
    'details',
    {},
    el('summary', {}, s.attemptsOf(d.attempt_count, d.max_attempts)),
    el(
      'ol',
      {},
      ...d.attempts.map((a) =>
        el('li', {}, `${when(a.at)}: ${a.status_code === null ? s.noAnswer : `HTTP ${a.status_code}`}, ${a.duration_ms} ms${a.error ? ` — ${a.error}` : ''}`),
      ),
    ),
  );
  return el(
    'tr',
    { 'data-delivery': d.id },
    el('td', {}, when(d.created_at)),
    el('td', {}, d.event_type),
    el('td', { class: `delivery-${d.status}` }, statusLabel(d)),
    el('td', {}, d.attempts.length ? attempts : '0'),
    el('td', {}, last ? (last.status_code === null ? s.noAnswer : String(last.status_code)) : '—'),
    el('td', {}, last?.error ?? '—'),
    el('td', {}, when(d.next_attempt_at)),
  );
}

/** Shows `hook`'s delivery log in `slot` (replacing what was there), focuses its heading and loads it. */
export async function showDeliveryLog(slot: HTMLElement, client: WebhookClient, hook: Webhook): Promise<void> {
  const s = webhooksStrings();
  const heading = el('h2', { id: 'delivery-log-title', tabindex: '-1' }, s.deliveriesTo(hook.url));
  const logStatus = el('p', { role: 'status', class: 'status' }, s.loadingDeliveries);
  const refresh = el('button', { type: 'button' }, s.refresh);
  const close = el('button', { type: 'button' }, s.closeLog);
  const logBody = el('tbody');
  const logTable = dataTable(
    { class: 'deliveries', hidden: true, 'aria-labelledby': 'delivery-log-title' },
    null,
    [s.colQueued, s.colEvent, s.colStatus, s.colAttempts, s.colLastAnswer, s.colLastError, s.colNextAttempt],
    logBody,
  );
  const load = async (): Promise<void> => {
    refresh.disabled = true;
    try {
      const items = await client.deliveries(hook.id);
      logBody.replaceChildren(...items.map(deliveryRow));
      logTable.hidden = items.length === 0;
      logStatus.textContent =
        items.length === 0 ? s.noDeliveries : s.deliveryCount(items.length);
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
