/**
 * `WebhookStore` on the PostgreSQL database of `PostgresStore`, shared by every instance: deliveries
 * are leased with `FOR UPDATE SKIP LOCKED` (two instances never send one attempt twice), the outbox
 * cursor moves by compare-and-set, and notices are unique rows (a threshold is announced once).
 */
import type { AuditEntry, TokenRecord } from '../records.ts';
import { toAttempt, toClaimedDelivery, toDelivery, toOutboxRow, toWebhook, type Row } from '../row-mapping.ts';
import { expiringTokensWhere, gracesEndingWhere } from '../query-pieces.ts';
import { POSTGRES_DIALECT, type PostgresDatabase, type Queryable } from './postgres-database.ts';
import type { PostgresTokens } from './postgres-tokens.ts';
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

const EXPIRING = expiringTokensWhere(POSTGRES_DIALECT);
const GRACES_ENDING = gracesEndingWhere(POSTGRES_DIALECT);

export class PostgresWebhookSection implements WebhookStore {
  readonly #db: PostgresDatabase;
  readonly #tokens: PostgresTokens;

  constructor(db: PostgresDatabase, tokens: PostgresTokens) {
    this.#db = db;
    this.#tokens = tokens;
  }

  async #hook(client: Queryable, id: string): Promise<WebhookRecord | null> {
    const row = (await client.query('SELECT * FROM webhooks WHERE id = $1', [id])).rows[0] as Row | undefined;
    return row ? toWebhook(row) : null;
  }

  async createWebhook(hook: NewWebhook, audit: AuditEntry): Promise<WebhookRecord> {
    return this.#db.transaction(async (client) => {
      await client.query(
        'INSERT INTO webhooks (id, url, events, active, description, secret_sealed, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)',
        [hook.id, hook.url, hook.events.join(' '), hook.active, hook.description, hook.secret_sealed, hook.created_at],
      );
      await this.#db.audit(client, audit);
      return (await this.#hook(client, hook.id))!;
    });
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    return ((await this.#db.query('SELECT * FROM webhooks ORDER BY created_at COLLATE "C", id COLLATE "C"')).rows as Row[]).map(toWebhook);
  }

  async getWebhook(id: string): Promise<WebhookRecord | null> {
    return this.#hook(this.#db.pooled, id);
  }

  async updateWebhook(id: string, patch: WebhookPatch, audit: AuditEntry): Promise<WebhookRecord | null> {
    return this.#db.transaction(async (client) => {
      if ((await client.query('SELECT 1 FROM webhooks WHERE id = $1 FOR UPDATE', [id])).rowCount === 0) return null;
      const set = (column: string, value: unknown) => client.query(`UPDATE webhooks SET ${column} = $1, updated_at = $2 WHERE id = $3`, [value, patch.updated_at, id]);
      if (patch.url !== undefined) await set('url', patch.url);
      if (patch.events !== undefined) await set('events', patch.events.join(' '));
      if (patch.active !== undefined) await set('active', patch.active);
      if (patch.description !== undefined) await set('description', patch.description);
      if (patch.secret_sealed !== undefined) await set('secret_sealed', patch.secret_sealed);
      await this.#db.audit(client, audit);
      return this.#hook(client, id);
    });
  }

  async deleteWebhook(id: string, audit: AuditEntry): Promise<boolean> {
    return this.#db.transaction(async (client) => {
      const deleted = ((await client.query('DELETE FROM webhooks WHERE id = $1', [id])).rowCount ?? 0) === 1;
      if (deleted) await this.#db.audit(client, audit);
      return deleted;
    });
  }

  async #insertDeliveries(client: Queryable, deliveries: NewDelivery[]): Promise<void> {
    for (const d of deliveries) {
      await client.query(
        `INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, status, attempt_count, next_attempt_at, created_at)
         SELECT $1, id, $2, $3, 'pending', 0, $4, $5 FROM webhooks WHERE id = $6`,
        [d.id, d.event_type, d.payload, d.due_at, d.created_at, d.webhook_id],
      );
    }
  }

  async enqueue(deliveries: NewDelivery[], audit: AuditEntry | null): Promise<void> {
    await this.#db.transaction(async (client) => {
      await this.#insertDeliveries(client, deliveries);
      await this.#db.audit(client, audit);
    });
  }

  async listDeliveries(webhookId: string, before: number | null, limit: number): Promise<DeliveryRecord[]> {
    const rows = (
      await this.#db.query('SELECT * FROM webhook_deliveries WHERE webhook_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3', [
        webhookId,
        before ?? Number.MAX_SAFE_INTEGER,
        limit,
      ])
    ).rows as Row[];
    if (rows.length === 0) return [];
    const attempts = (
      await this.#db.query('SELECT * FROM webhook_attempts WHERE delivery_seq = ANY($1::bigint[]) ORDER BY delivery_seq, attempt', [rows.map((r) => Number(r.seq))])
    ).rows as Row[];
    return rows.map((row) => toDelivery(row, attempts.filter((a) => Number(a.delivery_seq) === Number(row.seq)).map(toAttempt)));
  }

  async readOutbox(limit: number): Promise<{ cursor: number; rows: OutboxRow[] }> {
    const cursor = Number(((await this.#db.query('SELECT audit_seq FROM webhook_outbox WHERE id = 1')).rows[0] as Row).audit_seq);
    const rows = (
      await this.#db.query('SELECT seq, action, token_id, owner_id, actor_id, actor_username, at, detail FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2', [cursor, limit])
    ).rows as Row[];
    return { cursor, rows: rows.map(toOutboxRow) };
  }

  async advanceOutbox(from: number, to: number, deliveries: NewDelivery[]): Promise<boolean> {
    return this.#db.transaction(async (client) => {
      // A second instance doing the same waits on the row lock, then finds the cursor moved: 0 rows.
      const moved = ((await client.query('UPDATE webhook_outbox SET audit_seq = $1 WHERE id = 1 AND audit_seq = $2', [to, from])).rowCount ?? 0) === 1;
      if (moved) await this.#insertDeliveries(client, deliveries);
      return moved;
    });
  }

  async recordNotices(notices: Notice[]): Promise<number> {
    return this.#db.transaction(async (client) => {
      let fresh = 0;
      for (const n of notices) {
        const inserted = await client.query(
          'INSERT INTO webhook_notices (token_id, kind, threshold, ref, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
          [n.token_id, n.kind, n.threshold, n.ref, n.at],
        );
        if (inserted.rowCount !== 1) continue;
        fresh++;
        await this.#insertDeliveries(client, n.deliveries);
      }
      return fresh;
    });
  }

  async claimDue(now: number, limit: number, claimId: string, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = (
      await this.#db.query(
        `WITH due AS (
           SELECT d.seq FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.active AND (d.claimed_until IS NULL OR d.claimed_until < $1)
           ORDER BY d.next_attempt_at, d.seq LIMIT $2
           FOR UPDATE OF d SKIP LOCKED
         )
         UPDATE webhook_deliveries d SET claimed_by = $3, claimed_until = $4
         FROM due, webhooks w WHERE d.seq = due.seq AND w.id = d.webhook_id
         RETURNING d.seq, d.id, d.webhook_id, w.url, w.secret_sealed, d.event_type, d.payload, d.attempt_count`,
        [now, limit, claimId, now + leaseMs],
      )
    ).rows as Row[];
    return rows.map(toClaimedDelivery);
  }

  async finishAttempt(seq: number, claimId: string, attempt: AttemptRecord, next: { status: DeliveryStatus; next_attempt_at: number | null }): Promise<void> {
    await this.#db.transaction(async (client) => {
      const updated = await client.query(
        `UPDATE webhook_deliveries SET status = $1, attempt_count = $2, next_attempt_at = $3, claimed_by = NULL, claimed_until = NULL
         WHERE seq = $4 AND claimed_by = $5`,
        [next.status, attempt.attempt, next.next_attempt_at, seq, claimId],
      );
      if (updated.rowCount !== 1) return;
      await client.query(
        'INSERT INTO webhook_attempts (delivery_seq, attempt, at, status_code, duration_ms, error, next_retry_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [seq, attempt.attempt, attempt.at, attempt.status_code, attempt.duration_ms, attempt.error, attempt.next_retry_at],
      );
    });
  }

  async releaseClaim(seq: number, claimId: string): Promise<void> {
    await this.#db.query('UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL WHERE seq = $1 AND claimed_by = $2', [seq, claimId]);
  }

  async tokenSnapshot(id: string): Promise<TokenRecord | null> {
    return this.#tokens.byId(this.#db.pooled, id);
  }

  async expiringTokens(from: string, to: string): Promise<TokenRecord[]> {
    return this.#tokens.where(EXPIRING, [from, to]);
  }

  async gracesEnding(from: string, to: string): Promise<TokenRecord[]> {
    return this.#tokens.where(GRACES_ENDING, [from, to]);
  }
}
