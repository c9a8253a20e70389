/** The Fastify instance the route plugins get: typed by the TypeBox schemas of their routes. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export type ApiInstance = Parameters<FastifyPluginAsyncTypebox>[0];
