/** Server settings: anyone signed in reads them; changing them needs settings:write. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoQuery, problemResponses, SECURITY, SettingsPatchSchema, SettingsSchema } from '../http/schemas.ts';
import { updateSettings } from './settings.ts';

const security = SECURITY;

export const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/settings',
    { schema: { tags: ['settings'], security, summary: 'Server settings', querystring: NoQuery, response: { 200: SettingsSchema, ...problemResponses } } },
    async (request) => {
      await app.authenticate(request);
      return await ctx.store.getSettings();
    },
  );

  app.patch(
    '/settings',
    {
      schema: { tags: ['settings'], security, summary: 'Change server settings', body: SettingsPatchSchema, response: { 200: SettingsSchema, ...problemResponses } },
    },
    async (request) => {
      return await updateSettings(ctx, await app.authorize(request, 'settings:write'), request.body);
    },
  );
};
