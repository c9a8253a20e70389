/**
 * `buildServer(options)`: the whole reference token server as a Fastify instance, for `main.ts`,
 * tests and benchmarks. Routes live in `routes/`, storage behind `Store`, policies in `auth.ts`,
 * `throttle.ts` and `context.ts`.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Authenticator } from './auth/authenticator.ts';
import { Catalog, loadHostScopes, ROLE_SYSTEM_ADMIN, ROLE_SYSTEM_USER } from './catalog/catalog.ts';
import { registerConsole } from './http/console-files.ts';
import type { AppContext } from './http/context.ts';
import { pepperKey, publicId, randomBase62, TOKEN_PATTERN_SOURCE } from './auth/credentials.ts';
import { seedDemo } from './demo/demo-data.ts';
import { seedDemoOrgs } from './demo/demo-orgs.ts';
import { hashPassword } from './auth/passwords.ts';
import { Problem, problems } from './http/problems.ts';
import { catalogRoutes, SERVER_VERSION } from './catalog/catalog-routes.ts';
import { orgRoutes } from './orgs/org-routes.ts';
import { sessionRoutes } from './auth/session-routes.ts';
import { tokenRoutes } from './tokens/token-routes.ts';
import { userRoutes } from './users/user-routes.ts';
import { webhookRoutes } from './webhooks/webhook-routes.ts';
import { WebhookDispatcher, type WebhookOptions } from './webhooks/dispatcher.ts';
import { PostgresStore } from './store/postgres/postgres-store.ts';
import { SqliteStore } from './store/sqlite/sqlite-store.ts';
import { StoreUnavailableError } from './store/errors.ts';
import { ConflictError, type AuditEntry, type NewUser, type Store } from './store/store.ts';
import { DEFAULT_THROTTLE, FailurePolicy, type ThrottleConfig } from './auth/throttle.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DEFAULT_CONSOLE_DIR = join(ROOT, 'dist', 'console');
/** Request bodies above this size get 413. */
export const BODY_LIMIT = 64 * 1024;

export interface ServerOptions {
  /** Folder for `patkit.db` and the pepper file. */
  dataDir: string;
  /** Password for `admin` when it is created (first start); generated when absent. */
  adminPassword?: string;
  /** Seed demo data: PATs on, user `alice`, example tokens for admin (idempotent). */
  demo?: boolean;
  /**
   * Give the existing `admin` a new password (`adminPassword`, or a generated one reported in
   * `generatedAdminPassword`) and end its sessions: the way back in when the password is lost.
   */
  resetAdminPassword?: boolean;
  /** Turn `enable_personal_access_tokens` on at start. */
  enablePats?: boolean;
  /** JSON file that extends the scope catalog (`PATKIT_SCOPES_FILE`). */
  scopesFile?: string;
  /** Origins allowed to call the API from a browser (`PATKIT_CORS_ORIGINS`). */
  corsOrigins?: string[];
  /** Built admin console; `null` serves only the plain page. Default `dist/console`. */
  consoleDir?: string | null;
  throttle?: Partial<ThrottleConfig>;
  /**
   * `postgres://…` (`PATKIT_DATABASE_URL`): the PostgreSQL store, for several instances on one
   * database; no SQLite file is created. Default: SQLite in dataDir.
   */
  databaseUrl?: string;
  /** Connections per instance with PostgreSQL (`PATKIT_DATABASE_POOL`, default 10). */
  databasePoolSize?: number;
  /** The pepper file (`PATKIT_PEPPER_FILE`); default `dataDir/pepper`. Instances of one database share it. */
  pepperFile?: string;
  /** Another `Store` (tests wrap the SQLite one to watch its calls). Default: SQLite in dataDir. */
  store?: Store;
  now?: () => number;
  /** Webhook delivery timing (tests shorten the backoff and the polling). */
  webhooks?: WebhookOptions;
}

export interface StartupInfo {
  store: Store;
  /** The admin password when it was generated on this start (print it once), else null. */
  generatedAdminPassword: string | null;
  /** True when `admin` was created on this start. */
  createdAdmin: boolean;
  /** True when `admin`'s password was reset on this start. */
  resetAdminPassword: boolean;
  demo: { username: string; password: string } | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    patkit: StartupInfo;
  }
}

