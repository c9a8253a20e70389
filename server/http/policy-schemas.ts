/**
 * Schemas of the per-token policies: approval, address allow-lists, not-before and the lifetime
 * policy flag, as fields spread into the token schemas of `schemas.ts`, and the token-request
 * routes' own. Imports nothing from `schemas.ts` (which imports this).
 */
import { Type, type Static, type TSchema } from 'typebox';

const closed = { additionalProperties: false } as const;

/** `T | null` as a type array (see `Nullable` in schemas.ts, which this module cannot import). */
const orNull = <T extends TSchema>(schema: T) => {
  const { type, ...rest } = schema as unknown as { type: string };
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'] });
};

export const MAX_ALLOWED_IPS = 50;
export const MAX_JUSTIFICATION = 500;

export const ApprovalSchema = Type.Object(
  {
    state: Type.Unsafe<'pending' | 'approved' | 'denied'>({ type: 'string', enum: ['pending', 'approved', 'denied'] }),
    justification: Type.String(),
    requested_at: Type.String(),
    decided_at: orNull(Type.String()),
    decided_by: orNull(Type.Object({ id: Type.String(), username: Type.String() })),
    reason: orNull(Type.String()),
  },
  { description: 'Set when the token needed approval: it authenticates nothing until approved, and never once denied.' },
);

/** Added to every token answer. */
export const POLICY_META_FIELDS = {
  allowed_ips: Type.Optional(Type.Array(Type.String(), { description: 'Addresses and CIDR ranges the token may be used from ([] = any address).' })),
  not_before: Type.Optional(orNull(Type.String({ description: 'Before this time the token authenticates nothing.' }))),
  approval: Type.Optional(orNull(ApprovalSchema)),
  lifetime_exceeds_policy: Type.Optional(
    Type.Boolean({
      description: 'True when the lifetime (expires_at − the issue of the current secret, or no expiry) is over the cap in force now: the token is refused until regenerated with a compliant expiry.',
    }),
  ),
};

const AllowedIps = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: MAX_ALLOWED_IPS,
  description: `IPv4/IPv6 addresses or CIDR ranges (at most ${MAX_ALLOWED_IPS}); [] = any address. The address that counts is the one the trusted-proxy setting gives.`,
});
const NotBefore = orNull(Type.String({ maxLength: 40, description: 'ISO 8601 time before which the token authenticates nothing; before expires_at.' }));

/** Accepted by token creation (personal, organisation and group tokens). */
export const POLICY_CREATE_FIELDS = {
  allowed_ips: Type.Optional(AllowedIps),
  not_before: Type.Optional(NotBefore),
  justification: Type.Optional(
    Type.String({ maxLength: MAX_JUSTIFICATION, description: `Why the token is needed, for the approvers (at most ${MAX_JUSTIFICATION} characters).` }),
  ),
};

/** Accepted by `PATCH /tokens/{id}`. */
export const POLICY_PATCH_FIELDS = {
  allowed_ips: Type.Optional(AllowedIps),
  not_before: Type.Optional(NotBefore),
};

export const TokenRequestQuerySchema = Type.Object(
  {
    state: Type.Optional(Type.Unsafe<'pending' | 'approved' | 'denied'>({ type: 'string', enum: ['pending', 'approved', 'denied'], default: 'pending' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  closed,
);

export const DenySchema = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: MAX_JUSTIFICATION, pattern: '\\S', description: 'Why the request is denied; the requester sees it.' }) },
  closed,
);
