/**
 * The one HTTP client of the tests and benches, for Node and the browser alike (fetch only): a
 * bearer credential or a cookie, a JSON or raw body, and the answer read once into status, headers,
 * text, parsed JSON and (for `application/problem+json`) the problem document.
 */
import type { Problem } from '../../lib/errors.ts';

export type { Problem };

export interface CallOptions {
  body?: unknown;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  /** Sent as the `Cookie` header (Node; a browser sends its own cookies and forbids this header). */
  cookie?: string;
  headers?: Record<string, string>;
  /** Raw body bytes or text (sent as is, with the given content-type header). */
  raw?: string | Uint8Array;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  /** The problem document when the answer is `application/problem+json`, else null. */
  problem: Problem | null;
}

/** One request; the Response as fetch gives it (redirects are not followed: a test sees them). */
export function request(base: string, method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  return fetch(base + path, { method, headers, body: body as BodyInit | undefined, redirect: 'manual' });
}

/** JSON.parse, or null for an empty or non-JSON text. */
export function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** One request, its answer read in full. */
export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const response = await request(base, method, path, options);
  const text = await response.text();
  const json = parseJson(text);
  const isProblem = response.headers.get('content-type')?.startsWith('application/problem+json') ?? false;
  return { status: response.status, headers: response.headers, text, json, problem: isProblem && json !== null && typeof json === 'object' ? (json as Problem) : null };
}

export type Client = (method: string, path: string, options?: CallOptions) => Promise<Answer>;

/** `call` bound to one server's base URL. */
export function client(base: string): Client {
  return (method, path, options) => call(base, method, path, options);
}
