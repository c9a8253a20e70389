/** Shared helpers for the server suite: an in-process server with test knobs, and the tests' HTTP client. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, type ServerOptions } from '../../server/app.ts';
import type { FastifyInstance } from 'fastify';
import { call, parseJson, type Answer } from '../support/http.ts';
import { TEST_STORE, testCluster } from '../support/postgres.ts';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface Harness {
  url: string;
  dataDir: string;
  /** The PostgreSQL database of this harness when the suite runs on PostgreSQL, else null. */
  databaseUrl: string | null;
  app: FastifyInstance;
  /** Admin's bearer session credential (signed in once). */
  admin: string;
  adminId: string;
  clock: { offsetMs: number };
  stop(): Promise<void>;
}

export interface HarnessOptions extends Partial<ServerOptions> {
  /** Leave `require_password_confirmation` on (default: turned off to keep the suite fast). */
  passwordPolicy?: boolean;
  /** Keep the data dir after stop (caller removes it). */
  keepDataDir?: boolean;
}

/**
 * A new empty database when the suite runs on PostgreSQL (`PATKIT_TEST_STORE=postgres`), else null
 * (SQLite in the data dir).
 */
export async function newTestDatabase(): Promise<string | null> {
  if (TEST_STORE !== 'postgres') return null;
  return (await testCluster()).createDatabase();
}

export async function dropTestDatabase(url: string | null): Promise<void> {
  if (url !== null) await (await testCluster()).dropDatabase(url);
}

/**
 * A real server on a free loopback port, with a movable clock, PATs enabled and admin signed in.
 * On the store the suite runs against: SQLite in the data dir, or a new PostgreSQL database
 * (re-used when `databaseUrl` is passed, as `dataDir` is for SQLite).
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'patkit-server-test-')));
  const ownDatabase = options.store === undefined && options.databaseUrl === undefined;
  const databaseUrl = options.store !== undefined ? null : (options.databaseUrl ?? (await newTestDatabase()));
  const clock = { offsetMs: 0 };
  const app = await buildServer({
    consoleDir: null,
    enablePats: true,
    adminPassword: ADMIN_PASSWORD,
    now: () => Date.now() + clock.offsetMs,
    ...options,
    databaseUrl: databaseUrl ?? undefined,
    dataDir,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = address.replace('localhost', '127.0.0.1');
  const signIn = await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  if (signIn.status !== 201) throw new Error(`admin sign-in failed: ${signIn.status} ${signIn.text}`);
  const admin = signIn.json.credential as string;
  if (!options.passwordPolicy) {
    const r = await call(url, 'PATCH', '/api/v1/settings', { token: admin, body: { require_password_confirmation: false } });
    if (r.status !== 200) throw new Error(`settings: ${r.status} ${r.text}`);
  }
  return {
    url,
    dataDir,
    databaseUrl,
    app,
    admin,
    adminId: signIn.json.user.id as string,
    clock,
    async stop() {
      await app.close();
      if (!options.keepDataDir) {
        await rm(dataDir, { recursive: true, force: true });
        if (ownDatabase) await dropTestDatabase(databaseUrl);
      }
    },
  };
}

// The HTTP client is the tests' shared one (test/support/http.ts); re-exported for the server suite.
export { call, client, type Answer, type CallOptions, type Client } from '../support/http.ts';

/** Creates a user (admin) and signs them in; returns their id and bearer session credential. */
export async function createUser(
  h: Harness,
  username: string,
  roles: string[] = ['system_user'],
  password = `${username}-password-1`,
): Promise<{ id: string; session: string; password: string }> {
  const created = await call(h.url, 'POST', '/api/v1/users', { token: h.admin, body: { username, display_name: username, password, roles } });
  if (created.status !== 201) throw new Error(`create user: ${created.status} ${created.text}`);
  const signIn = await call(h.url, 'POST', '/api/v1/sessions', { body: { username, password } });
  if (signIn.status !== 201) throw new Error(`sign in: ${signIn.status} ${signIn.text}`);
  return { id: created.json.id, session: signIn.json.credential, password };
}

