/**
 * `WebhookStore` on the SQLite file of `SqliteStore`: it borrows that store's prepared statements and
 * transactions. One process owns the file, so a lease here only guards against this process's own
 * overlapping ticks; the same SQL shape as PostgreSQL keeps both stores behaving alike.
 */
import type { AuditEntry, TokenRecord } from '../records.ts';
import { toAttempt, toClaimedDelivery, toDelivery, toOutboxRow, toWebhook, type Row } from '../row-mapping.ts';
import { expiringTokensWhere, gracesEndingWhere } from '../query-pieces.ts';
import { SQLITE_DIALECT, type SqliteDatabase } from './sqlite-database.ts';
import type { SqliteTokens } from './sqlite-tokens.ts';
import type {
  AttemptRecord,
  ClaimedDelivery,
  DeliveryRecord,
  DeliveryStatus,
  NewDelivery,
  NewWebhook,
  Notice,
  OutboxRow,
  WebhookPatch,
  WebhookRecord,
  WebhookStore,
} from '../webhook-store.ts';

const EXPIRING = expiringTokensWhere(SQLITE_DIALECT);
const GRACES_ENDING = gracesEndingWhere(SQLITE_DIALECT);

export class SqliteWebhookSection implements WebhookStore {
  readonly #db: SqliteDatabase;
  readonly #tokens: SqliteTokens;

  constructor(db: SqliteDatabase, tokens: SqliteTokens) {
    this.#db = db;
    this.#tokens = tokens;
  }

