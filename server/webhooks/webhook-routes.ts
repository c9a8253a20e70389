/**
 * Webhook routes for host apps (admins with `settings:write`): create (the signing secret is in that
 * answer only), list, read, change, pause / resume, delete, rotate the secret, send a ping, and read
 * the delivery log. The rules are in `webhook-service.ts`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiInstance } from '../http/api-instance.ts';
import { Type } from 'typebox';
import { decodeCursor, pageFrom, parseLimit } from '../http/paging.ts';
import { EmptySchema, pageOf, problemResponses, SECURITY } from '../http/schemas.ts';
import { sendSecret } from '../http/secret-reply.ts';
import type { DeliveryRecord } from '../store/webhook-store.ts';
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
import { createWebhook, deleteWebhook, foundWebhook, pingWebhook, rotateWebhookSecret, updateWebhook, webhookDto } from './webhook-service.ts';

const security = SECURITY;
const tags = ['webhooks'];
/** Webhooks are server configuration: managing them needs settings:write. */
const WEBHOOK_ADMIN = 'settings:write';

function deliveryDto(d: DeliveryRecord, maxAttempts: number) {
  return {
    id: d.id,
    event_type: d.event_type,
    status: d.status,
    created_at: d.created_at,
    attempt_count: d.attempt_count,
    max_attempts: maxAttempts,
    next_attempt_at: d.next_attempt_at,
    attempts: d.attempts,
  };
}

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  webhookListRoutes(app);
  webhookChangeRoutes(app);
  webhookDeliveryRoutes(app);
};

/** List, create, read. */
function webhookListRoutes(app: ApiInstance): void {
  const ctx = app.ctx;

  app.get(
    '/webhooks',
    { schema: { tags, security, summary: 'List webhooks', response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }), ...problemResponses } } },
    async (request) => {
      await app.authorize(request, WEBHOOK_ADMIN);
      return { items: (await ctx.store.webhooks.listWebhooks()).map(webhookDto) };
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
      const created = await createWebhook(ctx, await app.authorize(request, WEBHOOK_ADMIN), request.body);
      return sendSecret(reply, 201, { webhook: webhookDto(created.hook), secret: created.secret });
    },
  );

  app.get(
    '/webhooks/:id',
    { schema: { tags, security, summary: 'Read one webhook', params: WebhookParams, response: { 200: WebhookSchema, ...problemResponses } } },
    async (request) => {
      await app.authorize(request, WEBHOOK_ADMIN);
      return webhookDto(await foundWebhook(ctx, request.params.id));
    },
  );
}

/** Change (pause, resume) and delete. */
function webhookChangeRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const dispatcher = app.webhookDispatcher;

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
      return webhookDto(await updateWebhook(ctx, dispatcher, await app.authorize(request, WEBHOOK_ADMIN), request.params.id, request.body));
    },
  );

  app.delete(
    '/webhooks/:id',
    { schema: { tags, security, summary: 'Delete a webhook and its delivery log', params: WebhookParams, response: { 204: Type.Null(), ...problemResponses } } },
    async (request, reply) => {
      await deleteWebhook(ctx, await app.authorize(request, WEBHOOK_ADMIN), request.params.id);
      return reply.code(204).send(null);
    },
  );
}

/** The signing secret, a test delivery, the delivery log. */
function webhookDeliveryRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const dispatcher = app.webhookDispatcher;

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
      const rotated = await rotateWebhookSecret(ctx, await app.authorize(request, WEBHOOK_ADMIN), request.params.id);
      return sendSecret(reply, 200, { webhook: webhookDto(rotated.hook), secret: rotated.secret });
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
      const deliveryId = await pingWebhook(ctx, dispatcher, await app.authorize(request, WEBHOOK_ADMIN), request.params.id);
      return reply.code(202).send({ delivery_id: deliveryId });
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
      await app.authorize(request, WEBHOOK_ADMIN);
      const hook = await foundWebhook(ctx, request.params.id);
      const limit = parseLimit(request.query.limit, 20);
      const before = decodeCursor(request.query.cursor, (v): v is number => Number.isInteger(v));
      const rows = await ctx.store.webhooks.listDeliveries(hook.id, before, limit + 1);
      return pageFrom(rows, limit, (d) => deliveryDto(d, dispatcher.maxAttempts), (last) => last.seq);
    },
  );
}
