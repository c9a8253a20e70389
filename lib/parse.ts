/**
 * Shape checks at the boundary: every answer a provider gets from a server passes through one of
 * these before anything else (the UI, the cache) sees it. Each parser builds a fresh object from the
 * fields it knows, so an unexpected field (a stray `secret`, a server's internal column) never
 * travels further, and a missing or mistyped field becomes a `bad_response` error that names it.
 *
 * Providers whose servers speak another dialect (Mattermost, npm) map their JSON onto the model
 * themselves and can reuse the small readers (`readString`, `readObject`, …) for that.
 */
import { ProviderError } from './errors.ts';
import type {
  ApprovalState,
  AuditEvent,
  CreatedToken,
  OwnerKind,
  OwnerRef,
  Page,
  Role,
  Scope,
  ScopeCatalog,
  ScopePreset,
  ServerSettings,
  RecentUse,
  ResourceRef,
  TokenApproval,
  TokenApprovalPolicy,
  TokenMeta,
  TokenStatus,
  User,
  UserRef,
} from './model.ts';

export type Json = Record<string, unknown>;
export type Parser<T> = (value: unknown, path: string) => T;

export function badShape(path: string, expected: string, value: unknown): ProviderError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : value === undefined ? 'nothing' : typeof value;
  return new ProviderError(
    'bad_response',
    `The server sent an answer patkit does not understand: "${path}" should be ${expected} but is ${got}.`,
    { serverCode: 'bad_shape' },
  );
}

export function readObject(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badShape(path, 'an object', value);
  return value as Json;
}

export function readString(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw badShape(`${path}.${key}`, 'a string', v);
  return v;
}

/** `null` and a missing field both read as `null`. */
export function readStringOrNull(o: Json, key: string, path: string): string | null {
  const v = o[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw badShape(`${path}.${key}`, 'a string or null', v);
  return v;
}

/** An ISO time or null; a string that is not a time is a bad answer, not a silently wrong date. */
export function readTimeOrNull(o: Json, key: string, path: string): string | null {
  const v = readStringOrNull(o, key, path);
  if (v !== null && Number.isNaN(Date.parse(v))) throw badShape(`${path}.${key}`, 'an ISO time or null', v);
  return v;
}

export function readBoolean(o: Json, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw badShape(`${path}.${key}`, 'true or false', v);
  return v;
}

export function readNumber(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badShape(`${path}.${key}`, 'a number', v);
  return v;
}

/** `null` and a missing field both read as `null`. */
export function readNumberOrNull(o: Json, key: string, path: string): number | null {
  return o[key] === undefined || o[key] === null ? null : readNumber(o, key, path);
}

/** `null` and a missing field both read as `null`. */
export function readBooleanOrNull(o: Json, key: string, path: string): boolean | null {
  return o[key] === undefined || o[key] === null ? null : readBoolean(o, key, path);
}

/** `null` and a missing field both read as `null`; anything else must be a list of strings as a whole. */
export function readStringListOrNull(o: Json, key: string, path: string): string[] | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw badShape(`${path}.${key}`, 'a list of strings', v);
  return [...(v as string[])];
}

export function readStringList(o: Json, key: string, path: string): string[] {
  const v = o[key];
  if (!Array.isArray(v)) throw badShape(`${path}.${key}`, 'a list of strings', v);
  return v.map((item, i) => {
    if (typeof item !== 'string') throw badShape(`${path}.${key}[${i}]`, 'a string', item);
    return item;
  });
}

export function readList<T>(o: Json, key: string, path: string, parse: Parser<T>): T[] {
  const v = o[key];
  if (!Array.isArray(v)) throw badShape(`${path}.${key}`, 'a list', v);
  return v.map((item, i) => parse(item, `${path}.${key}[${i}]`));
}

/** A bare JSON list (no wrapping object), each item through `item`. */
export function listParser<T>(item: Parser<T>): Parser<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw badShape(path, 'a list', value);
    return value.map((v, i) => item(v, `${path}[${i}]`));
  };
}

/** For answers that must be JSON but whose content nobody reads (acknowledgements). */
export const parseAnyJson: Parser<unknown> = (value) => value;

export function readOneOf<T extends string>(o: Json, key: string, path: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw badShape(`${path}.${key}`, `one of ${allowed.join(', ')}`, v);
  }
  return v as T;
}

const OWNER_KINDS: readonly OwnerKind[] = ['user', 'organization', 'group'];
const TOKEN_STATUSES: readonly TokenStatus[] = ['active', 'disabled', 'expired', 'pending', 'denied'];
export const APPROVAL_STATES: readonly ApprovalState[] = ['pending', 'approved', 'denied'];
const APPROVAL_POLICIES: readonly TokenApprovalPolicy[] = ['off', 'non_admins', 'all'];

