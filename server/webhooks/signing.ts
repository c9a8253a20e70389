/**
 * Webhook signing secrets and signatures, the Standard Webhooks way (standardwebhooks.com): a secret
 * is `whsec_` + base64 of random bytes; signatures come from the specification's reference library
 * (`v1,` + base64(HMAC-SHA256(secret, `${webhook-id}.${webhook-timestamp}.${body}`))), so receivers
 * verify with the same code that signs.
 *
 * The server must sign, so it cannot keep only a digest of the secret as it does for tokens. It keeps
 * the secret sealed (AES-256-GCM) with a key derived from the server's pepper, which lives outside
 * the database: a copy of the database alone reveals no signing secret. The webhook id is the
 * associated data, so a sealed secret moved to another row does not open.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const SECRET_PREFIX = 'whsec_';
/** 32 random bytes (the spec asks for 24 to 64). */
const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The `webhook-signature` header value for one message. */
export function signMessage(secret: string, id: string, timestamp: number, body: string): string {
  return new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
}

function sealingKey(pepper: KeyObject): Buffer {
  return createHmac('sha256', pepper).update('patkit webhook secret sealing key v1').digest();
}

export function sealSecret(pepper: KeyObject, webhookId: string, secret: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(pepper), iv);
  cipher.setAAD(Buffer.from(webhookId, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openSecret(pepper: KeyObject, webhookId: string, sealed: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(pepper), sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(webhookId, 'utf8'));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}
