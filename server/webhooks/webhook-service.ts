/**
 * Webhook management as services: create (the signing secret is returned once and kept sealed),
 * change, pause / resume, delete, rotate the secret, queue a ping. Targets are checked against the
 * SSRF rule here (`targets.ts`) and again before every delivery; every change is audited.
 */
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { publicId } from '../auth/credentials.ts';
import type { Caller } from '../auth/principal.ts';
import { problems } from '../http/problems.ts';
import { WEBHOOK_EVENTS, type WebhookEvent, type WebhookRecord } from '../store/webhook-store.ts';
import { messageBody, newMessageId, type WebhookDispatcher } from './dispatcher.ts';
import { generateWebhookSecret, sealSecret } from './signing.ts';
import { resolveTarget, TargetRefused } from './targets.ts';

export function webhookDto(hook: WebhookRecord) {
  return { id: hook.id, url: hook.url, events: hook.events, active: hook.active, description: hook.description, created_at: hook.created_at, updated_at: hook.updated_at };
}

function validEvents(events: string[]): WebhookEvent[] {
  const unique = [...new Set(events)];
  if (unique.length === 0) throw problems.field('events', `Choose at least one event: ${WEBHOOK_EVENTS.join(', ')}.`);
  const unknown = unique.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length) throw problems.field('events', `Unknown event${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}. Events are ${WEBHOOK_EVENTS.join(', ')}.`);
  return unique as WebhookEvent[];
}

/** The URL as it will be stored (normalised), or a 400 that says why it is refused. */
async function checkedUrl(ctx: AppContext, value: string): Promise<string> {
  const allowPrivate = (await ctx.store.getSettings()).allow_private_webhook_targets === true;
  try {
    return (await resolveTarget(value.trim(), allowPrivate)).url.toString();
  } catch (error) {
    if (error instanceof TargetRefused) throw problems.field('url', error.message);
    throw error;
  }
}

export async function foundWebhook(ctx: AppContext, id: string): Promise<WebhookRecord> {
  const hook = await ctx.store.webhooks.getWebhook(id);
  if (!hook) throw problems.notFound('That webhook');
  return hook;
}

export interface NewWebhookRequest {
  url: string;
  events: string[];
  active?: boolean;
  description?: string;
}

export async function createWebhook(ctx: AppContext, caller: Caller, body: NewWebhookRequest): Promise<{ hook: WebhookRecord; secret: string }> {
  const events = validEvents(body.events);
  const url = await checkedUrl(ctx, body.url);
  const id = publicId('whk');
  const secret = generateWebhookSecret();
  const hook = await ctx.store.webhooks.createWebhook(
    { id, url, events, active: body.active ?? true, description: body.description ?? '', secret_sealed: sealSecret(ctx.pepper, id, secret), created_at: nowIso(ctx) },
    auditEntry(ctx, caller, 'webhook.created', { detail: { webhook_id: id, url, events: events.join(' ') } }),
  );
  return { hook, secret };
}

export interface WebhookChange {
  url?: string;
  events?: string[];
  active?: boolean;
  description?: string;
}

/** Changes URL, events, description; `active: false` pauses deliveries, `true` resumes them at once. */
export async function updateWebhook(ctx: AppContext, dispatcher: WebhookDispatcher, caller: Caller, id: string, body: WebhookChange): Promise<WebhookRecord> {
  const hook = await foundWebhook(ctx, id);
  const events = body.events === undefined ? undefined : validEvents(body.events);
  const url = body.url === undefined ? undefined : await checkedUrl(ctx, body.url);
  const changed = Object.keys(body);
  if (changed.length === 0) return hook;
  const updated = await ctx.store.webhooks.updateWebhook(
    hook.id,
    { url, events, active: body.active, description: body.description, updated_at: nowIso(ctx) },
    auditEntry(ctx, caller, 'webhook.updated', {
      detail: {
        webhook_id: hook.id,
        fields: changed.join(' '),
        ...(url !== undefined ? { url } : {}),
        ...(events !== undefined ? { events: events.join(' ') } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
      },
    }),
  );
  if (!updated) throw problems.notFound('That webhook');
  if (body.active === true) dispatcher.wake();
  return updated;
}

export async function deleteWebhook(ctx: AppContext, caller: Caller, id: string): Promise<void> {
  const hook = await foundWebhook(ctx, id);
  const deleted = await ctx.store.webhooks.deleteWebhook(hook.id, auditEntry(ctx, caller, 'webhook.deleted', { detail: { webhook_id: hook.id, url: hook.url } }));
  if (!deleted) throw problems.notFound('That webhook');
}

/** A new signing secret; the old one stops signing at once. */
export async function rotateWebhookSecret(ctx: AppContext, caller: Caller, id: string): Promise<{ hook: WebhookRecord; secret: string }> {
  const hook = await foundWebhook(ctx, id);
  const secret = generateWebhookSecret();
  const updated = await ctx.store.webhooks.updateWebhook(
    hook.id,
    { secret_sealed: sealSecret(ctx.pepper, hook.id, secret), updated_at: nowIso(ctx) },
    auditEntry(ctx, caller, 'webhook.secret_rotated', { detail: { webhook_id: hook.id } }),
  );
  if (!updated) throw problems.notFound('That webhook');
  return { hook: updated, secret };
}

/** Queues a webhook.ping delivery to this webhook (whatever its events); returns the delivery id. */
export async function pingWebhook(ctx: AppContext, dispatcher: WebhookDispatcher, caller: Caller, id: string): Promise<string> {
  const hook = await foundWebhook(ctx, id);
  const at = nowIso(ctx);
  const deliveryId = newMessageId();
  const { user } = caller.principal;
  const payload = messageBody('webhook.ping', at, { webhook: { id: hook.id, url: hook.url }, message: 'A test delivery from patkit.', requested_by: { id: user.id, username: user.username } });
  await ctx.store.webhooks.enqueue(
    [{ id: deliveryId, webhook_id: hook.id, event_type: 'webhook.ping', payload, created_at: at, due_at: ctx.now() }],
    auditEntry(ctx, caller, 'webhook.pinged', { detail: { webhook_id: hook.id, delivery_id: deliveryId } }),
  );
  dispatcher.wake();
  return deliveryId;
}
