/**
 * The webhook section of the storage boundary: webhooks, their durable delivery queue with every
 * attempt, the outbox cursor over the audit log, and the notices of time-based events. Both stores
 * implement it on their own database; every method that writes is one transaction, so several
 * instances on one PostgreSQL database never lose or duplicate a delivery.
 */
import type { AuditEntry, TokenRecord } from './records.ts';

/** Every event a webhook can subscribe to: defined once in lib, shared with the console. */
import type { WebhookEvent } from '../../lib/webhook-events.ts';
export { WEBHOOK_EVENTS, type WebhookEvent } from '../../lib/webhook-events.ts';

export interface WebhookRecord {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface NewWebhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  description: string;
  /** The signing secret sealed with the server's key (`webhook-signing.ts`), never plain. */
  secret_sealed: Buffer;
  created_at: string;
}

export interface WebhookPatch {
  url?: string;
  events?: WebhookEvent[];
  active?: boolean;
  description?: string;
  secret_sealed?: Buffer;
  updated_at: string;
}

export interface NewDelivery {
  /** The `webhook-id` header: unique per message, the same on every retry. */
  id: string;
  webhook_id: string;
  event_type: WebhookEvent;
  /** The exact JSON body that is signed and sent. */
  payload: string;
  created_at: string;
  /** When the first attempt is due (ms since the epoch, server clock). */
  due_at: number;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface AttemptRecord {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; null when no answer came (network error, timeout, refused target). */
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  /** When the next attempt is due; null after a success or the last attempt. */
  next_retry_at: string | null;
}

export interface DeliveryRecord {
  seq: number;
  id: string;
  webhook_id: string;
  event_type: WebhookEvent;
  status: DeliveryStatus;
  created_at: string;
  attempt_count: number;
  next_attempt_at: string | null;
  attempts: AttemptRecord[];
}

/** A delivery this instance has leased for one attempt. */
export interface ClaimedDelivery {
  seq: number;
  id: string;
  webhook_id: string;
  url: string;
  secret_sealed: Buffer;
  event_type: WebhookEvent;
  payload: string;
  attempt_count: number;
}

export interface OutboxRow {
  seq: number;
  action: string;
  token_id: string | null;
  owner_id: string | null;
  actor: { id: string; username: string } | null;
  at: string;
  detail: AuditEntry['detail'];
}

export interface Notice {
  token_id: string;
  kind: 'expiring' | 'grace_ending';
  /** Days before expiry (7, 3, 1) for `expiring`; 0 for `grace_ending`. */
  threshold: number;
  /** The time the notice is about (the token's expires_at, or the end of its grace). */
  ref: string;
  at: string;
  deliveries: NewDelivery[];
}

export interface WebhookStore {
  createWebhook(hook: NewWebhook, audit: AuditEntry): Promise<WebhookRecord>;
  listWebhooks(): Promise<WebhookRecord[]>;
  getWebhook(id: string): Promise<WebhookRecord | null>;
  updateWebhook(id: string, patch: WebhookPatch, audit: AuditEntry): Promise<WebhookRecord | null>;
  /** Deletes the webhook with its deliveries; false when there is none. */
  deleteWebhook(id: string, audit: AuditEntry): Promise<boolean>;

  /** Queues deliveries (a ping) with the audit entry that asked for them. */
  enqueue(deliveries: NewDelivery[], audit: AuditEntry | null): Promise<void>;
  /** Newest first; `before` is a delivery seq from a previous page. */
  listDeliveries(webhookId: string, before: number | null, limit: number): Promise<DeliveryRecord[]>;

  /** The outbox cursor (last audit seq turned into deliveries) and the audit rows after it. */
  readOutbox(limit: number): Promise<{ cursor: number; rows: OutboxRow[] }>;
  /**
   * Compare-and-set: when the cursor is still `from`, queues the deliveries and moves it to `to`,
   * in one transaction; false (nothing changed) when another instance moved it first.
   */
  advanceOutbox(from: number, to: number, deliveries: NewDelivery[]): Promise<boolean>;
  /** Records each notice not yet recorded and queues its deliveries; returns how many were new. */
  recordNotices(notices: Notice[]): Promise<number>;

  /**
   * Leases up to `limit` pending deliveries of active webhooks due at `now` to `claimId` for
   * `leaseMs` (another instance takes a delivery over only after its lease ran out).
   */
  claimDue(now: number, limit: number, claimId: string, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Logs the attempt and sets the delivery's next state, if `claimId` still holds the lease. */
  finishAttempt(seq: number, claimId: string, attempt: AttemptRecord, next: { status: DeliveryStatus; next_attempt_at: number | null }): Promise<void>;
  /** Gives a lease back without an attempt (shutdown): the delivery is due again at once. */
  releaseClaim(seq: number, claimId: string): Promise<void>;

  /** The token as the payload describes it (read here so the dispatcher needs no other store call). */
  tokenSnapshot(id: string): Promise<TokenRecord | null>;
  /** Active tokens whose expiry is after `from` and at or before `to`. */
  expiringTokens(from: string, to: string): Promise<TokenRecord[]>;
  /** Tokens whose previous secret's grace ends after `from` and at or before `to`. */
  gracesEnding(from: string, to: string): Promise<TokenRecord[]>;
}
