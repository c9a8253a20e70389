/**
 * Requests from a chosen loopback source address (any of 127.0.0.0/8 on Linux): real sockets
 * with distinct peer addresses, as a burst from many clients reaches the server. For the
 * password-burst and client-address tests.
 */
import { request } from 'node:http';
import { parseJson } from '../../support/http.ts';

export interface FromAnswer {
  status: number;
  retryAfter: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** The n-th distinct loopback source address (127.0.1.0 upwards; 127.0.0.1 is the tests' own). */
export function loopbackSource(n: number): string {
  const i = n + 256;
  return `127.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
}

export function callFrom(
  base: string,
  source: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<FromAnswer> {
  const target = new URL(base);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method, path, headers, localAddress: source, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, json: parseJson(Buffer.concat(chunks).toString('utf8')) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
