/** Request and response schemas of `/api/v1/token-templates` (closed objects, like `schemas.ts`). */
import { Type } from 'typebox';
import { Nullable, TokenResourceSchema } from '../http/schemas.ts';
import { ResourceRefsInput } from '../resources/resource-refs.ts';
import { MAX_ALLOWED_IPS } from './ip-ranges.ts';

const closed = { additionalProperties: false } as const;

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Description = Type.String({ maxLength: 1000 });
const Scopes = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 200 });
const ExpiresInDays = Nullable(Type.Integer({ minimum: 1, maximum: 36500, description: 'Tokens made from the template expire within this many days; null = the server’s lifetime policy alone.' }));
const AllowedIps = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: MAX_ALLOWED_IPS,
  description: `IPv4 / IPv6 addresses or CIDR ranges (at most ${MAX_ALLOWED_IPS}); empty = any address.`,
});

export const TemplateSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    scopes: Type.Array(Type.String()),
    expires_in_days: Nullable(Type.Integer()),
    resources: Type.Array(TokenResourceSchema),
    allowed_ips: Type.Array(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { description: 'A token template: a token made from it takes these values, and may only narrow them.' },
);

export const CreateTemplateSchema = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    scopes: Scopes,
    expires_in_days: Type.Optional(ExpiresInDays),
    resources: Type.Optional(ResourceRefsInput),
    allowed_ips: Type.Optional(AllowedIps),
  },
  closed,
);

export const TemplatePatchSchema = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    scopes: Type.Optional(Scopes),
    expires_in_days: Type.Optional(ExpiresInDays),
    resources: Type.Optional(ResourceRefsInput),
    allowed_ips: Type.Optional(AllowedIps),
  },
  closed,
);
