/**
 * The console's Webhooks page (`#/webhooks`, admins with `settings:write`): the webhooks of the
 * server with pause / resume, ping and delete (after a confirmation), a form to create one (its
 * signing secret is shown once, with a copy button), each webhook's delivery log (status, attempts,
 * errors), and the `allow_private_webhook_targets` switch. It talks to `/api/v1/webhooks` through a
 * small typed client of its own, with the console's session (cookie + CSRF header, or bearer).
 * Server strings go in as text only (docs/security.md rule 21).
 */
import '../components/confirm-dialog/confirm-dialog.ts';
import type { PatConfirmDialog } from '../components/confirm-dialog/confirm-dialog.component.ts';
import { HttpClient, segment } from '../lib/http.ts';
import { badShape, readObject, readString, readStringOrNull, type Json, type Parser } from '../lib/parse.ts';
import { CSRF_HEADER } from '../lib/providers/reference-server/wire.ts';
import { el, errorText } from './dom.ts';

export const WEBHOOK_EVENTS: Array<{ id: string; label: string }> = [
  { id: 'token.expiring', label: 'A token expires in 7, 3 or 1 days' },
  { id: 'token.disabled', label: 'A token was disabled (also for being unused)' },
  { id: 'token.reported_leaked', label: 'A token was reported leaked (and disabled)' },
  { id: 'token.rotated', label: 'A token was regenerated' },
  { id: 'token.grace_ending', label: 'The grace period of a regenerated token ends within the hour' },
  { id: 'webhook.ping', label: 'Test deliveries (sent on request)' },
];

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttempt {
  attempt: number;
  at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  next_retry_at: string | null;
}

export interface WebhookDelivery {
  id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  created_at: string;
  attempt_count: number;
  max_attempts: number;
  next_attempt_at: string | null;
  attempts: WebhookAttempt[];
}

function readNumber(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number') throw badShape(`${path}.${key}`, 'a number', v);
  return v;
}

function readBoolean(o: Json, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw badShape(`${path}.${key}`, 'true or false', v);
  return v;
}

function readList<T>(o: Json, key: string, path: string, item: Parser<T>): T[] {
  const v = o[key];
  if (!Array.isArray(v)) throw badShape(`${path}.${key}`, 'a list', v);
  return v.map((x, i) => item(x, `${path}.${key}[${i}]`));
}

const parseString: Parser<string> = (value, path) => {
  if (typeof value !== 'string') throw badShape(path, 'a string', value);
  return value;
};

export const parseWebhook: Parser<Webhook> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    url: readString(o, 'url', path),
    events: readList(o, 'events', path, parseString),
    active: readBoolean(o, 'active', path),
    description: readString(o, 'description', path),
    created_at: readString(o, 'created_at', path),
    updated_at: readString(o, 'updated_at', path),
  };
};

const parseAttempt: Parser<WebhookAttempt> = (value, path) => {
  const o = readObject(value, path);
  const code = o['status_code'];
  if (code !== null && typeof code !== 'number') throw badShape(`${path}.status_code`, 'a number or null', code);
  return {
    attempt: readNumber(o, 'attempt', path),
    at: readString(o, 'at', path),
    status_code: code,
    duration_ms: readNumber(o, 'duration_ms', path),
    error: readStringOrNull(o, 'error', path),
    next_retry_at: readStringOrNull(o, 'next_retry_at', path),
  };
};

const parseDelivery: Parser<WebhookDelivery> = (value, path) => {
  const o = readObject(value, path);
  const status = readString(o, 'status', path);
  if (status !== 'pending' && status !== 'succeeded' && status !== 'failed') throw badShape(`${path}.status`, 'pending, succeeded or failed', status);
  return {
    id: readString(o, 'id', path),
    event_type: readString(o, 'event_type', path),
    status,
    created_at: readString(o, 'created_at', path),
    attempt_count: readNumber(o, 'attempt_count', path),
    max_attempts: readNumber(o, 'max_attempts', path),
    next_attempt_at: readStringOrNull(o, 'next_attempt_at', path),
    attempts: readList(o, 'attempts', path, parseAttempt),
  };
};

export interface WebhookClientConfig {
  baseUrl: string;
  sessionMode: 'bearer' | 'cookie';
  /** The bearer credential (bearer mode); cookie mode sends the CSRF header instead. */
  credential?: () => string | null;
}