/**
 * The per-server pepper for HMAC digests: created once, never rotated silently. Several instances
 * creating it at once agree on one file (exclusive create, then read).
 */
function loadPepper(file: string, sqliteFile: string | null): Buffer {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    if (sqliteFile !== null && existsSync(sqliteFile)) {
      throw new Error(`${file} is missing but ${sqliteFile} exists: without it no stored token can be verified`);
    }
    try {
      writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const pepper = readFileSync(file);
  if (pepper.length < 32) throw new Error(`${file} is damaged (shorter than 32 bytes)`);
  return pepper;
}

/**
 * A database remembers a fingerprint of the pepper it was first served with, so an instance with
 * another pepper (its own data dir instead of the shared pepper file) refuses to start instead of
 * rejecting every token.
 */
async function checkPepper(store: Store, pepper: KeyObject, file: string): Promise<void> {
  const fingerprint = createHmac('sha256', pepper).update('patkit pepper fingerprint').digest('hex').slice(0, 32);
  const stored = await store.claimFlag('pepper_fingerprint', fingerprint);
  if (stored !== fingerprint) {
    throw new Error(
      `the pepper in ${file} is not the one this database was set up with, so no stored token would verify: ` +
        'give every instance of one database the same pepper (the same PATKIT_PEPPER_FILE, or a copy of the first instance\'s PATKIT_DATA_DIR/pepper)',
    );
  }
}

/**
 * Creates `admin` on first start. Instances starting together on one new database race here; the
 * loser finds the winner's admin (its own generated password is then never valid, so not reported).
 */
async function createFirstAdmin(store: Store, user: NewUser, audit: AuditEntry): Promise<boolean> {
  try {
    await store.createUser(user, audit);
    return true;
  } catch (error) {
    if (error instanceof ConflictError && (await store.getUserByUsername('admin'))) return false;
    throw error;
  }
}

/** The store these options ask for: PostgreSQL when a database URL is given, else SQLite in dataDir. */
async function openStore(options: ServerOptions): Promise<Store> {
  if (options.store) return options.store;
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) throw new Error('PATKIT_DATABASE_URL must start with postgres:// or postgresql://');
    return PostgresStore.open(options.databaseUrl, { poolSize: options.databasePoolSize });
  }
  return new SqliteStore(options.dataDir);
}

