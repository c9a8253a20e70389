/**
 * Turns token events into signed webhook deliveries and sends them, on every instance at once
 * without sending anything twice:
 *
 * - **Outbox**: token events are read from the audit log, which every change writes in its own
 *   transaction; a cursor (moved by compare-and-set) says how far the log has been turned into
 *   deliveries. A hole in the sequence (a transaction that took a number but has not committed yet)
 *   is waited for a few seconds before it is passed, so a late commit is not skipped.
 * - **Sweep**: time-based events (expiring in 7 / 3 / 1 days, end of a grace period) become unique
 *   notice rows, so each threshold is announced once per token even with several instances.
 * - **Queue**: deliveries are leased (one instance per attempt), posted with a 10 s limit, every
 *   attempt is logged, failures retry with exponential backoff, the last failure marks the delivery
 *   failed. On close no new attempt starts; attempts in flight get a moment, then are aborted and
 *   their lease released (no attempt is counted, so the next instance or start sends it again).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { AppContext } from '../app-context.ts';
import { tokenDto } from '../tokens/token-dto.ts';
import { publicId, randomBase62 } from '../auth/credentials.ts';
import type { TokenRecord } from '../store/store.ts';
import { openSecret, signMessage } from './signing.ts';
import { resolveTarget, type ResolvedTarget } from './targets.ts';
import type { ClaimedDelivery, NewDelivery, Notice, OutboxRow, WebhookEvent, WebhookRecord } from '../store/webhook-store.ts';

export interface WebhookOptions {
  /** How often the outbox and the queue are looked at (ms, default 1000). */
  pollIntervalMs?: number;
  /** How often time-based events are looked for (ms, default 60 000). */
  sweepIntervalMs?: number;
  /** Wait before each retry; attempts = length + 1 (default 30 s, 2 min, 15 min, 1 h: 5 attempts). */
  retryDelaysMs?: number[];
  /** Longest a receiver may take to answer (ms, default 10 000). */
  timeoutMs?: number;
  /** `token.grace_ending` is sent this long before a grace period ends (ms, default 1 hour). */
  graceEndingNoticeMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 900_000, 3_600_000];
const DAY_MS = 86_400_000;
const EXPIRY_THRESHOLDS_DAYS = [1, 3, 7];
const MAX_PARALLEL = 8;
const OUTBOX_BATCH = 500;
/** How long a hole in the audit sequence is waited for (a transaction still committing). */
const GAP_WAIT_MS = 10_000;
/** How long close() lets attempts in flight finish before aborting them. */
const STOP_WAIT_MS = 2_000;

/** Audit actions that are webhook events. */
const EVENT_OF_ACTION: Record<string, WebhookEvent> = {
  'token.disabled': 'token.disabled',
  'token.reported_leaked': 'token.reported_leaked',
  'token.regenerated': 'token.rotated',
  'token.request_created': 'token.request_created',
  'token.request_approved': 'token.request_approved',
  'token.request_denied': 'token.request_denied',
};

export function newMessageId(): string {
  return publicId('msg');
}

/** The signed JSON body: `{ type, timestamp, data }`. */
export function messageBody(type: WebhookEvent, at: string, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at, data });
}

export class WebhookDispatcher {
  readonly #ctx: AppContext;
  readonly #poll: number;
  readonly #sweepEvery: number;
  readonly #retryDelays: number[];
  readonly #timeout: number;
  readonly #graceNotice: number;
  readonly #claimId = `claim_${randomBase62(16)}`;
  readonly #inflight = new Set<Promise<void>>();
  readonly #controllers = new Set<AbortController>();
  /** Holes in the audit sequence seen, with when they were first seen (wall clock). */
  readonly #gaps = new Map<number, number>();
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> | null = null;
  #lastSweep = -Infinity;
  #stopping = false;
  #lastLog = 0;

  constructor(ctx: AppContext, options: WebhookOptions = {}) {
    this.#ctx = ctx;
    this.#poll = options.pollIntervalMs ?? 1_000;
    this.#sweepEvery = options.sweepIntervalMs ?? 60_000;
    this.#retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#timeout = options.timeoutMs ?? 10_000;
    this.#graceNotice = options.graceEndingNoticeMs ?? 3_600_000;
  }

  get maxAttempts(): number {
    return this.#retryDelays.length + 1;
  }

  start(): void {
    this.#schedule(0);
  }

