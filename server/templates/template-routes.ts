/**
 * Token templates: listed for anyone who may create tokens (`tokens:write`), managed by those who may
 * change the settings (`settings:write`). `POST /tokens` with `template_id` applies one
 * (`template-apply.ts`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, NoQuery, problemResponses, SECURITY } from '../http/schemas.ts';
import type { TemplateRecord } from '../store/store.ts';
import { resourceRefs } from '../auth/resource-bounds.ts';
import { CreateTemplateSchema, TemplatePatchSchema, TemplateSchema } from './template-schemas.ts';
import { createTemplate, deleteTemplate, updateTemplate } from './template-service.ts';

const security = SECURITY;
const tags = ['templates'];

const templateDto = (t: TemplateRecord) => ({ ...t, resources: resourceRefs(t.resources) });

export const templateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/token-templates',
    {
      schema: { tags, security, summary: 'Token templates, by name', querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(TemplateSchema) }), ...problemResponses } },
    },
    async (request) => {
      await app.authorize(request, 'tokens:write');
      return { items: (await ctx.store.resources.listTemplates()).map(templateDto) };
    },
  );

  app.post(
    '/token-templates',
    { schema: { tags, security, summary: 'Create a token template', body: CreateTemplateSchema, response: { 201: TemplateSchema, ...problemResponses } } },
    async (request, reply) => {
      const caller = await app.authorize(request, 'settings:write');
      return reply.code(201).send(templateDto(await createTemplate(ctx, caller, request.body)));
    },
  );

  app.patch(
    '/token-templates/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a token template (tokens made from it keep what they were made with)',
        params: IdParams,
        body: TemplatePatchSchema,
        response: { 200: TemplateSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'settings:write');
      return templateDto(await updateTemplate(ctx, caller, request.params.id, request.body));
    },
  );

  app.delete(
    '/token-templates/:id',
    { schema: { tags, security, summary: 'Delete a token template', params: IdParams, response: { 204: Type.Null(), ...problemResponses } } },
    async (request, reply) => {
      const caller = await app.authorize(request, 'settings:write');
      await deleteTemplate(ctx, caller, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
