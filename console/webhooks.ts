/**
 * The console's Webhooks page (`#/webhooks`, admins with `settings:write`): the webhooks of the
 * server with pause / resume, ping and delete (after a confirmation), a form to create one (its
 * signing secret is shown once, with a copy button), each webhook's delivery log (status, attempts,
 * errors), and the `allow_private_webhook_targets` switch (turning it on asks for the password). It talks to the server through
 * `WebhookClient` (console/webhook-client.ts). Server strings go in as text only (docs/security.md rule 21).
 */
import '../components/confirm-dialog/confirm-dialog.ts';
import type { PatConfirmDialog } from '../components/confirm-dialog/confirm-dialog.component.ts';
import { ProviderError } from '../lib/errors.ts';
import { dataTable, el, errorText } from './dom.ts';
import type { Webhook, WebhookClient } from './webhook-client.ts';
import { showDeliveryLog } from './webhook-deliveries.ts';
import { webhookForm } from './webhook-form.ts';
import { webhooksStrings } from './webhooks.strings.ts';

/** The page's shared pieces a row's buttons report to. */
interface PageContext {
  client: WebhookClient;
  confirm: PatConfirmDialog;
  /** The polite outcome line. */
  say(text: string): void;
  /** Shows what went wrong on the error line. */
  fail(error: unknown): void;
  clearError(): void;
  showLog(hook: Webhook): Promise<void>;
  /** After a row left the table. */
  removed(hook: Webhook): void;
}

/** Runs `work` with `button` disabled, the error line cleared first and filled on failure. */
async function busy(ctx: PageContext, button: HTMLButtonElement, work: () => Promise<void>): Promise<void> {
  ctx.clearError();
  button.disabled = true;
  try {
    await work();
  } catch (e) {
    ctx.fail(e);
  } finally {
    button.disabled = false;
  }
}

function webhookRow(hook: Webhook, ctx: PageContext): HTMLElement {
  const s = webhooksStrings();
  const state = el('td', {}, hook.active ? s.active : s.paused);
  const toggle = el('button', { type: 'button', 'aria-label': hook.active ? s.pauseUrl(hook.url) : s.resumeUrl(hook.url) }, hook.active ? s.pause : s.resume);
  toggle.addEventListener('click', () =>
    busy(ctx, toggle, async () => {
      Object.assign(hook, await ctx.client.update(hook.id, { active: !hook.active }));
      state.textContent = hook.active ? s.active : s.paused;
      toggle.textContent = hook.active ? s.pause : s.resume;
      toggle.setAttribute('aria-label', hook.active ? s.pauseUrl(hook.url) : s.resumeUrl(hook.url));
      ctx.say(hook.active ? s.resumed(hook.url) : s.pausedSay(hook.url));
    }),
  );
  const ping = el('button', { type: 'button', 'aria-label': s.pingUrl(hook.url) }, s.ping);
  ping.addEventListener('click', () =>
    busy(ctx, ping, async () => {
      await ctx.client.ping(hook.id);
      ctx.say(hook.active ? s.pingQueued(hook.url) : s.pingQueuedPaused(hook.url));
      await ctx.showLog(hook);
    }),
  );
  const log = el('button', { type: 'button', 'aria-label': s.deliveriesTo(hook.url) }, s.deliveries);
  log.addEventListener('click', () => void ctx.showLog(hook));
  const remove = el('button', { type: 'button', class: 'danger', 'aria-label': s.deleteUrl(hook.url) }, s.delete);
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
    const answer = await ctx.confirm.ask({
      title: s.deleteTitle(hook.url),
      body: s.deleteBody,
      confirmLabel: s.deleteConfirm,
      danger: true,
    });
    if (!answer.confirmed) return;
    ctx.clearError();
    try {
      await ctx.client.remove(hook.id);
      tr.remove();
      ctx.removed(hook);
    } catch (e) {
      ctx.fail(e);
    }
  });
  return tr;
}

/**
 * Asks for the password, then turns private targets on (the server always wants it for this:
 * docs/security.md rule 31); asks again after a wrong password. `null` when the admin cancels.
 */