/** Typed calls to `/api/v1/webhooks` with the console's session. */
export class WebhookClient {
  readonly #http: HttpClient;

  constructor(config: WebhookClientConfig) {
    this.#http = new HttpClient({
      baseUrl: config.baseUrl,
      serverLabel: 'The patkit server',
      credentials: config.sessionMode === 'cookie' ? 'same-origin' : 'omit',
      headers: (): Record<string, string> => {
        if (config.sessionMode === 'cookie') return { [CSRF_HEADER]: '1' };
        const credential = config.credential?.() ?? null;
        return credential ? { authorization: `Bearer ${credential}` } : {};
      },
      secrets: () => [config.credential?.() ?? null],
    });
  }

  list(): Promise<Webhook[]> {
    return this.#http.request({
      method: 'GET',
      path: '/api/v1/webhooks',
      parse: (v, p) => readList(readObject(v, p), 'items', p, parseWebhook),
      what: 'webhook list',
    });
  }

  create(draft: { url: string; events: string[]; description: string }): Promise<{ webhook: Webhook; secret: string }> {
    return this.#http.request({
      method: 'POST',
      path: '/api/v1/webhooks',
      body: draft,
      parse: (v, p) => {
        const o = readObject(v, p);
        return { webhook: parseWebhook(o['webhook'], `${p}.webhook`), secret: readString(o, 'secret', p) };
      },
      what: 'new webhook',
    });
  }

  update(id: string, patch: Partial<Pick<Webhook, 'url' | 'events' | 'description' | 'active'>>): Promise<Webhook> {
    return this.#http.request({ method: 'PATCH', path: `/api/v1/webhooks/${segment(id)}`, body: patch, parse: parseWebhook, what: 'webhook' });
  }

  async remove(id: string): Promise<void> {
    await this.#http.request({ method: 'DELETE', path: `/api/v1/webhooks/${segment(id)}` });
  }

  ping(id: string): Promise<string> {
    return this.#http.request({
      method: 'POST',
      path: `/api/v1/webhooks/${segment(id)}/ping`,
      body: {},
      parse: (v, p) => readString(readObject(v, p), 'delivery_id', p),
      what: 'ping',
    });
  }

  deliveries(id: string): Promise<WebhookDelivery[]> {
    return this.#http.request({
      method: 'GET',
      path: `/api/v1/webhooks/${segment(id)}/deliveries`,
      query: { limit: 50 },
      parse: (v, p) => readList(readObject(v, p), 'items', p, parseDelivery),
      what: 'delivery log',
    });
  }

  async allowPrivateTargets(): Promise<boolean> {
    return this.#http.request({
      method: 'GET',
      path: '/api/v1/settings',
      parse: (v, p) => readObject(v, p)['allow_private_webhook_targets'] === true,
      what: 'settings',
    });
  }

  async setAllowPrivateTargets(allowed: boolean): Promise<boolean> {
    return this.#http.request({
      method: 'PATCH',
      path: '/api/v1/settings',
      body: { allow_private_webhook_targets: allowed },
      parse: (v, p) => readObject(v, p)['allow_private_webhook_targets'] === true,
      what: 'settings',
    });
  }
}

// ---- page ------------------------------------------------------------------------------------

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
const when = (iso: string | null): string => (iso === null ? '—' : dateTime.format(Date.parse(iso)));
const STATUS_LABEL: Record<WebhookDelivery['status'], string> = { pending: 'Retrying', succeeded: 'Delivered', failed: 'Failed' };