export const parseUserRef: Parser<UserRef> = (value, path) => {
  const o = readObject(value, path);
  return { id: readString(o, 'id', path), username: readString(o, 'username', path) };
};

export const parseOwnerRef: Parser<OwnerRef> = (value, path) => {
  const o = readObject(value, path);
  const owner: OwnerRef = {
    kind: readOneOf(o, 'kind', path, OWNER_KINDS),
    id: readString(o, 'id', path),
    username: readString(o, 'username', path),
    display_name: readStringOrNull(o, 'display_name', path) ?? '',
  };
  if ('scope_id' in o) owner.scope_id = readStringOrNull(o, 'scope_id', path);
  if ('scope_name' in o) owner.scope_name = readStringOrNull(o, 'scope_name', path);
  return owner;
};

type ExtraValue = string | number | boolean | string[] | null;

function readExtra(value: unknown, path: string): Record<string, ExtraValue> {
  const o = readObject(value, path);
  const out: Record<string, ExtraValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      out[k] = v;
    } else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) {
      out[k] = [...(v as string[])];
    } else {
      throw badShape(`${path}.${k}`, 'a string, number, boolean, list of strings or null', v);
    }
  }
  return out;
}

export const parseRecentUse: Parser<RecentUse> = (value, path) => {
  const o = readObject(value, path);
  const at = readTimeOrNull(o, 'at', path);
  if (at === null) throw badShape(`${path}.at`, 'a time', null);
  return { ip: readString(o, 'ip', path), at };
};

export const parseResourceRef: Parser<ResourceRef> = (value, path) => {
  const o = readObject(value, path);
  const ref: ResourceRef = { type: readString(o, 'type', path), id: readString(o, 'id', path) };
  const name = readStringOrNull(o, 'name', path);
  if (name !== null) ref.name = name;
  return ref;
};

export const parseTokenApproval: Parser<TokenApproval> = (value, path) => {
  const o = readObject(value, path);
  const requested = readTimeOrNull(o, 'requested_at', path);
  if (requested === null) throw badShape(`${path}.requested_at`, 'a time', null);
  return {
    state: readOneOf(o, 'state', path, APPROVAL_STATES),
    justification: readStringOrNull(o, 'justification', path) ?? '',
    requested_at: requested,
    decided_at: readTimeOrNull(o, 'decided_at', path),
    decided_by: o['decided_by'] == null ? null : parseUserRef(o['decided_by'], `${path}.decided_by`),
    reason: readStringOrNull(o, 'reason', path),
  };
};

/** The fine-grained fields, each only where the server sends it (older servers and other providers do not). */
function readBoundaries(o: Json, path: string, token: TokenMeta): void {
  if (o['resources'] != null) token.resources = readList(o, 'resources', path, parseResourceRef);
  if (o['allowed_ips'] != null) token.allowed_ips = readStringList(o, 'allowed_ips', path);
  if ('not_before' in o) token.not_before = readTimeOrNull(o, 'not_before', path);
  if ('template_id' in o) token.template_id = readStringOrNull(o, 'template_id', path);
  if (o['approval'] != null) token.approval = parseTokenApproval(o['approval'], `${path}.approval`);
  else if ('approval' in o) token.approval = null;
  if (o['lifetime_exceeds_policy'] != null) token.lifetime_exceeds_policy = readBoolean(o, 'lifetime_exceeds_policy', path);
}

export const parseTokenMeta: Parser<TokenMeta> = (value, path) => {
  const o = readObject(value, path);
  const token: TokenMeta = {
    id: readString(o, 'id', path),
    owner: parseOwnerRef(o['owner'], `${path}.owner`),
    name: readString(o, 'name', path),
    description: readStringOrNull(o, 'description', path) ?? '',
    created_at: readTimeOrNull(o, 'created_at', path),
    created_by: o['created_by'] == null ? null : parseUserRef(o['created_by'], `${path}.created_by`),
    updated_at: readTimeOrNull(o, 'updated_at', path),
    expires_at: readTimeOrNull(o, 'expires_at', path),
    scopes: readStringList(o, 'scopes', path),
    status: readOneOf(o, 'status', path, TOKEN_STATUSES),
    last_used_at: readTimeOrNull(o, 'last_used_at', path),
    last_used_ip: readStringOrNull(o, 'last_used_ip', path),
    last4: readStringOrNull(o, 'last4', path),
  };
  if (token.id === '') throw badShape(`${path}.id`, 'a non-empty string', '');
  if (o['extra'] != null) token.extra = readExtra(o['extra'], `${path}.extra`);
  if (o['rotation'] != null) {
    const r = readObject(o['rotation'], `${path}.rotation`);
    const until = readTimeOrNull(r, 'previous_valid_until', `${path}.rotation`);
    if (until === null) throw badShape(`${path}.rotation.previous_valid_until`, 'a time', null);
    token.rotation = { previous_valid_until: until, previous_last4: readString(r, 'previous_last4', `${path}.rotation`) };
  } else if ('rotation' in o) {
    token.rotation = null;
  }
  if (o['recent_uses'] != null) token.recent_uses = readList(o, 'recent_uses', path, parseRecentUse);
  readBoundaries(o, path, token);
  return token;
};

