/**
 * `buildServer(options)`: the whole reference token server as a Fastify instance, for `main.ts`,
 * tests and benchmarks. Start-up (`startup/`) prepares the store and the shared services; the
 * server is then composed of plugins: the HTTP layer (`http/`), authentication (`auth/`), and one
 * plugin per feature under `/api/v1`, then the console's and the documentation site's files.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { appContextPlugin } from './app-context.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { authentication } from './auth/authentication.ts';
import { trustedProxySetting } from './auth/client-address.ts';
import { sessionRoutes } from './sessions/session-routes.ts';
import { catalogRoutes, SERVER_VERSION } from './catalog/catalog-routes.ts';
import { BODY_LIMIT, bodyParsing } from './http/body-parsing.ts';
import { consoleFiles } from './http/console-files.ts';
import { docsFiles } from './http/docs-files.ts';
import { errorHandler } from './http/error-handler.ts';
import { openApi } from './http/openapi.ts';
import { problems } from './http/problems.ts';
import { requestGuards } from './http/request-guards.ts';
import { orgRoutes } from './orgs/org-routes.ts';
import type { ServerOptions, StartupInfo } from './server-options.ts';
import { settingsRoutes } from './settings/settings-routes.ts';
import { prepareData } from './startup/first-start.ts';
import { openContext } from './startup/open-store.ts';
import { introspectionRoutes } from './tokens/introspection-routes.ts';
import { tokenRoutes } from './tokens/token-routes.ts';
import { tokenRequestRoutes } from './tokens/token-request-routes.ts';
import { userRoutes } from './users/user-routes.ts';
import { webhooks } from './webhooks/webhooks-plugin.ts';

export type { ServerOptions, StartupInfo } from './server-options.ts';
export { BODY_LIMIT } from './http/body-parsing.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DEFAULT_CONSOLE_DIR = join(ROOT, 'dist', 'console');
export const DEFAULT_DOCS_DIR = join(ROOT, 'dist', 'docs');
const API_PREFIX = '/api/v1';

declare module 'fastify' {
  interface FastifyInstance {
    patkit: StartupInfo;
  }
}

function newFastify(trustProxy: string[] | false) {
  return Fastify({
    logger: false,
    // X-Forwarded-For only from the configured proxies, read right to left (docs/security.md rule 32).
    trustProxy,
    bodyLimit: BODY_LIMIT,
    // Close idle keep-alive connections at once; requests in flight finish (graceful drain).
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Long ids reach the route (and its schema's 400) instead of falling through to "not found".
    routerOptions: { maxParamLength: 1000 },
    // Malformed URLs (bad percent-encoding) and the like are problems too.
    frameworkErrors: (error, _request, reply) => {
      const body = problems.validation(`The request is malformed: ${error.message}`).toBody();
      void (reply as unknown as FastifyReply).code(400).type('application/problem+json').send(body);
    },
    // Request bodies are never coerced or trimmed: a wrong type or an unknown field is a 400.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  // Checked before anything is opened: a wrong entry stops start-up with a clear message.
  const trustProxy = trustedProxySetting(options.trustedProxies ?? []);
  const ctx = await openContext(options);
  const info = await prepareData(ctx, options);

  const app = newFastify(trustProxy);
  app.decorate('patkit', info);
  await app.register(appContextPlugin, { ctx });
  // The HTTP layer first, so every route below inherits it; OpenAPI before the routes it describes.
  await app.register(requestGuards, { corsOrigins: options.corsOrigins ?? [] });
  await app.register(bodyParsing);
  await app.register(errorHandler);
  await app.register(openApi, { version: SERVER_VERSION });
  await app.register(authentication);

  await app.register(catalogRoutes, { prefix: API_PREFIX });
  await app.register(settingsRoutes, { prefix: API_PREFIX });
  await app.register(auditRoutes, { prefix: API_PREFIX });
  await app.register(introspectionRoutes, { prefix: API_PREFIX });
  await app.register(sessionRoutes, { prefix: API_PREFIX });
  await app.register(userRoutes, { prefix: API_PREFIX });
  await app.register(tokenRoutes, { prefix: API_PREFIX });
  await app.register(tokenRequestRoutes, { prefix: API_PREFIX });
  await app.register(orgRoutes, { prefix: API_PREFIX });
  await app.register(webhooks, { prefix: API_PREFIX, delivery: options.webhooks });
  await app.register(consoleFiles, { consoleDir: options.consoleDir === undefined ? DEFAULT_CONSOLE_DIR : options.consoleDir });
  await app.register(docsFiles, { docsDir: options.docsDir === undefined ? DEFAULT_DOCS_DIR : options.docsDir });

  await app.ready();
  return app;
}
