/**
 * Request and response schemas: Fastify validates requests and serialises responses with them, and
 * the OpenAPI document is generated from them. Objects are closed (`additionalProperties: false`),
 * so an unknown field is a 400, never silently ignored.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { PATKIT_TOKEN_PATTERN } from '../../lib/model.ts';
import { POLICY_CREATE_FIELDS, POLICY_META_FIELDS, POLICY_PATCH_FIELDS } from './policy-schemas.ts';

/** The published token pattern (docs/security.md rule 1). */
export const TOKEN_PATTERN_SOURCE = PATKIT_TOKEN_PATTERN.source;

const closed = { additionalProperties: false } as const;

/**
 * `T | null` as a JSON Schema type array rather than `anyOf`: fast-json-stringify serialises type
 * arrays directly but has to run a validator to pick an `anyOf` branch, on every response.
 */
export const Nullable = <T extends TSchema>(schema: T) => {
  const { type, ...rest } = schema as unknown as { type: string };
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'] });
};

/** A string from a fixed set, as `enum` (cheaper to serialise than a union of literals). */
export const OneOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
const IsoTime = Type.String({ description: 'ISO 8601 time in UTC', maxLength: 40 });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    retry_after: Type.Optional(Type.Integer()),
  },
  { description: 'RFC 9457 problem details with a stable machine `code`.' },
);

export const problemResponses = {
  '4xx': ProblemSchema,
  '5xx': ProblemSchema,
};

export const UserRefSchema = Type.Object({ id: Type.String(), username: Type.String() });

export const OwnerRefSchema = Type.Object({
  kind: OneOf(['user', 'organization', 'group']),
  id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  scope_id: Type.Optional(Nullable(Type.String())),
  scope_name: Type.Optional(Nullable(Type.String())),
});

export const TokenMetaSchema = Type.Object(
  {
    id: Type.String({ description: 'Public, non-secret token id (safe in logs).' }),
    owner: OwnerRefSchema,
    name: Type.String(),
    description: Type.String(),
    created_at: Nullable(Type.String()),
    created_by: Nullable(UserRefSchema),
    updated_at: Nullable(Type.String()),
    expires_at: Nullable(Type.String()),
    scopes: Type.Array(Type.String()),
    status: OneOf(['active', 'disabled', 'expired', 'pending', 'denied'], { description: 'denied > pending > expired > disabled > active.' }),
    last_used_at: Nullable(Type.String()),
    last_used_ip: Nullable(Type.String()),
    last4: Nullable(Type.String()),
    rotation: Type.Optional(Nullable(
      Type.Object(
        {
          previous_valid_until: Type.String({ description: 'Until this time the previous secret still works.' }),
          previous_last4: Type.String({ description: 'Last characters of the previous secret.' }),
        },
        { description: 'Set while a regenerate’s grace period keeps the previous secret valid.' },
      ),
    )),
    recent_uses: Type.Optional(
      Type.Array(
        Type.Object({ ip: Type.String(), at: Type.String({ description: 'Last use from this IP (recorded at most once a minute).' }) }),
        { maxItems: 5, description: 'The last distinct client IPs the token authenticated from, newest first (at most 5).' },
      ),
    ),
    ...POLICY_META_FIELDS,
  },
  { description: 'Token metadata. Never carries the secret.' },
);

export const CreatedTokenSchema = Type.Object(
  {
    token: TokenMetaSchema,
    secret: Type.String({ pattern: TOKEN_PATTERN_SOURCE, description: 'Shown once. Matches ' + TOKEN_PATTERN_SOURCE }),
  },
  { description: 'The only response that carries a secret; sent with Cache-Control: no-store.' },
);

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  active: Type.Boolean(),
  kind: OneOf(['person', 'technical']),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  created_at: Nullable(Type.String()),
});

export const RoleSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  permissions: Type.Array(Type.String()),
  built_in: Type.Boolean(),
});

export const ScopeCatalogSchema = Type.Object({
  scopes: Type.Array(
    Type.Object({ id: Type.String(), group: Type.String(), description: Type.String(), docs_url: Nullable(Type.String()) }),
  ),
  presets: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), description: Type.String(), scopes: Type.Array(Type.String()) }),
  ),
});

const TokenApprovalMode = OneOf(['off', 'non_admins', 'all'], {
  description: 'Which new tokens wait for approval: none, those of users who are not System Admins, or all.',
});