export const parseCreatedToken: Parser<CreatedToken> = (value, path) => {
  const o = readObject(value, path);
  const secret = readString(o, 'secret', path);
  if (secret === '') throw badShape(`${path}.secret`, 'a non-empty string', '');
  return { token: parseTokenMeta(o['token'], `${path}.token`), secret };
};

export const parseUser: Parser<User> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    username: readString(o, 'username', path),
    display_name: readStringOrNull(o, 'display_name', path) ?? '',
    active: readBoolean(o, 'active', path),
    kind: readOneOf(o, 'kind', path, ['person', 'technical'] as const),
    roles: readStringList(o, 'roles', path),
    permissions: readStringList(o, 'permissions', path),
    created_at: readTimeOrNull(o, 'created_at', path),
  };
};

export const parseRole: Parser<Role> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    name: readString(o, 'name', path),
    description: readStringOrNull(o, 'description', path) ?? '',
    permissions: readStringList(o, 'permissions', path),
    built_in: readBoolean(o, 'built_in', path),
  };
};

/** Only http(s) documentation links survive (docs/security.md rule 24); anything else becomes null. */
function safeHttpUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export const parseScope: Parser<Scope> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    group: readStringOrNull(o, 'group', path) ?? '',
    description: readStringOrNull(o, 'description', path) ?? '',
    docs_url: safeHttpUrl(readStringOrNull(o, 'docs_url', path)),
  };
};

export const parseScopePreset: Parser<ScopePreset> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    name: readString(o, 'name', path),
    description: readStringOrNull(o, 'description', path) ?? '',
    scopes: readStringList(o, 'scopes', path),
  };
};

export const parseScopeCatalog: Parser<ScopeCatalog> = (value, path) => {
  const o = readObject(value, path);
  return {
    scopes: readList(o, 'scopes', path, parseScope),
    presets: o['presets'] == null ? [] : readList(o, 'presets', path, parseScopePreset),
  };
};

export const parseServerSettings: Parser<ServerSettings> = (value, path) => {
  const o = readObject(value, path);
  return {
    enable_personal_access_tokens: readBoolean(o, 'enable_personal_access_tokens', path),
    require_password_confirmation: readBoolean(o, 'require_password_confirmation', path),
    default_lifetime_days: readNumber(o, 'default_lifetime_days', path),
    max_lifetime_days: readNumber(o, 'max_lifetime_days', path),
    allow_no_expiry: readBoolean(o, 'allow_no_expiry', path),
    ...(o['max_grace_period_seconds'] != null ? { max_grace_period_seconds: readNumber(o, 'max_grace_period_seconds', path) } : {}),
    ...(o['allow_private_webhook_targets'] != null
      ? { allow_private_webhook_targets: readBoolean(o, 'allow_private_webhook_targets', path) }
      : {}),
    ...(o['token_approval'] != null ? { token_approval: readOneOf(o, 'token_approval', path, APPROVAL_POLICIES) } : {}),
  };
};

export const parseAuditEvent: Parser<AuditEvent> = (value, path) => {
  const o = readObject(value, path);
  const detailRaw = o['detail'] == null ? {} : readObject(o['detail'], `${path}.detail`);
  const detail: AuditEvent['detail'] = {};
  for (const [k, v] of Object.entries(detailRaw)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') detail[k] = v;
    else detail[k] = JSON.stringify(v);
  }
  return {
    id: readString(o, 'id', path),
    at: readString(o, 'at', path),
    action: readString(o, 'action', path),
    actor: o['actor'] == null ? null : parseUserRef(o['actor'], `${path}.actor`),
    token_id: readStringOrNull(o, 'token_id', path),
    owner_id: readStringOrNull(o, 'owner_id', path),
    ip: readStringOrNull(o, 'ip', path),
    detail,
  };
};

/** `{items, next_cursor}` pages. */
export function pageParser<T>(item: Parser<T>): Parser<Page<T>> {
  return (value, path) => {
    const o = readObject(value, path);
    return { items: readList(o, 'items', path, item), next_cursor: readStringOrNull(o, 'next_cursor', path) };
  };
}
