/**
 * `npm run serve` / `node server/main.ts [--demo] [--reset-admin-password]`. Prints exactly one line
 * `patkit listening on http://HOST:PORT` when ready (other tools wait for it), then the sign-in.
 */
import { resolve } from 'node:path';
import { buildServer } from './app.ts';

const env = process.env;
const demo = process.argv.includes('--demo');
const host = env.HOST || '127.0.0.1';
const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`patkit: PORT must be a port number, not "${env.PORT}"`);
  process.exit(2);
}

const app = await buildServer({
  dataDir: resolve(env.PATKIT_DATA_DIR || './data'),
  adminPassword: env.PATKIT_ADMIN_PASSWORD || undefined,
  demo,
  resetAdminPassword: process.argv.includes('--reset-admin-password'),
  enablePats: env.PATKIT_ENABLE_PATS === '1' || env.PATKIT_ENABLE_PATS === 'true',
  scopesFile: env.PATKIT_SCOPES_FILE || undefined,
  corsOrigins: (env.PATKIT_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
  consoleDir: env.PATKIT_CONSOLE_DIR || undefined,
});

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
  console.log('Sign in as "admin" with the password set on first start.');
}
if (info.demo) console.log(`Demo user: "${info.demo.username}" with password ${info.demo.password} (cannot create tokens until an admin grants the token role).`);
console.log(`Admin console: ${url}/   API: ${url}/api/v1   OpenAPI: ${url}/api/v1/openapi.json`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('patkit: error while closing', error);
        process.exit(1);
      },
    );
  });
}
