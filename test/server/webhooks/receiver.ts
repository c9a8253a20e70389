/**
 * What the webhook tests share: a loopback receiver that records every delivery, a Standard
 * Webhooks verifier written from the spec (independent of the server's signer), and small waits.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export const FAST = { pollIntervalMs: 30, sweepIntervalMs: 50, retryDelaysMs: [300, 600], timeoutMs: 2_000 };
export const DAY = 86_400_000;

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Wall-clock arrival (ms). */
  at: number;
}

/** A loopback receiver: records every request; `/fail/N/...` answers 500 to the first N requests of its path. */
export class Receiver {
  readonly received: Received[] = [];
  readonly #counts = new Map<string, number>();
  /** While true, requests to `/hang/…` get no answer (a receiver that stalls). */
  hang = true;
  #server!: Server;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const path = request.url ?? '';
        this.received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const seen = (this.#counts.get(path) ?? 0) + 1;
        this.#counts.set(path, seen);
        if (path.startsWith('/hang/') && this.hang) return;
        const fail = /^\/fail\/(\d+)\//.exec(path);
        const status = path.startsWith('/always-503/') ? 503 : path.startsWith('/redirect/') ? 302 : fail && seen <= Number(fail[1]) ? 500 : 200;
        response.writeHead(status, status === 302 ? { location: 'http://127.0.0.1:1/elsewhere' } : {}).end('ok');
      });
    });
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    const address = this.#server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((r) => this.#server.close(() => r()));
  }
}

/** Standard Webhooks verification, from the spec: HMAC-SHA256 over `id.timestamp.body`, key = base64 after whsec_. */
export function verify(secret: string, headers: IncomingHttpHeaders, body: string, nowMs: number): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  assert.ok(secret.startsWith('whsec_'));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 8_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
