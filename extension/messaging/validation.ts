/**
 * Run-time checks of every request payload, one per message type of {@link ProtocolMap}: a message
 * is untrusted input whatever its sender claims (docs/security.md rule 20).
 */
import { MAX_SECRET_LENGTH } from '../../lib/leaked.ts';
import { checkBaseUrl, checkMatchPattern } from '../url-patterns.ts';
import { bad, bool, id, int, isoTime, list, nullable, obj, oneOf, optional, record, str } from '../field-checks.ts';
import type { MessageType, ProtocolMap } from './protocol.ts';

/** A value in a token draft's provider-specific `extra` fields. */
const extraValue = (v: unknown, path: string): unknown => {
  if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  if (typeof v === 'string') return str(2000)(v, path);
  return list(str(200), 100)(v, path);
};

const empty = obj({});
const serverRef = { serverId: id };
const tokenRef = { serverId: id, tokenId: id };
/** A one-time code (TOTP): digits only, 4 to 10 of them. */
const otp = optional(str(10, { min: 4, re: /^[0-9]+$/ }));
const confirmation = optional(obj({ password: optional(str(1024, { min: 1 })), otp, acknowledge_admin_token: optional(bool) }));
const scopes = list(str(200, { min: 1 }), 500);
/** A resource a token is bounded to (the server checks it exists; at most 50, as the server allows). */
const resources = list(obj({ type: str(100, { min: 1 }), id: str(200, { min: 1 }), name: optional(str(500)) }), 50);
/** IPv4 / IPv6 addresses or CIDR ranges (the server parses them; here only their size and alphabet). */
const allowedIps = list(str(64, { min: 2, re: /^[0-9A-Fa-f.:/]+$/ }), 50);
const tokenQuery = optional(
  obj({
    owner: optional(str(128, { min: 1 })),
    text: optional(str(200)),
    status: optional(oneOf('active', 'disabled', 'expired', 'pending', 'denied')),
    sort: optional(oneOf('created_at', 'name', 'expires_at', 'last_used_at')),
    order: optional(oneOf('asc', 'desc')),
    cursor: optional(nullable(str(1000))),
    limit: optional(int(1, 1000)),
  }),
);

const VALIDATORS: { [T in MessageType]: (v: unknown, path: string) => unknown } = {
  'providers.list': empty,
  'servers.list': empty,
  'servers.save': obj({ id: optional(id), name: str(100, { min: 1 }), kind: str(40, { min: 1, re: /^[a-z0-9-]+$/ }), baseUrl: checkBaseUrl }),
  'servers.remove': obj(serverRef),
  'auth.signIn': (v, path) => {
    const kind = (v as { kind?: unknown } | null)?.kind;
    if (kind === 'token') return obj({ serverId: id, kind: oneOf('token'), token: str(4096, { min: 1 }), keepSignedIn: bool })(v, path);
    return obj({ serverId: id, kind: oneOf('password'), username: str(200, { min: 1 }), password: str(1024, { min: 1 }), keepSignedIn: bool, otp })(v, path);
  },
  'auth.signOut': obj(serverRef),
  'auth.status': obj(serverRef),
  'server.capabilities': obj(serverRef),
  'server.scopes': obj(serverRef),
  'server.settings': obj(serverRef),
  'tokens.list': obj({ ...serverRef, query: tokenQuery }),
  'tokens.create': obj({
    ...serverRef,
    draft: obj({
      name: str(200, { min: 1 }),
      description: optional(str(2000)),
      expires_at: optional(nullable(isoTime)),
      scopes: optional(scopes),
      owner_id: optional(id),
      extra: optional(record(extraValue, 20)),
      resources: optional(resources),
      allowed_ips: optional(allowedIps),
      not_before: optional(nullable(isoTime)),
      template_id: optional(id),
      justification: optional(str(500)),
    }),
    confirm: confirmation,
  }),
  'tokens.clone': obj({
    ...tokenRef,
    overrides: optional(
      obj({ name: optional(str(200, { min: 1 })), description: optional(str(2000)), expires_at: optional(nullable(isoTime)), scopes: optional(scopes) }),
    ),
    confirm: confirmation,
  }),
  'tokens.update': obj({
    ...tokenRef,
    patch: obj({
      name: optional(str(200, { min: 1 })),
      description: optional(str(2000)),
      expires_at: optional(nullable(isoTime)),
      scopes: optional(scopes),
      allowed_ips: optional(allowedIps),
      not_before: optional(nullable(isoTime)),
    }),
    confirm: confirmation,
  }),
  'tokens.regenerate': obj({ ...tokenRef, confirm: confirmation, gracePeriodSeconds: optional(int(0, 31_536_000)), expiresAt: optional(nullable(isoTime)) }),
  'tokens.endGrace': obj(tokenRef),
  // Whitespace around a paste is trimmed later; the kind is recognised by the handler.
  'leaked.revoke': obj({ secret: str(MAX_SECRET_LENGTH + 64, { min: 1 }), serverId: optional(id) }),
  'tokens.disable': obj(tokenRef),
  'tokens.enable': obj({ ...tokenRef, confirm: confirmation }),
  'tokens.delete': obj({ ...tokenRef, confirm: confirmation }),
  'orgs.tokens': obj(serverRef),
  'users.list': obj({ ...serverRef, query: optional(obj({ text: optional(str(200)), cursor: optional(nullable(str(1000))), limit: optional(int(1, 1000)) })) }),
  'roles.list': obj(serverRef),
  'users.setRoles': obj({ ...serverRef, userId: id, roles: list(str(100, { min: 1 }), 100) }),
  'users.setActive': obj({ ...serverRef, userId: id, active: bool }),
  'requests.list': obj({ ...serverRef, state: optional(oneOf('pending', 'approved', 'denied')), cursor: optional(str(1000)) }),
  'requests.approve': obj(tokenRef),
  'requests.deny': obj({ ...tokenRef, reason: str(500, { min: 1, re: /\S/ }) }),
  'server.templates': obj(serverRef),
  'server.resourceTypes': obj(serverRef),
  'server.resources': obj({
    ...serverRef,
    query: obj({ type: optional(str(100, { min: 1 })), q: optional(str(200)), cursor: optional(nullable(str(1000))), limit: optional(int(1, 100)) }),
  }),
  'pending.get': empty,
  'pending.confirm': obj({ tokenId: id }),
  'alerts.get': empty,
  'alerts.save': obj({ expiryWarningDays: optional(int(1, 365)), notify: optional(bool), refreshMinutes: optional(int(1, 1440)) }),
  'alerts.refresh': empty,
  'panels.list': empty,
  'panels.save': obj({ id: optional(id), pattern: checkMatchPattern, serverId: id, inventory: bool }),
  'panels.remove': obj({ id }),
  'panels.ticket': empty,
  'panels.context': obj({ ticket: optional(str(64, { min: 16, re: /^[A-Za-z0-9_-]+$/ })), depth: int(1, 64), ancestors: optional(list(str(2000, { min: 1 }), 64)) }),
};

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(VALIDATORS, value);
}

/** Checks an envelope and returns its type and a clean copy of its payload, or throws `validation_failed`. */
export function validateRequest(message: unknown): { type: MessageType; payload: unknown } {
  if (typeof message !== 'object' || message === null || (message as { patkit?: unknown }).patkit !== 1) {
    throw bad('message', 'is not a patkit message');
  }
  const { type, payload } = message as { type?: unknown; payload?: unknown };
  if (!isMessageType(type)) throw bad('type', `is not a known message type (${String(type).slice(0, 40)})`);
  return { type, payload: VALIDATORS[type](payload ?? {}, '') };
}