export const SettingsSchema = Type.Object({
  enable_personal_access_tokens: Type.Boolean(),
  require_password_confirmation: Type.Boolean(),
  default_lifetime_days: Type.Integer(),
  max_lifetime_days: Type.Integer(),
  allow_no_expiry: Type.Boolean(),
  max_grace_period_seconds: Type.Optional(Type.Integer({ description: 'Longest grace period a regenerate may keep the old secret valid for.' })),
  allow_private_webhook_targets: Type.Optional(Type.Boolean({ description: 'Webhooks may use http and reach loopback / private addresses (off: https and public addresses only).' })),
  token_approval: Type.Optional(TokenApprovalMode),
});

export const SettingsPatchSchema = Type.Object(
  {
    enable_personal_access_tokens: Type.Optional(Type.Boolean()),
    require_password_confirmation: Type.Optional(Type.Boolean()),
    default_lifetime_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
    max_lifetime_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 36500, description: '0 = no maximum' })),
    allow_no_expiry: Type.Optional(Type.Boolean()),
    token_approval: Type.Optional(TokenApprovalMode),
    max_grace_period_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 31_536_000, description: '0 = regenerate never keeps the old secret' })),
    allow_private_webhook_targets: Type.Optional(
      Type.Boolean({ description: 'Turning it on needs a signed-in session (not a personal access token) and `password`.' }),
    ),
    password: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: "The caller's password: always needed to turn allow_private_webhook_targets on." }),
    ),
  },
  closed,
);

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  action: Type.String(),
  actor: Nullable(UserRefSchema),
  token_id: Nullable(Type.String()),
  owner_id: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  detail: Type.Unsafe<Record<string, string | number | boolean | null>>({
    type: 'object',
    additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
  }),
});

export const pageOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), next_cursor: Nullable(Type.String()) });

// ---- request bodies --------------------------------------------------------------------------

const Password = Type.String({ minLength: 1, maxLength: 1024, description: "The caller's password, when the server's policy asks for it." });
const TokenName = Type.String({ minLength: 1, maxLength: 100 });
const Description = Type.String({ maxLength: 1000 });
const ScopeList = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 });
const ExpiresAt = Nullable(IsoTime);
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const SignInSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Password,
    mode: Type.Optional(OneOf(['bearer', 'cookie'])),
    remember: Type.Optional(Type.Boolean()),
  },
  closed,
);

export const SignedInSchema = Type.Object({
  credential: Type.Optional(Type.String({ description: 'Session credential (pks_…), bearer mode only.' })),
  expires_at: Nullable(Type.String()),
  user: UserSchema,
});

export const CreateUserSchema = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' }),
    display_name: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 8, maxLength: 1024 }),
    roles: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  },
  closed,
);

export const UserPatchSchema = Type.Object(
  {
    display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    active: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
  },
  closed,
);

export const UserRolesSchema = Type.Object({ roles: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }) }, closed);

export const CreateTokenSchema = Type.Object(
  {
    name: TokenName,
    description: Type.Optional(Description),
    expires_at: Type.Optional(ExpiresAt),
    scopes: ScopeList,
    owner_id: Type.Optional(Id),
    password: Type.Optional(Password),
    acknowledge_admin_token: Type.Optional(Type.Boolean()),
    ...POLICY_CREATE_FIELDS,
  },
  closed,
);

export const TokenPatchSchema = Type.Object(
  {
    name: Type.Optional(TokenName),
    description: Type.Optional(Description),
    expires_at: Type.Optional(ExpiresAt),
    scopes: Type.Optional(ScopeList),
    password: Type.Optional(Password),
    ...POLICY_PATCH_FIELDS,
  },
  closed,
);

export const ConfirmSchema = Type.Object({ password: Type.Optional(Password) }, closed);
export const RegenerateSchema = Type.Object(
  {
    password: Type.Optional(Password),
    grace_period_seconds: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Keep the old secret valid this long (0 = it dies now; at most the server’s max_grace_period_seconds).' }),
    ),
    expires_at: Type.Optional(
      Nullable(Type.String({ maxLength: 40, description: 'A new expiry (within the lifetime policy); the lifetime counts from this regenerate.' })),
    ),
  },
  closed,
);
export const RevokeCredentialsSchema = Type.Object(
  {
    credentials: Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), {
      minItems: 1,
      maxItems: 1000,
      description: 'Secrets found exposed (1 to 1,000); any that are tokens of this server are disabled.',
    }),
  },
  closed,
);

