/**
 * The console's "New webhook" form and the one-time display of a new webhook's signing secret.
 */
import { WEBHOOK_EVENTS, type WebhookEvent } from '../lib/webhook-events.ts';
import { el, errorText } from './dom.ts';
import type { Webhook, WebhookClient } from './webhook-client.ts';

/** What each event means, in the admin's words (a new event in lib/webhook-events.ts needs a line here). */
const EVENT_LABELS: Record<WebhookEvent, string> = {
  'token.expiring': 'A token expires in 7, 3 or 1 days',
  'token.disabled': 'A token was disabled (also for being unused)',
  'token.reported_leaked': 'A token was reported leaked (and disabled)',
  'token.rotated': 'A token was regenerated',
  'token.grace_ending': 'The grace period of a regenerated token ends within the hour',
  'token.request_created': 'A token request waits for approval',
  'token.request_approved': 'A token request was approved',
  'token.request_denied': 'A token request was denied',
  'webhook.ping': 'Test deliveries (sent on request)',
};

/** The Webhooks page's switch that lifts the https / public-address rule. */
export const PRIVATE_TARGETS_LABEL = 'Allow http and private network targets';

/**
 * The server's refusal names its setting (`allow_private_webhook_targets`); on this page the admin
 * knows it as the switch above the table, so the message names that instead.
 */
export function refusalText(e: unknown): string {
  return errorText(e).replace(/the setting allow_private_webhook_targets is on/g, `the switch "${PRIVATE_TARGETS_LABEL}" above is on`);
}

/** Pings are opt-in; every other event is offered checked. */
const checkedByDefault = (event: string): boolean => event !== 'webhook.ping';

/**
 * The create form. After a webhook is created, its secret is shown in `secretSlot` and `created`
 * runs (the page reloads its list).
 */
export function webhookForm(client: WebhookClient, secretSlot: HTMLElement, created: () => Promise<void>): HTMLFormElement {
  const url = el('input', { id: 'webhook-url', name: 'url', type: 'url', required: true, placeholder: 'https://hooks.example.com/patkit', 'aria-describedby': 'webhook-url-help' });
  const description = el('input', { id: 'webhook-description', name: 'description', maxlength: '500' });
  const boxes = WEBHOOK_EVENTS.map((event) => {
    const id = `event-${event.replace(/\./g, '-')}`;
    const box = el('input', { type: 'checkbox', id, name: 'events', value: event, checked: checkedByDefault(event) });
    return { box, item: el('div', { class: 'event' }, box, el('label', { for: id }, el('code', {}, event), ` — ${EVENT_LABELS[event]}`)) };
  });
  const formError = el('p', { role: 'alert', class: 'error' });
  const submit = el('button', { type: 'submit', class: 'primary' }, 'Create webhook');
  const form = el(
    'form',
    { class: 'webhook-form', 'aria-labelledby': 'webhook-form-title' },
    el('h2', { id: 'webhook-form-title' }, 'New webhook'),
    el('label', { for: 'webhook-url' }, 'Receiver URL'),
    url,
    el('p', { id: 'webhook-url-help', class: 'help' }, 'patkit POSTs signed JSON here (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).'),
    el('label', { for: 'webhook-description' }, 'Description (optional)'),
    description,
    el('fieldset', {}, el('legend', {}, 'Events'), ...boxes.map((b) => b.item)),
    submit,
    formError,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    const events = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
    if (events.length === 0) {
      formError.textContent = 'Choose at least one event.';
      boxes[0]!.box.focus();
      return;
    }
    submit.disabled = true;
    try {
      const answer = await client.create({ url: url.value.trim(), events, description: description.value.trim() });
      form.reset();
      for (const b of boxes) b.box.checked = checkedByDefault(b.box.value);
      showSecret(secretSlot, answer.webhook, answer.secret, () => url.focus());
      await created();
    } catch (e) {
      formError.textContent = refusalText(e);
      url.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** The signing secret, once: the node and the only reference go when the admin is done (`done` runs then). */
function showSecret(slot: HTMLElement, hook: Webhook, secret: string, done: () => void): void {
  const value = el('code', { class: 'secret', id: 'webhook-secret' }, secret);
  const copyStatus = el('span', { role: 'status', class: 'status' });
  const copy = el('button', { type: 'button', class: 'primary' }, 'Copy secret');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(secret);
      copyStatus.textContent = 'Copied.';
    } catch {
      copyStatus.textContent = 'Copying failed: select the secret and copy it by hand.';
    }
  });
  const doneButton = el('button', { type: 'button' }, 'Done');
  const panel = el(
    'section',
    { class: 'secret-panel', role: 'region', 'aria-labelledby': 'webhook-secret-title' },
    el('h2', { id: 'webhook-secret-title', tabindex: '-1' }, 'Signing secret'),
    el('p', {}, `Webhook for ${hook.url} created. Give your receiver this secret to verify signatures. It is shown only now: copy it before you leave.`),
    value,
    el('div', { class: 'actions' }, copy, doneButton, copyStatus),
  );
  doneButton.addEventListener('click', () => {
    panel.remove();
    done();
  });
  slot.replaceChildren(panel);
  panel.querySelector<HTMLElement>('h2')!.focus();
}
