/**
 * Webhooks for host apps (admins with `settings:write`): create (the signing secret is in that
 * answer only), list, read, change, pause / resume, delete, rotate the secret, send a ping, and read
 * the delivery log. Targets are checked against the SSRF rule here (`webhook-targets.ts`) and again
 * before every delivery.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Caller } from '../auth/principal.ts';
import { nowIso } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { decodeCursor, pageFrom, parseLimit } from '../http/paging.ts';
import { sendSecret } from '../http/secret-reply.ts';
import { publicId } from '../auth/credentials.ts';
import { problems } from '../http/problems.ts';
import { EmptySchema, pageOf, problemResponses, SECURITY } from '../http/schemas.ts';
import { messageBody, newMessageId } from './dispatcher.ts';
import {
  CreatedWebhookSchema,
  CreateWebhookSchema,
  DeliveryQuerySchema,
  DeliverySchema,
  PingAcceptedSchema,
  WebhookParams,
  WebhookPatchSchema,
  WebhookSchema,
} from './webhook-schemas.ts';
import { generateWebhookSecret, sealSecret } from './signing.ts';
import { WEBHOOK_EVENTS, type DeliveryRecord, type WebhookEvent, type WebhookRecord } from '../store/webhook-store.ts';
import { resolveTarget, TargetRefused } from './targets.ts';

const security = SECURITY;
const tags = ['webhooks'];

function webhookDto(hook: WebhookRecord) {
  return { id: hook.id, url: hook.url, events: hook.events, active: hook.active, description: hook.description, created_at: hook.created_at, updated_at: hook.updated_at };
}

function validEvents(events: string[]): WebhookEvent[] {
  const unique = [...new Set(events)];
  if (unique.length === 0) throw problems.field('events', `Choose at least one event: ${WEBHOOK_EVENTS.join(', ')}.`);
  const unknown = unique.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length) throw problems.field('events', `Unknown event${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}. Events are ${WEBHOOK_EVENTS.join(', ')}.`);
  return unique as WebhookEvent[];
}


export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  const dispatcher = app.webhookDispatcher;
  const hooks = ctx.store.webhooks;
  const admin = (request: FastifyRequest): Promise<Caller> => app.authorize(request, 'settings:write');
  const found = async (id: string): Promise<WebhookRecord> => {
    const hook = await hooks.getWebhook(id);
    if (!hook) throw problems.notFound('That webhook');
    return hook;
  };
  /** The URL as it will be stored (normalised), or a 400 that says why it is refused. */
  const checkedUrl = async (value: string): Promise<string> => {
    const allowPrivate = (await ctx.store.getSettings()).allow_private_webhook_targets === true;
    try {
      return (await resolveTarget(value.trim(), allowPrivate)).url.toString();
    } catch (error) {
      if (error instanceof TargetRefused) throw problems.field('url', error.message);
      throw error;
    }
  };
  const deliveryDto = (d: DeliveryRecord) => ({
    id: d.id,
    event_type: d.event_type,
    status: d.status,
    created_at: d.created_at,
    attempt_count: d.attempt_count,
    max_attempts: dispatcher.maxAttempts,
    next_attempt_at: d.next_attempt_at,
    attempts: d.attempts,
  });

  app.get(
    '/webhooks',
    { schema: { tags, security, summary: 'List webhooks', response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }), ...problemResponses } } },
    async (request) => {
      await admin(request);
      return { items: (await hooks.listWebhooks()).map(webhookDto) };
    },
  );

  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Create a webhook (its signing secret is in this answer only)',
        body: CreateWebhookSchema,
        response: { 201: CreatedWebhookSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await admin(request);
      const body = request.body;
      const events = validEvents(body.events);
      const url = await checkedUrl(body.url);
      const id = publicId('whk');
      const secret = generateWebhookSecret();
      const hook = await hooks.createWebhook(
        { id, url, events, active: body.active ?? true, description: body.description ?? '', secret_sealed: sealSecret(ctx.pepper, id, secret), created_at: nowIso(ctx) },
        auditEntry(ctx, caller, 'webhook.created', { detail: { webhook_id: id, url, events: events.join(' ') } }),
      );
      return sendSecret(reply, 201, { webhook: webhookDto(hook), secret });
    },
  );

  app.get(
    '/webhooks/:id',
    { schema: { tags, security, summary: 'Read one webhook', params: WebhookParams, response: { 200: WebhookSchema, ...problemResponses } } },
    async (request) => {
      await admin(request);
      return webhookDto(await found(request.params.id));
    },
  );

  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change the URL, events or description; `active: false` pauses deliveries, `true` resumes them',
        params: WebhookParams,
        body: WebhookPatchSchema,
        response: { 200: WebhookSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await admin(request);
      const hook = await found(request.params.id);
      const body = request.body;
      const events = body.events === undefined ? undefined : validEvents(body.events);
      const url = body.url === undefined ? undefined : await checkedUrl(body.url);
      const changed = Object.keys(body);
      if (changed.length === 0) return webhookDto(hook);
      const updated = await hooks.updateWebhook(
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
      return webhookDto(updated);
    },
  );

  app.delete(
    '/webhooks/:id',
    { schema: { tags, security, summary: 'Delete a webhook and its delivery log', params: WebhookParams, response: { 204: Type.Null(), ...problemResponses } } },
    async (request, reply) => {
      const caller = await admin(request);
      const hook = await found(request.params.id);
      const deleted = await hooks.deleteWebhook(hook.id, auditEntry(ctx, caller, 'webhook.deleted', { detail: { webhook_id: hook.id, url: hook.url } }));
      if (!deleted) throw problems.notFound('That webhook');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/:id/secret',
    {
      schema: {
        tags,
        security,
        summary: 'A new signing secret (in this answer only); the old one stops signing at once',
        params: WebhookParams,
        body: EmptySchema,
        response: { 200: CreatedWebhookSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await admin(request);
      const hook = await found(request.params.id);
      const secret = generateWebhookSecret();
      const updated = await hooks.updateWebhook(
        hook.id,
        { secret_sealed: sealSecret(ctx.pepper, hook.id, secret), updated_at: nowIso(ctx) },
        auditEntry(ctx, caller, 'webhook.secret_rotated', { detail: { webhook_id: hook.id } }),
      );
      if (!updated) throw problems.notFound('That webhook');
      return sendSecret(reply, 200, { webhook: webhookDto(updated), secret });
    },
  );

  app.post(
    '/webhooks/:id/ping',
    {
      schema: {
        tags,
        security,
        summary: 'Queue a webhook.ping delivery to this webhook (whatever its events)',
        params: WebhookParams,
        body: EmptySchema,
        response: { 202: PingAcceptedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await admin(request);
      const hook = await found(request.params.id);
      const at = nowIso(ctx);
      const id = newMessageId();
      const payload = messageBody('webhook.ping', at, { webhook: { id: hook.id, url: hook.url }, message: 'A test delivery from patkit.', requested_by: { id: caller.principal.user.id, username: caller.principal.user.username } });
      await hooks.enqueue(
        [{ id, webhook_id: hook.id, event_type: 'webhook.ping', payload, created_at: at, due_at: ctx.now() }],
        auditEntry(ctx, caller, 'webhook.pinged', { detail: { webhook_id: hook.id, delivery_id: id } }),
      );
      dispatcher.wake();
      return reply.code(202).send({ delivery_id: id });
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        security,
        summary: 'The delivery log, newest first: each delivery with every attempt (status code, duration, error, next retry)',
        params: WebhookParams,
        querystring: DeliveryQuerySchema,
        response: { 200: pageOf(DeliverySchema), ...problemResponses },
      },
    },
    async (request) => {
      await admin(request);
      const hook = await found(request.params.id);
      const limit = parseLimit(request.query.limit, 20);
      const before = decodeCursor(request.query.cursor, (v): v is number => Number.isInteger(v));
      const rows = await hooks.listDeliveries(hook.id, before, limit + 1);
      return pageFrom(rows, limit, deliveryDto, (last) => last.seq);
    },
  );
};
