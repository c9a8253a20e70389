/**
 * Webhooks as one plugin: the dispatcher (decorated as `webhookDispatcher` for the routes in this
 * scope) starts when the server is ready and stops before the store closes, then the routes.
 */
import type { FastifyPluginAsync } from 'fastify';
import { WebhookDispatcher, type WebhookOptions } from './dispatcher.ts';
import { webhookRoutes } from './webhook-routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    webhookDispatcher: WebhookDispatcher;
  }
}

export const webhooks: FastifyPluginAsync<{ delivery?: WebhookOptions }> = async (app, options) => {
  const dispatcher = new WebhookDispatcher(app.ctx, options.delivery);
  app.decorate('webhookDispatcher', dispatcher);
  app.addHook('onReady', async () => dispatcher.start());
  // Before the store closes: no new attempt starts, attempts in flight finish or are handed back.
  app.addHook('preClose', async () => dispatcher.stop());
  await app.register(webhookRoutes);
};
