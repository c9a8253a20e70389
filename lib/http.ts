/**
 * The fetch plumbing every provider shares: base URL joining, JSON bodies, timeouts through
 * `AbortSignal`, retries for idempotent reads only, a guard that keeps credentials out of URLs, and
 * the turning of every failure (network, timeout, HTML error page, bad JSON, error status) into a
 * typed {@link ProviderError}. Knows no particular server: each provider passes how its server's
 * error bodies map onto the error family (`errorFor`).
 */
import { DEFAULT_MESSAGES, ProviderError, errorFromProblem, type Problem } from './errors.ts';
import type { Parser } from './parse.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

/** Everything about an error answer a provider may need to build the right error. */
export interface ErrorAnswer {
  status: number;
  /** The parsed JSON body, or `null` when the body was not JSON (an HTML error page, empty, …). */
  body: unknown;
  headers: Headers;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Used in messages ("The patkit server at … cannot be reached"). */
  serverLabel?: string;
  fetch?: typeof fetch;
  /** Per attempt, in milliseconds (default 15000). */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests after a network failure or a 502/503/504 (default 2). */
  retries?: number;
  /** First retry delay in milliseconds; doubles each time (default 250). */
  retryDelayMs?: number;
  /** Headers for every request, read at request time (the provider's current auth). */
  headers?: () => Record<string, string>;
  credentials?: RequestCredentials;
  /**
   * Values that must never appear in a URL (the current credential). Checked on every request: a
   * hit throws before anything leaves the process (docs/security.md rule 6).
   */
  secrets?: () => Array<string | null | undefined>;
  /** Maps an error answer to a typed error; defaults to problem+json handling ({@link problemError}). */
  errorFor?: (answer: ErrorAnswer) => ProviderError;
}

export interface HttpRequest<T> {
  method: HttpMethod;
  /** Path below the base URL, starting with `/`. Encode path segments with {@link segment}. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Defaults to true for GET and HEAD only: only idempotent reads are ever retried. */
  idempotent?: boolean;
  /** Validates the JSON answer; omit for answers without a body (204). */
  parse?: Parser<T>;
  /** Name of the answer in messages ("token list"), for `bad_response` errors. */
  what?: string;
  /** Sees the headers of a successful answer (paging headers, a session token in a header). */
  onHeaders?: (headers: Headers) => void;
}

/** Query keys that would put a credential in a URL; refused whatever their value. */
const CREDENTIAL_QUERY_KEYS = new Set(['token', 'access_token', 'password', 'credential', 'api_key', 'apikey', 'secret']);

/** Token shapes patkit knows; a URL containing one is refused even if it is not the current credential. */
const SECRET_IN_URL = /(?:pat|pks)_[0-9A-Za-z]{20,}|npm_[0-9A-Za-z]{36}/;

export function segment(value: string): string {
  return encodeURIComponent(value);
}