/** Creates a token as `credential` (admin by default); returns `{token, secret}`. */
export async function createToken(
  h: Harness,
  body: Record<string, unknown> = {},
  credential = h.admin,
): Promise<{ id: string; secret: string; json: Answer['json'] }> {
  const r = await call(h.url, 'POST', '/api/v1/tokens', {
    token: credential,
    body: { name: 'test token', scopes: ['tokens:read'], acknowledge_admin_token: true, ...body },
  });
  if (r.status !== 201) throw new Error(`create token: ${r.status} ${r.text}`);
  return { id: r.json.token.id, secret: r.json.secret, json: r.json };
}

export function assertProblem(answer: Answer, status: number, code: string): void {
  if (answer.status !== status || answer.json?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${answer.status} ${answer.text.slice(0, 300)}`);
  }
  if (answer.problem === null) {
    throw new Error(`expected application/problem+json, got ${answer.headers.get('content-type')}`);
  }
}

/**
 * A request through node:http, for what fetch cannot send: duplicate headers (`headers` as a flat
 * raw list), a chosen Host, bytes that are not UTF-8.
 */
export async function rawRequest(
  base: string,
  method: string,
  path: string,
  rawHeaders: string[],
  body?: Uint8Array | string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: Answer['json'] }> {
  const { request } = await import('node:http');
  const target = new URL(base);
  const headers = rawHeaders.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host') ? rawHeaders : ['Host', target.host, ...rawHeaders];
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, method, path, headers, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** A direct look at the harness's database, on whichever store the suite runs: for tests of what is at rest. */
export interface DatabaseView {
  /** `?` placeholders, as in SQLite; translated to `$n` for PostgreSQL. */
  all(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs a statement; rejects with the database's error. */
  run(sql: string): Promise<void>;
  columnsOf(table: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function openDatabase(h: Pick<Harness, 'dataDir' | 'databaseUrl'>, options: { readOnly?: boolean } = {}): Promise<DatabaseView> {
  if (h.databaseUrl !== null) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: h.databaseUrl });
    await client.connect();
    const numbered = (sql: string) => {
      let n = 0;
      return sql.replace(/\?/g, () => `$${++n}`);
    };
    return {
      all: async (sql, ...params) => (await client.query(numbered(sql), params)).rows as Record<string, unknown>[],
      run: async (sql) => {
        await client.query(sql);
      },
      columnsOf: async (table) =>
        (await client.query('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [table])).rows.map((r) => r.column_name as string),
      close: () => client.end(),
    };
  }
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(join(h.dataDir, 'patkit.db'), { readOnly: options.readOnly ?? false });
  return {
    all: async (sql, ...params) => db.prepare(sql).all(...(params as never[])) as Record<string, unknown>[],
    run: async (sql) => {
      db.exec(sql);
    },
    columnsOf: async (table) => (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name),
    close: async () => db.close(),
  };
}

/**
 * Everything the store holds at rest, as bytes to search: SQLite's files in the data dir (call after
 * the server closed, so the WAL is checkpointed), or for PostgreSQL every row of every table as
 * text (binary columns as hex), plus the data dir (pepper).
 */
export async function bytesAtRest(h: Pick<Harness, 'dataDir' | 'databaseUrl'>): Promise<Buffer[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const files = await readdir(h.dataDir);
  const blobs = await Promise.all(files.filter((f) => f !== 'pepper').map((f) => readFile(join(h.dataDir, f))));
  if (h.databaseUrl !== null) {
    const db = await openDatabase(h);
    try {
      const tables = (await db.all("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).map((r) => r.tablename as string);
      for (const table of tables) {
        const rows = await db.all(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
        blobs.push(Buffer.from(rows.map((r) => r.row as string).join('\n'), 'utf8'));
      }
    } finally {
      await db.close();
    }
  }
  return blobs;
}