export const RevokeAcceptedSchema = Type.Object({ message: Type.String() }, { description: 'The same answer whether anything matched or not.' });

export const IdentifyTokenSchema = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 1024, description: 'The token value to identify (pat_…).' }) },
  closed,
);

export const IdentifiedTokenSchema = Type.Object(
  {
    token: TokenMetaSchema,
    owner: UserSchema,
    matched: OneOf(['current', 'previous']),
  },
  { description: 'Whose token a value is. Never carries the secret.' },
);

export const EmptySchema = Type.Object({}, closed);

export const CloneTokenSchema = Type.Object(
  {
    name: Type.Optional(TokenName),
    description: Type.Optional(Description),
    expires_at: Type.Optional(ExpiresAt),
    password: Type.Optional(Password),
    acknowledge_admin_token: Type.Optional(Type.Boolean()),
  },
  closed,
);

export const BulkDeleteSchema = Type.Object(
  { ids: Type.Array(Id, { minItems: 1, maxItems: 500 }), password: Type.Optional(Password) },
  closed,
);

export const IntrospectSchema = Type.Object(
  {
    token: Type.String({ maxLength: 200, description: 'The token to inspect.' }),
    token_type_hint: Type.Optional(Type.String({ maxLength: 100, description: 'RFC 7662 hint; accepted and ignored (patkit has one kind of token).' })),
  },
  closed,
);

export const IntrospectionSchema = Type.Object(
  {
    active: Type.Boolean(),
    sub: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String({ description: 'Effective scopes (token scopes ∩ owner permissions), space separated.' })),
    exp: Type.Optional(Type.Integer({ description: 'Expiry (seconds since the epoch); absent for a token that never expires.' })),
    iat: Type.Optional(Type.Integer()),
    token_id: Type.Optional(Type.String()),
    token_type: Type.Optional(Type.String()),
    allowed_ips: Type.Optional(Type.Array(Type.String(), { description: 'Addresses and ranges the token may be used from ([] = any): the host enforces them.' })),
    not_before: Type.Optional(Nullable(Type.String({ description: 'Before this time the token is not valid (ISO 8601).' }))),
    nbf: Type.Optional(Type.Integer({ description: 'not_before in seconds since the epoch; absent when the token has none.' })),
  },
  { description: 'RFC 7662 introspection response.' },
);

export const IdParams = Type.Object({ id: Id }, closed);

const Limit = Type.String({ pattern: '^[0-9]{1,4}$', description: '1–200' });
const Cursor = Type.String({ maxLength: 500 });

export const TokenListQuerySchema = Type.Object(
  {
    owner: Type.Optional(Type.String({ maxLength: 64, description: '`me` (default), `all` (admins) or a user id' })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(OneOf(['active', 'disabled', 'expired', 'pending', 'denied'])),
    unused_days: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,5}$', description: '1–3650: only active tokens whose last use (or creation, if never used) is more than this many days ago' }),
    ),
    sort: Type.Optional(OneOf(['created_at', 'name', 'expires_at', 'last_used_at'])),
    order: Type.Optional(OneOf(['asc', 'desc'])),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  closed,
);

export const UserListQuerySchema = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  closed,
);

export const AuditQuerySchema = Type.Object(
  {
    token_id: Type.Optional(Type.String({ maxLength: 64 })),
    user_id: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  closed,
);

export const NoQuery = Type.Object({}, closed);

/** OpenAPI security requirement: a Bearer credential or the console's session cookie. */
export const SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];

/** Most tokens one unused-token preview or disable call handles (call again for the rest). */
export const UNUSED_BATCH_MAX = 1000;

export const DisableUnusedSchema = Type.Object(
  {
    unused_days: Type.Integer({ minimum: 1, maximum: 3650, description: 'Tokens whose last use (or creation, if never used) is more than this many days ago.' }),
    dry_run: Type.Boolean({ description: 'true: change nothing, answer what would be disabled (the preview).' }),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '`me` (default), `all` or a user id (both need users:write)' })),
    ids: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: UNUSED_BATCH_MAX,
        description: 'Only these (the previewed set): a token among them used since the preview is spared.',
      }),
    ),
  },
  closed,
);

export const DisableUnusedResultSchema = Type.Object(
  {
    dry_run: Type.Boolean(),
    tokens: Type.Array(TokenMetaSchema, { description: 'What would be disabled (dry run), or what was disabled: never used first, then oldest use.' }),
  },
  { description: 'Tokens not used for N days: the preview or the outcome.' },
);