/** Normalises a base URL: no trailing slash, no query, no fragment, no user info. */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ProviderError('validation_failed', `"${baseUrl}" is not a valid server address.`, {
      fieldErrors: [{ field: 'baseUrl', message: 'Enter an address such as https://tokens.example.com' }],
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderError('validation_failed', 'The server address must start with https:// or http://.', {
      fieldErrors: [{ field: 'baseUrl', message: 'Use an http(s) address' }],
    });
  }
  if (url.username !== '' || url.password !== '') {
    // A credential in a URL ends up in logs and history (docs/security.md rule 6).
    throw new ProviderError('validation_failed', 'The server address must not contain a user name or password.', {
      fieldErrors: [{ field: 'baseUrl', message: 'Remove the user name and password from the address' }],
    });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** An error answer's JSON object, for servers with their own error format; `null` for anything else. */
export function errorBodyObject(answer: ErrorAnswer): Record<string, unknown> | null {
  return isProblem(answer.body) ? (answer.body as Record<string, unknown>) : null;
}

/**
 * Default error mapping for RFC 9457 servers. A body that is not a problem object (an HTML page
 * from a proxy, an empty 502) gets the family's message plus the HTTP status, so a person sees
 * what happened without a stack of HTML.
 */
export function problemError(answer: ErrorAnswer): ProviderError {
  const problem = isProblem(answer.body) ? answer.body : null;
  const error = errorFromProblem(answer.status, problem, answer.headers.get('retry-after'));
  if (problem === null || typeof problem.detail !== 'string' || problem.detail.trim() === '') {
    return new ProviderError(error.code, `${DEFAULT_MESSAGES[error.code]} (HTTP ${answer.status})`, {
      serverCode: error.serverCode,
      status: error.status,
      fieldErrors: error.fieldErrors,
      retryAfter: error.retryAfter,
    });
  }
  return error;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export class HttpClient {
  readonly baseUrl: string;
  private readonly options: HttpClientOptions;
  private readonly label: string;

  constructor(options: HttpClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.options = options;
    this.label = options.serverLabel ?? `The server at ${this.baseUrl}`;
  }

  /** Builds the request URL and refuses one that would carry a credential. */
  url(path: string, query?: Record<string, QueryValue>): string {
    if (!path.startsWith('/')) throw new TypeError(`path must start with "/": ${path}`);
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null || value === '') continue;
      if (CREDENTIAL_QUERY_KEYS.has(key.toLowerCase())) {
        throw new TypeError(`Refusing to put "${key}" in a URL: credentials travel in headers only.`);
      }
      url.searchParams.set(key, String(value));
    }
    const href = url.href;
    const secrets = (this.options.secrets?.() ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 8);
    if (SECRET_IN_URL.test(safeDecode(href)) || secrets.some((s) => href.includes(s) || href.includes(encodeURIComponent(s)))) {
      throw new TypeError('Refusing to send a credential in a URL: credentials travel in headers only.');
    }
    return href;
  }

  async request<T>(req: HttpRequest<T>): Promise<T> {
    const url = this.url(req.path, req.query);
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'HEAD');
    const attempts = 1 + (idempotent ? Math.max(0, this.options.retries ?? 2) : 0);
    let delay = this.options.retryDelayMs ?? 250;
    let lastError: ProviderError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        await sleep(delay, req.signal);
        delay *= 2;
      }
      try {
        return await this.once(url, req);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        // A refused or dropped connection and a gateway's 502/503/504 are worth another try; a
        // timeout is not (three of them would keep a person waiting for most of a minute).
        const retryable =
          (error.code === 'offline' && error.serverCode === 'network') ||
          (error.status !== undefined && RETRYABLE_STATUS.has(error.status));
        if (!retryable || attempt === attempts) throw error;
        lastError = error;
      }
    }
    // Unreachable: the loop either returns or throws.
    throw lastError ?? new ProviderError('offline', DEFAULT_MESSAGES.offline);
  }

  private async once<T>(url: string, req: HttpRequest<T>): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? 15000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...this.options.headers?.(), ...req.headers };
    const init: RequestInit = { method: req.method, headers, signal, cache: 'no-store' };
    if (this.options.credentials) init.credentials = this.options.credentials;
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(req.body);
    }
    const doFetch = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, init);
      text = req.method === 'HEAD' ? '' : await response.text();
    } catch (error) {
      // The caller's own cancellation stays an AbortError: it is not a failure to report.
      if (req.signal?.aborted) throw req.signal.reason ?? error;
      if (timeout.aborted) {
        throw new ProviderError('offline', `${this.label} did not answer within ${Math.round(timeoutMs / 100) / 10} s. Try again later.`, {
          serverCode: 'timeout',
          cause: error,
        });
      }
      throw new ProviderError('offline', `${this.label} cannot be reached. Check your connection or the server address.`, {
        serverCode: 'network',
        cause: error,
      });
    }
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    const isJson = type.includes('json');
    const what = req.what ?? 'answer';

    if (!response.ok) {
      let body: unknown = null;
      if (isJson && text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
      }
      const errorFor = this.options.errorFor ?? problemError;
      throw errorFor({ status: response.status, body, headers: response.headers });
    }

    req.onHeaders?.(response.headers);
    if (!req.parse) return undefined as T;
    if (!isJson) {
      const looksHtml = type.includes('html') || /^\s*</.test(text);
      throw new ProviderError(
        'bad_response',
        looksHtml
          ? `${this.label} answered with a web page instead of data (HTTP ${response.status}). Check that the address points to the token server.`
          : `${this.label} answered with ${type || 'no content type'} instead of JSON (HTTP ${response.status}).`,
        { status: response.status, serverCode: 'not_json' },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ProviderError('bad_response', `${this.label} sent a ${what} that is not valid JSON.`, {
        status: response.status,
        serverCode: 'invalid_json',
        cause: error,
      });
    }
    return req.parse(json, what);
  }
}
