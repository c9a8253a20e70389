/**
 * The resource registry: the types tokens may be bounded to, and the resources a host app registers
 * (`resources:write`) for the token form's picker (`resources:read`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NoQuery, pageOf, problemResponses, SECURITY } from '../http/schemas.ts';
import { ResourceListQuerySchema, ResourceParams, ResourceSchema, ResourceTypeSchema, PutResourceSchema } from './resource-schemas.ts';
import { deleteResource, listResources, putResource } from './resource-service.ts';

const security = SECURITY;
const tags = ['resources'];

export const resourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/resource-types',
    {
      schema: {
        tags,
        security,
        summary: 'The resource types tokens may be bounded to: the built-in `organization`, then the host app’s',
        querystring: NoQuery,
        response: { 200: Type.Object({ items: Type.Array(ResourceTypeSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      await app.authenticate(request);
      return { items: ctx.catalog.resourceTypes };
    },
  );

  app.get(
    '/resources',
    {
      schema: {
        tags,
        security,
        summary: 'Registered resources, by type and id, optionally of one type or matching a text (paged)',
        querystring: ResourceListQuerySchema,
        response: { 200: pageOf(ResourceSchema), ...problemResponses },
      },
    },
    async (request) => {
      await app.authorize(request, 'resources:read');
      return listResources(ctx, request.query);
    },
  );

  app.put(
    '/resources/:type/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Register a resource, or rename it / move it to another organization (tokens keep the name they were made with)',
        params: ResourceParams,
        body: PutResourceSchema,
        response: { 200: ResourceSchema, 201: ResourceSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'resources:write');
      const { resource, created } = await putResource(ctx, caller, request.params.type, request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(resource);
    },
  );

  app.delete(
    '/resources/:type/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Remove a resource from the registry (tokens bounded to it keep it: the host app decides what it means)',
        params: ResourceParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'resources:write');
      await deleteResource(ctx, caller, request.params.type, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
