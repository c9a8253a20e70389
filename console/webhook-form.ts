/**
 * The console's "New webhook" form and the one-time display of a new webhook's signing secret.
 */
import { WEBHOOK_EVENTS } from '../lib/webhook-events.ts';
import { el, errorText } from './dom.ts';
import { webhooksStrings } from './webhooks.strings.ts';
import type { Webhook, WebhookClient } from './webhook-client.ts';

/**
 * The server's refusals name its setting (`allow_private_webhook_targets`); on this page the admin
 * knows it as the switch above the table, so the two that do are said again naming the switch, in
 * the console's language. Other server messages stay as the server wrote them, the setting's name aside.
 */
export function refusalText(e: unknown): string {
  const s = webhooksStrings();
  const message = errorText(e);
  if (message === 'url must use https: plain http is allowed only when the setting allow_private_webhook_targets is on.') return s.httpRefused(s.privateLabel);
  const blocked = /^(\S+) (?:is|resolves to (\S+), which is) a loopback, private or link-local address .*the setting allow_private_webhook_targets is on\.$/.exec(message);
  if (blocked) return s.privateRefused(blocked[1]!, blocked[2] ?? null, s.privateLabel);
  return message.replace(/the setting allow_private_webhook_targets is on/g, s.switchOn(s.privateLabel));
}

/** Pings are opt-in; every other event is offered checked. */
const checkedByDefault = (event: string): boolean => event !== 'webhook.ping';

/**
 * The create form. After a webhook is created, its secret is shown in `secretSlot` and `created`
 * runs (the page reloads its list).
 */
export function webhookForm(client: WebhookClient, secretSlot: HTMLElement, created: () => Promise<void>): HTMLFormElement {
  const s = webhooksStrings();
  const url = el('input', { id: 'webhook-url', name: 'url', type: 'url', required: true, placeholder: 'https://hooks.example.com/patkit', 'aria-describedby': 'webhook-url-help' });
  const description = el('input', { id: 'webhook-description', name: 'description', maxlength: '500' });
  const boxes = WEBHOOK_EVENTS.map((event) => {
    const id = `event-${event.replace(/\./g, '-')}`;
    const box = el('input', { type: 'checkbox', id, name: 'events', value: event, checked: checkedByDefault(event) });
    return { box, item: el('div', { class: 'event' }, box, el('label', { for: id }, el('code', {}, event), ` — ${s[event]}`)) };
  });
  const formError = el('p', { role: 'alert', class: 'error' });
  const submit = el('button', { type: 'submit', class: 'primary' }, s.create);
  const form = el(
    'form',
    { class: 'webhook-form', 'aria-labelledby': 'webhook-form-title' },
    el('h2', { id: 'webhook-form-title' }, s.newWebhook),
    el('label', { for: 'webhook-url' }, s.receiverUrl),
    url,
    el('p', { id: 'webhook-url-help', class: 'help' }, s.urlHelp),
    el('label', { for: 'webhook-description' }, s.description),
    description,
    el('fieldset', {}, el('legend', {}, s.events), ...boxes.map((b) => b.item)),
    submit,
    formError,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    const events = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
    if (events.length === 0) {
      formError.textContent = s.chooseEvent;
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
  const s = webhooksStrings();
  const value = el('code', { class: 'secret', id: 'webhook-secret' }, secret);
  const copyStatus = el('span', { role: 'status', class: 'status' });
  const copy = el('button', { type: 'button', class: 'primary' }, s.copySecret);
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(secret);
      copyStatus.textContent = s.copied;
    } catch {
      copyStatus.textContent = s.copyFailed;
    }
  });
  const doneButton = el('button', { type: 'button' }, s.done);
  const panel = el(
    'section',
    { class: 'secret-panel', role: 'region', 'aria-labelledby': 'webhook-secret-title' },
    el('h2', { id: 'webhook-secret-title', tabindex: '-1' }, s.secretTitle),
    el('p', {}, s.secretBody(hook.url)),
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
