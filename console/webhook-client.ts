/**
 * The console's typed client for `/api/v1/webhooks` and the webhook settings, with the console's
 * session (cookie + CSRF header, or bearer). Every answer passes lib/parse's shape checks.
 */
import { HttpClient, segment } from '../lib/http.ts';
import { consoleHttp, type ConsoleHttpConfig } from './console-http.ts';
import {
  badShape,
  readBoolean,
  readList,
  readNumber,
  readNumberOrNull,
  readObject,
  readString,
  readStringList,
  readStringOrNull,
  type Parser,
} from '../lib/parse.ts';

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttempt {
  attempt: number;
  at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  next_retry_at: string | null;
}

export interface WebhookDelivery {
  id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  created_at: string;
  attempt_count: number;
  max_attempts: number;
  next_attempt_at: string | null;
  attempts: WebhookAttempt[];
}

export const parseWebhook: Parser<Webhook> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    url: readString(o, 'url', path),
    events: readStringList(o, 'events', path),
    active: readBoolean(o, 'active', path),
    description: readString(o, 'description', path),
    created_at: readString(o, 'created_at', path),
    updated_at: readString(o, 'updated_at', path),
  };
};

const parseAttempt: Parser<WebhookAttempt> = (value, path) => {
  const o = readObject(value, path);
  return {
    attempt: readNumber(o, 'attempt', path),
    at: readString(o, 'at', path),
    status_code: readNumberOrNull(o, 'status_code', path),
    duration_ms: readNumber(o, 'duration_ms', path),
    error: readStringOrNull(o, 'error', path),
    next_retry_at: readStringOrNull(o, 'next_retry_at', path),
  };
};

const parseDelivery: Parser<WebhookDelivery> = (value, path) => {
  const o = readObject(value, path);
  const status = readString(o, 'status', path);
  if (status !== 'pending' && status !== 'succeeded' && status !== 'failed') throw badShape(`${path}.status`, 'pending, succeeded or failed', status);
  return {
    id: readString(o, 'id', path),
    event_type: readString(o, 'event_type', path),
    status,
    created_at: readString(o, 'created_at', path),
    attempt_count: readNumber(o, 'attempt_count', path),
    max_attempts: readNumber(o, 'max_attempts', path),
    next_attempt_at: readStringOrNull(o, 'next_attempt_at', path),
    attempts: readList(o, 'attempts', path, parseAttempt),
  };
};

export type WebhookClientConfig = ConsoleHttpConfig;

/** Typed calls to `/api/v1/webhooks` with the console's session. */
export class WebhookClient {
  readonly #http: HttpClient;

  constructor(config: WebhookClientConfig) {
    this.#http = consoleHttp(config);
  }

  list(): Promise<Webhook[]> {
    return this.#http.request({
      method: 'GET',
      path: '/api/v1/webhooks',
      parse: (v, p) => readList(readObject(v, p), 'items', p, parseWebhook),
      what: 'webhook list',
    });
  }

  create(draft: { url: string; events: string[]; description: string }): Promise<{ webhook: Webhook; secret: string }> {
    return this.#http.request({
      method: 'POST',
      path: '/api/v1/webhooks',
      body: draft,
      parse: (v, p) => {
        const o = readObject(v, p);
        return { webhook: parseWebhook(o['webhook'], `${p}.webhook`), secret: readString(o, 'secret', p) };
      },
      what: 'new webhook',
    });
  }

  update(id: string, patch: Partial<Pick<Webhook, 'url' | 'events' | 'description' | 'active'>>): Promise<Webhook> {
    return this.#http.request({ method: 'PATCH', path: `/api/v1/webhooks/${segment(id)}`, body: patch, parse: parseWebhook, what: 'webhook' });
  }

  async remove(id: string): Promise<void> {
    await this.#http.request({ method: 'DELETE', path: `/api/v1/webhooks/${segment(id)}` });
  }

  ping(id: string): Promise<string> {
    return this.#http.request({
      method: 'POST',
      path: `/api/v1/webhooks/${segment(id)}/ping`,
      body: {},
      parse: (v, p) => readString(readObject(v, p), 'delivery_id', p),
      what: 'ping',
    });
  }

  deliveries(id: string): Promise<WebhookDelivery[]> {
    return this.#http.request({
      method: 'GET',
      path: `/api/v1/webhooks/${segment(id)}/deliveries`,
      query: { limit: 50 },
      parse: (v, p) => readList(readObject(v, p), 'items', p, parseDelivery),
      what: 'delivery log',
    });
  }

  async allowPrivateTargets(): Promise<boolean> {
    return this.#http.request({
      method: 'GET',
      path: '/api/v1/settings',
      parse: (v, p) => readObject(v, p)['allow_private_webhook_targets'] === true,
      what: 'settings',
    });
  }

  /** Turning it on needs the caller's password (docs/security.md rule 31); turning it off does not. */
  async setAllowPrivateTargets(allowed: boolean, password?: string): Promise<boolean> {
    return this.#http.request({
      method: 'PATCH',
      path: '/api/v1/settings',
      body: password === undefined ? { allow_private_webhook_targets: allowed } : { allow_private_webhook_targets: allowed, password },
      parse: (v, p) => readObject(v, p)['allow_private_webhook_targets'] === true,
      what: 'settings',
    });
  }
}
