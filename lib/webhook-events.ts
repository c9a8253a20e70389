/**
 * Every event a webhook can subscribe to: one list for the server (which validates subscriptions and
 * queues deliveries by it) and the console (which offers it in the create form).
 */
export const WEBHOOK_EVENTS = [
  'token.expiring',
  'token.disabled',
  'token.reported_leaked',
  'token.rotated',
  'token.grace_ending',
  'token.request_created',
  'token.request_approved',
  'token.request_denied',
  'webhook.ping',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