/** `#/webhooks`. */
export async function renderWebhooks(main: HTMLElement, client: WebhookClient): Promise<void> {
  const status = el('p', { role: 'status', class: 'status' }, 'Loading webhooks…');
  const error = el('p', { role: 'alert', class: 'error' });
  const confirm = document.createElement('pat-confirm-dialog') as PatConfirmDialog;
  const body = el('tbody');
  const table = el(
    'table',
    { class: 'webhooks', hidden: true },
    el('caption', { class: 'visually-hidden' }, 'Webhooks'),
    el('thead', {}, el('tr', {}, ...['URL', 'Events', 'State', 'Description', 'Actions'].map((c) => el('th', { scope: 'col' }, c)))),
    body,
  );
  const secretSlot = el('div');
  const logSlot = el('div');

  const setError = (e: unknown): void => {
    status.textContent = '';
    error.textContent = errorText(e);
  };

  // ---- the private-targets switch ----
  const privateSwitch = el('input', { type: 'checkbox', role: 'switch', id: 'allow-private-targets', 'aria-describedby': 'allow-private-targets-help' });
  privateSwitch.disabled = true;
  privateSwitch.addEventListener('change', async () => {
    error.textContent = '';
    privateSwitch.disabled = true;
    try {
      privateSwitch.checked = await client.setAllowPrivateTargets(privateSwitch.checked);
      status.textContent = privateSwitch.checked ? 'Webhooks may now use http and private addresses.' : 'Webhooks are limited to https and public addresses.';
    } catch (e) {
      privateSwitch.checked = !privateSwitch.checked;
      setError(e);
    } finally {
      privateSwitch.disabled = false;
    }
  });
  const privateSetting = el(
    'div',
    { class: 'setting' },
    privateSwitch,
    el('label', { for: 'allow-private-targets' }, 'Allow http and private network targets'),
    el(
      'p',
      { id: 'allow-private-targets-help', class: 'help' },
      'Off (recommended): webhooks must use https and reach public addresses only, checked again before every delivery. Turn on only for receivers inside your own network.',
    ),
  );

  // ---- the delivery log of one webhook ----
  const showLog = async (hook: Webhook): Promise<void> => {
    const heading = el('h2', { id: 'delivery-log-title', tabindex: '-1' }, `Deliveries to ${hook.url}`);
    const logStatus = el('p', { role: 'status', class: 'status' }, 'Loading deliveries…');
    const refresh = el('button', { type: 'button' }, 'Refresh');
    const close = el('button', { type: 'button' }, 'Close log');
    const logBody = el('tbody');
    const logTable = el(
      'table',
      { class: 'deliveries', hidden: true, 'aria-labelledby': 'delivery-log-title' },
      el('thead', {}, el('tr', {}, ...['Queued (UTC)', 'Event', 'Status', 'Attempts', 'Last answer', 'Last error', 'Next attempt'].map((c) => el('th', { scope: 'col' }, c)))),
      logBody,
    );
    const load = async (): Promise<void> => {
      refresh.disabled = true;
      try {
        const items = await client.deliveries(hook.id);
        logBody.replaceChildren(
          ...items.map((d) => {
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
          }),
        );
        logTable.hidden = items.length === 0;
        logStatus.textContent = items.length === 0 ? 'Nothing delivered yet. Send a ping to try the webhook.' : `${items.length} ${items.length === 1 ? 'delivery' : 'deliveries'}, newest first.`;
      } catch (e) {
        logStatus.textContent = errorText(e);
      } finally {
        refresh.disabled = false;
      }
    };
    refresh.addEventListener('click', () => void load());
    close.addEventListener('click', () => logSlot.replaceChildren());
    logSlot.replaceChildren(el('section', { class: 'delivery-log', 'aria-labelledby': 'delivery-log-title' }, heading, el('div', { class: 'actions' }, refresh, close), logStatus, logTable));
    heading.focus();
    await load();
  };

  // ---- the list ----
  const row = (hook: Webhook): HTMLElement => {
    const state = el('td', {}, hook.active ? 'Active' : 'Paused');
    const toggle = el('button', { type: 'button', 'aria-label': `${hook.active ? 'Pause' : 'Resume'} ${hook.url}` }, hook.active ? 'Pause' : 'Resume');
    toggle.addEventListener('click', async () => {
      error.textContent = '';
      toggle.disabled = true;
      try {
        const saved = await client.update(hook.id, { active: !hook.active });
        Object.assign(hook, saved);
        state.textContent = hook.active ? 'Active' : 'Paused';
        toggle.textContent = hook.active ? 'Pause' : 'Resume';
        toggle.setAttribute('aria-label', `${hook.active ? 'Pause' : 'Resume'} ${hook.url}`);
        status.textContent = hook.active ? `Deliveries to ${hook.url} resumed.` : `Deliveries to ${hook.url} paused.`;
      } catch (e) {
        setError(e);
      } finally {
        toggle.disabled = false;
      }
    });
    const ping = el('button', { type: 'button', 'aria-label': `Send ping to ${hook.url}` }, 'Send ping');
    ping.addEventListener('click', async () => {
      error.textContent = '';
      ping.disabled = true;
      try {
        await client.ping(hook.id);
        status.textContent = hook.active ? `Ping queued for ${hook.url}.` : `Ping queued for ${hook.url}; it is sent when the webhook is resumed.`;
        await showLog(hook);
      } catch (e) {
        setError(e);
      } finally {
        ping.disabled = false;
      }
    });
    const log = el('button', { type: 'button', 'aria-label': `Deliveries to ${hook.url}` }, 'Deliveries');
    log.addEventListener('click', () => void showLog(hook));
    const remove = el('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${hook.url}` }, 'Delete');
    const tr = el(
      'tr',
      { 'data-webhook': hook.id },
      el('td', {}, el('code', {}, hook.url)),
      el('td', {}, hook.events.join(', ')),
      state,
      el('td', {}, hook.description || '—'),
      el('td', { class: 'actions' }, toggle, ping, log, remove),
    );
    remove.addEventListener('click', async () => {
      const answer = await confirm.ask({
        title: `Delete the webhook for ${hook.url}?`,
        body: 'It stops receiving events at once, and its delivery log is deleted. This cannot be undone.',
        confirmLabel: 'Delete webhook',
        danger: true,
      });
      if (!answer.confirmed) return;
      error.textContent = '';
      try {
        await client.remove(hook.id);
        tr.remove();
        logSlot.replaceChildren();
        table.hidden = body.children.length === 0;
        status.textContent = body.children.length === 0 ? `Deleted ${hook.url}. No webhooks left.` : `Deleted ${hook.url}.`;
      } catch (e) {
        setError(e);
      }
    });
    return tr;
  };

  const refreshList = async (): Promise<void> => {
    const hooks = await client.list();
    body.replaceChildren(...hooks.map(row));
    table.hidden = hooks.length === 0;
    status.textContent = hooks.length === 0 ? 'No webhooks yet. Create the first one below.' : `${hooks.length} webhook${hooks.length === 1 ? '' : 's'}.`;
  };

  // ---- the create form ----
  const url = el('input', { id: 'webhook-url', name: 'url', type: 'url', required: true, placeholder: 'https://hooks.example.com/patkit', 'aria-describedby': 'webhook-url-help' });
  const description = el('input', { id: 'webhook-description', name: 'description', maxlength: '500' });
  const boxes = WEBHOOK_EVENTS.map((event) => {
    const id = `event-${event.id.replace(/\./g, '-')}`;
    const box = el('input', { type: 'checkbox', id, name: 'events', value: event.id, checked: event.id !== 'webhook.ping' });
    return { box, item: el('div', { class: 'event' }, box, el('label', { for: id }, el('code', {}, event.id), ` — ${event.label}`)) };
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
      const created = await client.create({ url: url.value.trim(), events, description: description.value.trim() });
      form.reset();
      for (const b of boxes) b.box.checked = b.box.value !== 'webhook.ping';
      showSecret(created.webhook, created.secret);
      await refreshList();
    } catch (e) {
      formError.textContent = errorText(e);
      url.focus();
    } finally {
      submit.disabled = false;
    }
  });

  /** The signing secret, once: the node and the only reference go when the admin is done. */
  const showSecret = (hook: Webhook, secret: string): void => {
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
    const done = el('button', { type: 'button' }, 'Done');
    const panel = el(
      'section',
      { class: 'secret-panel', role: 'region', 'aria-labelledby': 'webhook-secret-title' },
      el('h2', { id: 'webhook-secret-title', tabindex: '-1' }, 'Signing secret'),
      el('p', {}, `Webhook for ${hook.url} created. Give your receiver this secret to verify signatures. It is shown only now: copy it before you leave.`),
      value,
      el('div', { class: 'actions' }, copy, done, copyStatus),
    );
    done.addEventListener('click', () => {
      panel.remove();
      url.focus();
    });
    secretSlot.replaceChildren(panel);
    panel.querySelector<HTMLElement>('h2')!.focus();
  };

  main.replaceChildren(
    el('h1', {}, 'Webhooks'),
    el('p', { class: 'help' }, 'Tell your systems about token events: expiry warnings, disabled, leaked and regenerated tokens. Every delivery is signed, retried with backoff and logged.'),
    privateSetting,
    status,
    error,
    table,
    secretSlot,
    logSlot,
    form,
    confirm,
  );
  try {
    const [allowed] = await Promise.all([client.allowPrivateTargets(), refreshList()]);
    privateSwitch.checked = allowed;
    privateSwitch.disabled = false;
  } catch (e) {
    setError(e);
  }
}
