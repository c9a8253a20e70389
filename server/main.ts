/**
 * `npm run serve` / `node server/main.ts [--demo] [--reset-admin-password]`. Prints exactly one line
 * `patkit listening on http://HOST:PORT` when ready (other tools wait for it), then the sign-in.
 *
 * `node server/main.ts --migrate-to postgres://…` copies the SQLite data dir (PATKIT_DATA_DIR) into
 * an empty PostgreSQL database and exits.
 *
 * SIGTERM / SIGINT: stop accepting connections, let requests in flight finish (at most
 * PATKIT_SHUTDOWN_TIMEOUT_MS, default 10 s), close the database, exit 0.
 */
import { join, resolve } from 'node:path';
import { buildServer } from './app.ts';
import { RESET_ADMIN_PASSWORD_COMMAND } from './server-options.ts';
import { migrateSqliteToPostgres, redactDatabaseUrl } from './store/migrate-to-postgres.ts';
import { memoryDiagnosticsWanted, startMemoryDiagnostics } from './startup/memory-diagnostics.ts';
import { heapAdvice, heapOptions } from './startup/heap-settings.ts';
import { getHeapStatistics } from 'node:v8';

const env = process.env;
// Off unless asked for: a line a second of RSS and heap on stderr (bench/soak.bench.ts reads it).
if (memoryDiagnosticsWanted(env.PATKIT_DIAG_MEMORY)) startMemoryDiagnostics((line) => process.stderr.write(line + '\n'));
// A heap cap without a young-generation cap costs several times the CPU under load: say so at start.
const advice = heapAdvice(heapOptions(process.execArgv, env.NODE_OPTIONS), getHeapStatistics().heap_size_limit);
if (advice !== null) console.error(advice);
const dataDir = resolve(env.PATKIT_DATA_DIR || './data');
const migrateAt = process.argv.indexOf('--migrate-to');
if (migrateAt >= 0) {
  const target = process.argv[migrateAt + 1];
  if (!target || !/^postgres(ql)?:\/\//.test(target)) {
    console.error('patkit: --migrate-to needs the target database, e.g. --migrate-to postgres://user@host:5432/patkit');
    process.exit(2);
  }
  try {
    await migrateSqliteToPostgres(dataDir, target, (line) => console.log(line));
    process.exit(0);
  } catch (error) {
    console.error(`patkit: migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
const demo = process.argv.includes('--demo');
const host = env.HOST || '127.0.0.1';
const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`patkit: PORT must be a port number, not "${env.PORT}"`);
  process.exit(2);
}

const poolSize = env.PATKIT_DATABASE_POOL ? Number(env.PATKIT_DATABASE_POOL) : undefined;
if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000)) {
  console.error(`patkit: PATKIT_DATABASE_POOL must be a number of connections from 1 to 1000, not "${env.PATKIT_DATABASE_POOL}"`);
  process.exit(2);
}
const shutdownTimeoutMs = env.PATKIT_SHUTDOWN_TIMEOUT_MS ? Number(env.PATKIT_SHUTDOWN_TIMEOUT_MS) : 10_000;

let app: Awaited<ReturnType<typeof buildServer>>;
try {
  app = await buildServer({
    dataDir,
    databaseUrl: env.PATKIT_DATABASE_URL || undefined,
    databasePoolSize: poolSize,
    pepperFile: env.PATKIT_PEPPER_FILE ? resolve(env.PATKIT_PEPPER_FILE) : undefined,
    adminPassword: env.PATKIT_ADMIN_PASSWORD || undefined,
    demo,
    resetAdminPassword: process.argv.includes('--reset-admin-password'),
    enablePats: env.PATKIT_ENABLE_PATS === '1' || env.PATKIT_ENABLE_PATS === 'true',
    scopesFile: env.PATKIT_SCOPES_FILE || undefined,
    corsOrigins: (env.PATKIT_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    trustedProxies: (env.PATKIT_TRUSTED_PROXIES ?? '').split(',').map((p) => p.trim()).filter(Boolean),
    consoleDir: env.PATKIT_CONSOLE_DIR || undefined,
  });
} catch (error) {
  // Startup refusals (data dir in use, wrong pepper, database unreachable) are one clear line.
  console.error(`patkit: cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

await app.listen({ port, host });
const address = app.server.address();
const realPort = typeof address === 'object' && address ? address.port : port;
const shownHost = host.includes(':') ? `[${host}]` : host;
const url = `http://${shownHost}:${realPort}`;
console.log(`patkit listening on ${url}`);

const info = app.patkit;
if (info.resetAdminPassword) {
  const shown = info.generatedAdminPassword ?? 'from PATKIT_ADMIN_PASSWORD';
  console.log(`The password of "admin" was reset: sign in with ${shown}. Its earlier sessions have ended.`);
} else if (info.generatedAdminPassword) {
  console.log(`Sign in as "admin" with password ${info.generatedAdminPassword} (generated now and shown only once; set PATKIT_ADMIN_PASSWORD to choose it).`);
} else if (info.createdAdmin) {
  console.log('Sign in as "admin" with the password from PATKIT_ADMIN_PASSWORD.');
} else {
  console.log(`Sign in as "admin" with the password set on first start (lost it? \`${RESET_ADMIN_PASSWORD_COMMAND}\` prints a new one).`);
}
if (info.demo) {
  const role = info.demo.canCreateTokens ? '' : ' (cannot create tokens until an admin grants the token role)';
  console.log(`Demo user: "${info.demo.username}" with password ${info.demo.password}${role}.`);
}
console.log(`Admin console: ${url}/   API: ${url}/api/v1   OpenAPI: ${url}/api/v1/openapi.json`);
console.log(
  env.PATKIT_DATABASE_URL
    ? `Store: PostgreSQL (${redactDatabaseUrl(env.PATKIT_DATABASE_URL)}); readiness: ${url}/api/v1/ready`
    : `Store: SQLite in ${join(dataDir, 'patkit.db')}; readiness: ${url}/api/v1/ready`,
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    const timer = setTimeout(() => {
      console.error(`patkit: requests still running after ${shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, shutdownTimeoutMs);
    timer.unref();
    // Keep-alive connections whose request finishes after close() began are idle only then: close
    // them as they become idle, so the drain ends when the last response is out.
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
    sweeper.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('patkit: error while closing', error);
        process.exit(1);
      },
    );
  });
}