const TOKEN_IN_URL = /(?:pat|pks)_[0-9A-Za-z]{20,}/;
const TOKEN_PARAM = /(?:^|[?&;])(?:access_token|token|private_token|api_key|apikey|credential|session)=/i;
const TOKEN_IN_FORM = /(?:pat|pks)_[0-9A-Za-z]{20,}|(?:^|[&"\s])(?:access_token|token|private_token|credential)(?:=|")/i;

function tokenInRequest(where: string): Problem {
  return new Problem(
    400,
    'token_in_query',
    `Credentials are accepted only in the "Authorization: Bearer" header, never in ${where}: URLs and forms end up in logs and history. If this was a real token, regenerate it.`,
  );
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const pepperFile = options.pepperFile ?? join(options.dataDir, 'pepper');
  const sqliteFile = options.store === undefined && !options.databaseUrl ? join(options.dataDir, 'patkit.db') : null;
  const pepper = pepperKey(loadPepper(pepperFile, sqliteFile));
  const store = await openStore(options);
  try {
    await checkPepper(store, pepper, pepperFile);
  } catch (error) {
    await store.close();
    throw error;
  }
  const hostScopes = options.scopesFile ? loadHostScopes(options.scopesFile) : [];
  const catalog = new Catalog(hostScopes);
  const throttle = { ...DEFAULT_THROTTLE, ...options.throttle };
  const now = options.now ?? Date.now;
  const ctx: AppContext = {
    store,
    catalog,
    pepper,
    now,
    auth: new Authenticator({ store, catalog, pepper, tokenFailures: new FailurePolicy('token', throttle.tokenPerIp, throttle.tokenPerAccount, store.failures, now), now }),
    signInFailures: new FailurePolicy('sign_in', throttle.signInPerIp, throttle.signInPerAccount, store.failures, now),
    passwordFailures: new FailurePolicy('password', throttle.passwordPerIp, throttle.passwordPerAccount, store.failures, now),
    leakReports: new FailurePolicy('leak_report', throttle.leakReportPerIp, throttle.leakReportPerIp, store.failures, now),
  };

  const info: StartupInfo = { store, generatedAdminPassword: null, createdAdmin: false, resetAdminPassword: false, demo: null };
  try {
    if (!(await store.getUserByUsername('admin'))) {
      const password = options.adminPassword || randomBase62(20);
      const id = publicId('usr');
      const at = new Date(now()).toISOString();
      const created = await createFirstAdmin(
        store,
        { id, username: 'admin', display_name: 'Administrator', kind: 'person', password_hash: await hashPassword(password), roles: [ROLE_SYSTEM_ADMIN, ROLE_SYSTEM_USER], created_at: at },
        { action: 'user.created', actor: null, token_id: null, owner_id: id, ip: null, at, detail: { username: 'admin', first_start: true } },
      );
      if (created && !options.adminPassword) info.generatedAdminPassword = password;
      info.createdAdmin = created;
    } else if (options.resetAdminPassword) {
      const admin = (await store.getUserByUsername('admin'))!;
      const password = options.adminPassword || randomBase62(20);
      if (!options.adminPassword) info.generatedAdminPassword = password;
      const at = new Date(now()).toISOString();
      await store.updateUser(
        admin.id,
        { password_hash: await hashPassword(password) },
        { action: 'user.password_reset', actor: null, token_id: null, owner_id: admin.id, ip: null, at, detail: { username: 'admin', source: 'command_line' } },
      );
      info.resetAdminPassword = true;
    }
    if (options.enablePats && !(await store.getSettings()).enable_personal_access_tokens) {
      await store.updateSettings(
        { enable_personal_access_tokens: true },
        { action: 'settings.updated', actor: null, token_id: null, owner_id: null, ip: null, at: new Date(now()).toISOString(), detail: { enable_personal_access_tokens: true, source: 'startup' } },
      );
    }
    if (options.demo) {
      info.demo = await seedDemo(ctx);
      await seedDemoOrgs(ctx);
    }
  } catch (error) {
    await store.close();
    throw error;
  }

  const app = Fastify({
    logger: false,
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
  app.decorate('patkit', info);
  app.addHook('onClose', async () => store.close());

  // ---- request guards (before routing work) ---------------------------------------------------
  const corsOrigins = new Set(options.corsOrigins ?? []);
  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw.rawHeaders;
    let authorization = 0;
    let contentType = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      if (name === 'authorization') authorization++;
      else if (name === 'content-type') contentType++;
    }
    if (authorization > 1 || contentType > 1) {
      done(problems.validation(`The request has more than one ${authorization > 1 ? 'Authorization' : 'Content-Type'} header.`));
      return;
    }
    const url = request.url;
    const q = url.indexOf('?');
    if (TOKEN_IN_URL.test(url) || (q >= 0 && TOKEN_PARAM.test(url.slice(q)))) {
      done(tokenInRequest('the URL'));
      return;
    }
    if (url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const origin = request.headers.origin;
    if (origin !== undefined && corsOrigins.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', 'Retry-After');
      reply.header('vary', 'Origin');
    }
    done();
  });

  // ---- body parsing ----------------------------------------------------------------------------
  app.removeAllContentTypeParsers();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => {
    const buffer = body as Buffer;
    if (buffer.length === 0) {
      done(null, undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(buffer);
    } catch {
      done(problems.validation('The request body is not valid UTF-8.'));
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(problems.validation('The request body is not valid JSON.'));
    }
  });
  app.addContentTypeParser(
    ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'],
    { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
    (_request, body, done) => {
      if (TOKEN_IN_FORM.test((body as Buffer).toString('latin1'))) done(tokenInRequest('a form field'));
      else done(new Problem(415, 'unsupported_media_type', 'Send request bodies as application/json.'));
    },
  );
  app.addHook('preValidation', (request, _reply, done) => {
    // A write with no body is an empty object, so "{}" and nothing behave the same.
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') request.body = {};
    done();
  });

  // ---- errors ------------------------------------------------------------------------------------
  app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
    let problem: Problem;
    if (error instanceof Problem) {
      problem = error;
    } else if (error.validation) {
      const where = error.validationContext ?? 'body';
      const errors = error.validation.map((v) => {
        const params = v.params as Record<string, unknown>;
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        if (v.keyword === 'additionalProperties') {
          const field = [path, String(params.additionalProperty)].filter(Boolean).join('.');
          return { field, message: `"${field}" is not a known field.` };
        }
        if (v.keyword === 'required') return { field: String(params.missingProperty), message: `"${String(params.missingProperty)}" is required.` };
        return { field: path || (where === 'body' ? '' : where), message: `${path || where} ${v.message ?? 'is not valid'}.` };
      });
      problem = problems.validation(`The ${where === 'querystring' ? 'query string' : where} is not valid: ${errors[0]?.message ?? ''}`, errors);
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      problem = new Problem(413, 'payload_too_large', `The request body is larger than ${BODY_LIMIT} bytes.`);
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      problem = new Problem(415, 'unsupported_media_type', 'Send request bodies as application/json.');
    } else if (error instanceof StoreUnavailableError) {
      // One line, no stack: the cause is outside this process and the client should retry.
      console.error('patkit: %s %s: %s', request.method, request.routeOptions.url ?? '?', error.message);
      problem = new Problem(503, 'database_unavailable', 'The token database cannot be reached right now. Try again in a moment.', { retryAfter: 1 });
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      problem = new Problem(error.statusCode, error.statusCode === 404 ? 'not_found' : 'validation_failed', error.message);
    } else {
      request.log.error(error);
      console.error('patkit: internal error on %s %s: %s', request.method, request.routeOptions.url ?? '?', error.stack ?? error.message);
      problem = new Problem(500, 'internal_error', 'The server had an internal error. Try again later.');
    }
    if (problem.retryAfter !== undefined) reply.header('retry-after', String(problem.retryAfter));
    return reply.code(problem.status).type('application/problem+json').send(problem.toBody());
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type('application/problem+json').send(problems.notFound(`${request.method} ${request.url.split('?')[0]}`).toBody()),
  );

  // ---- OpenAPI, CORS preflight, routes -----------------------------------------------------------
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'patkit reference token server',
        version: SERVER_VERSION,
        description: `Personal access tokens. Tokens match \`${TOKEN_PATTERN_SOURCE}\` (\`pat_\` + 30 base62 CSPRNG characters + 6-character base62 CRC32); send them only as \`Authorization: Bearer\`. Errors are RFC 9457 problem+json with a stable \`code\`.`,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: `A personal access token (${TOKEN_PATTERN_SOURCE}) or a session credential (pks_…).` },
          cookie: { type: 'apiKey', in: 'cookie', name: 'patkit_session', description: 'Console session; writes need the header X-Patkit-CSRF: 1.' },
        },
      },
    },
  });
  app.addHook('onReady', async () => {
    // Published for secret scanners (rule 1).
    (app.swagger() as { info: Record<string, unknown> }).info['x-token-pattern'] = TOKEN_PATTERN_SOURCE;
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.route({
    method: 'OPTIONS',
    url: '/*',
    schema: { hide: true },
    handler: async (request, reply) => {
      const origin = request.headers.origin;
      if (origin === undefined || !corsOrigins.has(origin)) throw problems.forbidden('This origin may not call the API from a browser.');
      reply.header('access-control-allow-methods', 'GET, POST, PATCH, PUT, DELETE');
      reply.header('access-control-allow-headers', 'Authorization, Content-Type, X-Patkit-CSRF');
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    },
  });

  await app.register(catalogRoutes(ctx), { prefix: '/api/v1' });
  await app.register(sessionRoutes(ctx), { prefix: '/api/v1' });
  await app.register(userRoutes(ctx), { prefix: '/api/v1' });
  await app.register(tokenRoutes(ctx), { prefix: '/api/v1' });
  await app.register(orgRoutes(ctx), { prefix: '/api/v1' });
  const dispatcher = new WebhookDispatcher(ctx, options.webhooks);
  await app.register(webhookRoutes(ctx, dispatcher), { prefix: '/api/v1' });
  // Before the store closes: no new attempt starts, attempts in flight finish or are handed back.
  app.addHook('preClose', async () => dispatcher.stop());
  registerConsole(app, options.consoleDir === undefined ? DEFAULT_CONSOLE_DIR : options.consoleDir);

  await app.ready();
  dispatcher.start();
  return app;
}
