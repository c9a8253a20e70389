/** Request and response schemas of `/api/v1/webhooks` (closed objects, like `schemas.ts`). */
import { Type } from 'typebox';
import { Nullable, OneOf } from '../http/schemas.ts';
import { WEBHOOK_EVENTS } from '../store/webhook-store.ts';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'https URL that receives the deliveries (POST, JSON, signed).' });
/** Names are checked by the route, so an unknown one gets a message that lists the known ones. */
const Events = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20, description: `Any of: ${WEBHOOK_EVENTS.join(', ')}.` });
const Description = Type.String({ maxLength: 500 });

export const WebhookSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    events: Type.Array(OneOf(WEBHOOK_EVENTS)),
    active: Type.Boolean(),
    description: Type.String(),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { description: 'A webhook. Never carries its signing secret.' },
);

export const CreatedWebhookSchema = Type.Object(
  {
    webhook: WebhookSchema,
    secret: Type.String({ description: 'The signing secret (whsec_…), shown in this answer only; sent with Cache-Control: no-store.' }),
  },
  { description: 'The only answers that carry a signing secret: create and secret rotation.' },
);

export const CreateWebhookSchema = Type.Object(
  { url: Url, events: Events, description: Type.Optional(Description), active: Type.Optional(Type.Boolean()) },
  closed,
);

export const WebhookPatchSchema = Type.Object(
  { url: Type.Optional(Url), events: Type.Optional(Events), description: Type.Optional(Description), active: Type.Optional(Type.Boolean()) },
  closed,
);

export const WebhookParams = Type.Object({ id: Id }, closed);

export const AttemptSchema = Type.Object({
  attempt: Type.Integer({ description: '1 for the first try.' }),
  at: Type.String(),
  status_code: Nullable(Type.Integer({ description: 'The receiver’s HTTP status; null when no answer came.' })),
  duration_ms: Type.Integer(),
  error: Nullable(Type.String()),
  next_retry_at: Nullable(Type.String({ description: 'When the next attempt is due; null after a success or the last attempt.' })),
});

export const DeliverySchema = Type.Object({
  id: Type.String({ description: 'The webhook-id header (the same on every retry).' }),
  event_type: OneOf(WEBHOOK_EVENTS),
  status: OneOf(['pending', 'succeeded', 'failed']),
  created_at: Type.String(),
  attempt_count: Type.Integer(),
  max_attempts: Type.Integer(),
  next_attempt_at: Nullable(Type.String()),
  attempts: Type.Array(AttemptSchema),
});

export const DeliveryQuerySchema = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1–200' })),
  },
  closed,
);

export const PingAcceptedSchema = Type.Object({ delivery_id: Type.String({ description: 'The webhook-id of the queued ping.' }) });