  #hook(id: string): WebhookRecord | null {
    const row = this.#db.stmt('SELECT * FROM webhooks WHERE id = ?').get(id) as Row | undefined;
    return row ? toWebhook(row) : null;
  }

  async createWebhook(hook: NewWebhook, audit: AuditEntry): Promise<WebhookRecord> {
    return this.#db.transaction(() => {
      this.#db
        .stmt('INSERT INTO webhooks (id, url, events, active, description, secret_sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(hook.id, hook.url, hook.events.join(' '), hook.active ? 1 : 0, hook.description, hook.secret_sealed, hook.created_at, hook.created_at);
      this.#db.audit(audit);
      return this.#hook(hook.id)!;
    });
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    return (this.#db.stmt('SELECT * FROM webhooks ORDER BY created_at, id').all() as Row[]).map(toWebhook);
  }

  async getWebhook(id: string): Promise<WebhookRecord | null> {
    return this.#hook(id);
  }

  async updateWebhook(id: string, patch: WebhookPatch, audit: AuditEntry): Promise<WebhookRecord | null> {
    return this.#db.transaction(() => {
      if (!this.#hook(id)) return null;
      const set = (column: string, value: string | number | Buffer) =>
        this.#db.stmt(`UPDATE webhooks SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, patch.updated_at, id);
      if (patch.url !== undefined) set('url', patch.url);
      if (patch.events !== undefined) set('events', patch.events.join(' '));
      if (patch.active !== undefined) set('active', patch.active ? 1 : 0);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.secret_sealed !== undefined) set('secret_sealed', patch.secret_sealed);
      this.#db.audit(audit);
      return this.#hook(id);
    });
  }

  async deleteWebhook(id: string, audit: AuditEntry): Promise<boolean> {
    return this.#db.transaction(() => {
      const deleted = Number(this.#db.stmt('DELETE FROM webhooks WHERE id = ?').run(id).changes) === 1;
      if (deleted) this.#db.audit(audit);
      return deleted;
    });
  }

  #insertDeliveries(deliveries: NewDelivery[]): void {
    for (const d of deliveries) {
      this.#db
        .stmt(
          `INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
           SELECT ?, id, ?, ?, 'pending', 0, ?, ? FROM webhooks WHERE id = ?`,
        )
        .run(d.id, d.event_type, d.payload, d.due_at, d.created_at, d.webhook_id);
    }
  }

  async enqueue(deliveries: NewDelivery[], audit: AuditEntry | null): Promise<void> {
    this.#db.transaction(() => {
      this.#insertDeliveries(deliveries);
      this.#db.audit(audit);
    });
  }

  async listDeliveries(webhookId: string, before: number | null, limit: number): Promise<DeliveryRecord[]> {
    const rows = this.#db
      .stmt('SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
      .all(webhookId, before ?? Number.MAX_SAFE_INTEGER, limit) as Row[];
    return rows.map((row) =>
      toDelivery(row, (this.#db.stmt('SELECT * FROM webhook_attempts WHERE delivery_seq = ? ORDER BY attempt').all(Number(row.seq)) as Row[]).map(toAttempt)),
    );
  }

  async readOutbox(limit: number): Promise<{ cursor: number; rows: OutboxRow[] }> {
    const cursor = Number((this.#db.stmt('SELECT audit_seq FROM webhook_outbox WHERE id = 1').get() as Row).audit_seq);
    const rows = this.#db
      .stmt('SELECT seq, action, token_id, owner_id, actor_id, actor_username, at, detail FROM audit WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(cursor, limit) as Row[];
    return { cursor, rows: rows.map(toOutboxRow) };
  }

  async advanceOutbox(from: number, to: number, deliveries: NewDelivery[]): Promise<boolean> {
    return this.#db.transaction(() => {
      const moved = Number(this.#db.stmt('UPDATE webhook_outbox SET audit_seq = ? WHERE id = 1 AND audit_seq = ?').run(to, from).changes) === 1;
      if (moved) this.#insertDeliveries(deliveries);
      return moved;
    });
  }

  async recordNotices(notices: Notice[]): Promise<number> {
    return this.#db.transaction(() => {
      let fresh = 0;
      for (const n of notices) {
        const inserted = this.#db
          .stmt('INSERT INTO webhook_notices (token_id, kind, threshold, ref, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
          .run(n.token_id, n.kind, n.threshold, n.ref, n.at);
        if (Number(inserted.changes) !== 1) continue;
        fresh++;
        this.#insertDeliveries(n.deliveries);
      }
      return fresh;
    });
  }

  async claimDue(now: number, limit: number, claimId: string, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.#db.transaction(() => {
      const rows = this.#db
        .stmt(
          `SELECT d.seq, d.id, d.webhook_id, w.url, w.secret_sealed, d.event_type, d.payload, d.attempt_count
           FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.active = 1 AND (d.claimed_until IS NULL OR d.claimed_until < ?)
           ORDER BY d.next_attempt_at, d.seq LIMIT ?`,
        )
        .all(now, now, limit) as Row[];
      for (const row of rows) {
        this.#db.stmt('UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = ? WHERE seq = ?').run(claimId, now + leaseMs, Number(row.seq));
      }
      return rows.map(toClaimedDelivery);
    });
  }

  async finishAttempt(seq: number, claimId: string, attempt: AttemptRecord, next: { status: DeliveryStatus; next_attempt_at: number | null }): Promise<void> {
    this.#db.transaction(() => {
      const updated = this.#db
        .stmt(
          `UPDATE webhook_deliveries SET status = ?, attempt_count = ?, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL
           WHERE seq = ? AND claimed_by = ?`,
        )
        .run(next.status, attempt.attempt, next.next_attempt_at, seq, claimId);
      if (Number(updated.changes) !== 1) return;
      this.#db
        .stmt('INSERT INTO webhook_attempts (delivery_seq, attempt, at, status_code, duration_ms, error, next_retry_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(seq, attempt.attempt, attempt.at, attempt.status_code, attempt.duration_ms, attempt.error, attempt.next_retry_at);
    });
  }

  async releaseClaim(seq: number, claimId: string): Promise<void> {
    this.#db.stmt('UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL WHERE seq = ? AND claimed_by = ?').run(seq, claimId);
  }

  async tokenSnapshot(id: string): Promise<TokenRecord | null> {
    return this.#tokens.byId(id);
  }

  async expiringTokens(from: string, to: string): Promise<TokenRecord[]> {
    return this.#tokens.where(EXPIRING, from, to);
  }

  async gracesEnding(from: string, to: string): Promise<TokenRecord[]> {
    return this.#tokens.where(GRACES_ENDING, from, to);
  }
}
