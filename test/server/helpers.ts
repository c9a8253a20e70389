/** Shared helpers for the server suite: an in-process server with test knobs, and a tiny HTTP client. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, type ServerOptions } from '../../server/app.ts';
import type { FastifyInstance } from 'fastify';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface Harness {
  url: string;
  dataDir: string;
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

/** A real server on a free loopback port, with a movable clock, PATs enabled and admin signed in. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'patkit-server-test-')));
  const clock = { offsetMs: 0 };
  const app = await buildServer({
    consoleDir: null,
    enablePats: true,
    adminPassword: ADMIN_PASSWORD,
    now: () => Date.now() + clock.offsetMs,
    ...options,
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
    app,
    admin,
    adminId: signIn.json.user.id as string,
    clock,
    async stop() {
      await app.close();
      if (!options.keepDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  headers?: Record<string, string>;
  /** Raw body bytes or text (sent as is, with the given content-type header). */
  raw?: string | Uint8Array;
}

export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(base + path, { method, headers, body: body as BodyInit | undefined, redirect: 'manual' });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export type Client = (method: string, path: string, options?: CallOptions) => Promise<Answer>;

export function client(base: string): Client {
  return (method, path, options) => call(base, method, path, options);
}

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
  if (!answer.headers.get('content-type')?.startsWith('application/problem+json')) {
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
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}