  /** Look at the queue now (after a ping was queued). */
  wake(): void {
    if (this.#stopping || this.#tick) return;
    this.#schedule(0);
  }

  #schedule(delay: number): void {
    if (this.#stopping) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#tick = this.#runTick().finally(() => {
        this.#tick = null;
        this.#schedule(this.#poll);
      });
    }, delay);
    this.#timer.unref();
  }

  async #runTick(): Promise<void> {
    try {
      await this.#drainOutbox();
      if (performance.now() - this.#lastSweep >= this.#sweepEvery) {
        this.#lastSweep = performance.now();
        await this.#sweep();
      }
      await this.#deliverDue();
    } catch (error) {
      // The database may be away for a moment (restart): say so now and then, keep going.
      if (Date.now() - this.#lastLog > 30_000) {
        this.#lastLog = Date.now();
        console.error(`patkit: webhooks: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
    if (this.#inflight.size === 0) return;
    const abort = setTimeout(() => {
      for (const controller of this.#controllers) controller.abort();
    }, STOP_WAIT_MS);
    await Promise.allSettled([...this.#inflight]);
    clearTimeout(abort);
  }

  #iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  #delivery(hook: WebhookRecord, type: WebhookEvent, at: string, data: Record<string, unknown>): NewDelivery {
    return { id: newMessageId(), webhook_id: hook.id, event_type: type, payload: messageBody(type, at, data), created_at: at, due_at: this.#ctx.now() };
  }

  #tokenData(token: TokenRecord): Record<string, unknown> {
    return { token: tokenDto(this.#ctx, token), owner: { id: token.owner.user_id, username: token.owner.username } };
  }

  // ---- outbox ----------------------------------------------------------------------------

  async #drainOutbox(): Promise<void> {
    const store = this.#ctx.store.webhooks;
    const { cursor, rows } = await store.readOutbox(OUTBOX_BATCH);
    // Holes the cursor has passed (filled, or passed by another instance) are no longer waited for.
    for (const hole of this.#gaps.keys()) if (hole <= cursor) this.#gaps.delete(hole);
    let to = cursor;
    const taken: OutboxRow[] = [];
    for (const row of rows) {
      if (row.seq !== to + 1) {
        const hole = to + 1;
        const seen = this.#gaps.get(hole) ?? Date.now();
        this.#gaps.set(hole, seen);
        if (Date.now() - seen < GAP_WAIT_MS) break;
        this.#gaps.delete(hole);
      }
      taken.push(row);
      to = row.seq;
    }
    if (to === cursor) return;
    const hooks = (await store.listWebhooks()).filter((h) => h.active);
    const deliveries: NewDelivery[] = [];
    for (const row of taken) {
      const type = EVENT_OF_ACTION[row.action];
      if (!type) continue;
      const targets = hooks.filter((h) => h.events.includes(type));
      if (targets.length === 0) continue;
      const data = await this.#eventData(type, row);
      for (const hook of targets) deliveries.push(this.#delivery(hook, type, row.at, data));
    }
    await store.advanceOutbox(cursor, to, deliveries);
  }

  async #eventData(type: WebhookEvent, row: OutboxRow): Promise<Record<string, unknown>> {
    const token = row.token_id ? await this.#ctx.store.webhooks.tokenSnapshot(row.token_id) : null;
    // A token deleted right after the event: its id and owner id are all that is left.
    const base = token ? this.#tokenData(token) : { token: { id: row.token_id }, owner: { id: row.owner_id, username: null } };
    const d = row.detail;
    if (type === 'token.disabled') {
      return {
        ...base,
        reason: typeof d.reason === 'string' ? d.reason : 'disabled',
        ...(typeof d.unused_days === 'number' ? { unused_days: d.unused_days } : {}),
        actor: row.actor,
      };
    }
    if (type === 'token.reported_leaked') return { ...base, already_disabled: d.already_disabled === true };
    if (type === 'token.request_created') return { ...base, justification: typeof d.justification === 'string' ? d.justification : '', actor: row.actor };
    if (type === 'token.request_approved' || type === 'token.request_denied') {
      return { ...base, reason: typeof d.reason === 'string' ? d.reason : null, actor: row.actor };
    }
    // token.rotated
    return {
      ...base,
      grace_period_seconds: typeof d.grace_period_seconds === 'number' ? d.grace_period_seconds : 0,
      previous_valid_until: typeof d.previous_valid_until === 'string' ? d.previous_valid_until : null,
      actor: row.actor,
    };
  }

  // ---- time-based events -------------------------------------------------------------------

  async #sweep(): Promise<void> {
    const store = this.#ctx.store.webhooks;
    const hooks = (await store.listWebhooks()).filter((h) => h.active);
    const expiring = hooks.filter((h) => h.events.includes('token.expiring'));
    const grace = hooks.filter((h) => h.events.includes('token.grace_ending'));
    if (expiring.length === 0 && grace.length === 0) return;
    const now = this.#ctx.now();
    const at = this.#iso(now);
    const notices: Notice[] = [];
    if (expiring.length > 0) {
      for (const token of await store.expiringTokens(at, this.#iso(now + 7 * DAY_MS))) {
        const left = Date.parse(token.expires_at!) - now;
        // The nearest threshold passed: a token made to expire in 2 days gets the 3-day notice only.
        const threshold = EXPIRY_THRESHOLDS_DAYS.find((days) => left <= days * DAY_MS)!;
        const data = { ...this.#tokenData(token), expires_at: token.expires_at, days_left: Math.ceil(left / DAY_MS), threshold_days: threshold };
        notices.push({
          token_id: token.id,
          kind: 'expiring',
          threshold,
          ref: token.expires_at!,
          at,
          deliveries: expiring.map((h) => this.#delivery(h, 'token.expiring', at, data)),
        });
      }
    }
    if (grace.length > 0) {
      for (const token of await store.gracesEnding(at, this.#iso(now + this.#graceNotice))) {
        const until = token.previous!.valid_until;
        const data = { ...this.#tokenData(token), previous_valid_until: until, seconds_left: Math.max(0, Math.round((Date.parse(until) - now) / 1000)) };
        notices.push({ token_id: token.id, kind: 'grace_ending', threshold: 0, ref: until, at, deliveries: grace.map((h) => this.#delivery(h, 'token.grace_ending', at, data)) });
      }
    }
    if (notices.length > 0) await store.recordNotices(notices);
  }

  // ---- delivery ----------------------------------------------------------------------------

  async #deliverDue(): Promise<void> {
    const free = MAX_PARALLEL - this.#inflight.size;
    if (free <= 0 || this.#stopping) return;
    const lease = this.#timeout + 30_000;
    const claimed = await this.#ctx.store.webhooks.claimDue(this.#ctx.now(), free, this.#claimId, lease);
    const full = claimed.length === free;
    for (const delivery of claimed) {
      const attempt: Promise<void> = this.#attempt(delivery)
        .catch((error: unknown) => {
          if (Date.now() - this.#lastLog > 30_000) {
            this.#lastLog = Date.now();
            console.error(`patkit: webhooks: delivery ${delivery.id}: ${error instanceof Error ? error.message : String(error)}`);
          }
        })
        .finally(() => {
          this.#inflight.delete(attempt);
          // A full batch may mean more are due: claim again now instead of after the poll interval.
          if (full) this.wake();
        });
      this.#inflight.add(attempt);
    }
  }

  async #attempt(delivery: ClaimedDelivery): Promise<void> {
    const store = this.#ctx.store.webhooks;
    const number = delivery.attempt_count + 1;
    const startedAt = this.#ctx.now();
    const started = performance.now();
    const controller = new AbortController();
    this.#controllers.add(controller);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const settings = await this.#ctx.store.getSettings();
      // Checked again now, not only when the webhook was saved: DNS may point elsewhere today.
      const target = await resolveTarget(delivery.url, settings.allow_private_webhook_targets === true);
      const secret = openSecret(this.#ctx.pepper, delivery.webhook_id, delivery.secret_sealed);
      const timestamp = Math.floor(this.#ctx.now() / 1000);
      statusCode = await post(
        target,
        {
          'content-type': 'application/json',
          'user-agent': 'patkit-webhooks/1',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signMessage(secret, delivery.id, timestamp, delivery.payload),
        },
        delivery.payload,
        this.#timeout,
        controller.signal,
      );
      if (statusCode >= 300 && statusCode < 400) error = `The receiver answered ${statusCode} (a redirect, not followed).`;
      else if (statusCode < 200 || statusCode >= 300) error = `The receiver answered ${statusCode}.`;
    } catch (caught) {
      if (controller.signal.aborted && this.#stopping) {
        await store.releaseClaim(delivery.seq, this.#claimId);
        return;
      }
      error = caught instanceof Error ? caught.message : String(caught);
    } finally {
      this.#controllers.delete(controller);
    }
    const ok = error === null;
    const last = number >= this.maxAttempts;
    const nextAt = ok || last ? null : this.#ctx.now() + this.#retryDelays[number - 1]!;
    await store.finishAttempt(
      delivery.seq,
      this.#claimId,
      {
        attempt: number,
        at: this.#iso(startedAt),
        status_code: statusCode,
        duration_ms: Math.round(performance.now() - started),
        error: error === null ? null : error.slice(0, 500),
        next_retry_at: nextAt === null ? null : this.#iso(nextAt),
      },
      { status: ok ? 'succeeded' : last ? 'failed' : 'pending', next_attempt_at: nextAt },
    );
  }
}

/** One POST to the checked address; resolves with the status code (the body is not read). */
function post(target: ResolvedTarget, headers: Record<string, string>, body: string, timeoutMs: number, signal: AbortSignal): Promise<number> {
  const secure = target.url.protocol === 'https:';
  // The connection goes to the address that was checked, whatever DNS says a moment later.
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      {
        method: 'POST',
        host: target.host,
        port: target.url.port ? Number(target.url.port) : secure ? 443 : 80,
        path: `${target.url.pathname}${target.url.search}`,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
        signal,
        ...(secure && isIP(target.host) === 0 ? { servername: target.host } : {}),
      },
      (response) => {
        clearTimeout(timer);
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`No answer within ${timeoutMs / 1000} s.`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      const code = (error as NodeJS.ErrnoException).code;
      reject(code && !error.message.includes(code) ? new Error(`${error.message} (${code})`) : error);
    });
    request.end(body);
  });
}