async function allowPrivateTargets(ctx: PageContext, toggle: HTMLInputElement): Promise<boolean | null> {
  const s = webhooksStrings();
  let passwordError: string | undefined;
  for (;;) {
    const answer = await ctx.confirm.ask({
      title: s.privateConfirmTitle,
      body: s.privateConfirmBody,
      confirmLabel: s.privateConfirm,
      danger: true,
      password: true,
      ...(passwordError === undefined ? {} : { passwordError }),
    });
    if (!answer.confirmed) return null;
    toggle.disabled = true;
    try {
      return await ctx.client.setAllowPrivateTargets(true, answer.password);
    } catch (e) {
      if (!(e instanceof ProviderError) || e.code !== 'password_incorrect') throw e;
      passwordError = e.message;
    } finally {
      toggle.disabled = false;
    }
  }
}

/** The `allow_private_webhook_targets` switch, disabled until `load` has read the setting. */
function privateTargetsSetting(ctx: PageContext): { node: HTMLElement; load: () => Promise<void> } {
  const s = webhooksStrings();
  const toggle = el('input', { type: 'checkbox', role: 'switch', id: 'allow-private-targets', 'aria-describedby': 'allow-private-targets-help' });
  toggle.disabled = true;
  const turnOff = async (): Promise<boolean> => {
    toggle.disabled = true;
    try {
      return await ctx.client.setAllowPrivateTargets(false);
    } finally {
      toggle.disabled = false;
    }
  };
  toggle.addEventListener('change', async () => {
    ctx.clearError();
    const wanted = toggle.checked;
    try {
      const now = wanted ? await allowPrivateTargets(ctx, toggle) : await turnOff();
      toggle.checked = now === true;
      describe();
      if (now !== null) ctx.say(now ? s.privateNowOn : s.privateNowOff);
    } catch (e) {
      toggle.checked = !wanted;
      describe();
      ctx.fail(e);
    }
  });
  const help = el('p', { id: 'allow-private-targets-help', class: 'help' });
  // The help describes the state the switch shows, so it follows every change.
  const describe = (): void => {
    help.textContent = toggle.checked ? s.privateOn : s.privateOff;
  };
  describe();
  const node = el('div', { class: 'setting' }, toggle, el('label', { for: 'allow-private-targets' }, s.privateLabel), help);
  const load = async (): Promise<void> => {
    toggle.checked = await ctx.client.allowPrivateTargets();
    describe();
    toggle.disabled = false;
  };
  return { node, load };
}

/** `#/webhooks`. */
export async function renderWebhooks(main: HTMLElement, client: WebhookClient): Promise<void> {
  const s = webhooksStrings();
  const status = el('p', { role: 'status', class: 'status' }, s.loading);
  const error = el('p', { role: 'alert', class: 'error' });
  const confirm = document.createElement('pat-confirm-dialog') as PatConfirmDialog;
  const body = el('tbody');
  const table = dataTable(
    { class: 'webhooks', hidden: true },
    el('caption', { class: 'visually-hidden' }, s.title),
    [s.colUrl, s.colEvents, s.colState, s.colDescription, s.colActions],
    body,
  );
  const secretSlot = el('div');
  const logSlot = el('div');
  const ctx: PageContext = {
    client,
    confirm,
    say: (text) => (status.textContent = text),
    fail: (e) => {
      status.textContent = '';
      error.textContent = errorText(e);
    },
    clearError: () => (error.textContent = ''),
    showLog: (hook) => showDeliveryLog(logSlot, client, hook),
    removed: (hook) => {
      logSlot.replaceChildren();
      table.hidden = body.children.length === 0;
      status.textContent = body.children.length === 0 ? s.deletedLast(hook.url) : s.deleted(hook.url);
    },
  };
  const refreshList = async (): Promise<void> => {
    const hooks = await client.list();
    body.replaceChildren(...hooks.map((hook) => webhookRow(hook, ctx)));
    table.hidden = hooks.length === 0;
    status.textContent = hooks.length === 0 ? s.none : s.count(hooks.length);
  };
  const privateTargets = privateTargetsSetting(ctx);
  main.replaceChildren(
    el('h1', {}, s.title),
    el('p', { class: 'help' }, s.intro),
    privateTargets.node,
    status,
    error,
    table,
    secretSlot,
    logSlot,
    webhookForm(client, secretSlot, refreshList),
    confirm,
  );
  try {
    await Promise.all([privateTargets.load(), refreshList()]);
  } catch (e) {
    ctx.fail(e);
  }
}
