/** Request and response schemas of `/api/v1/orgs` (closed objects, like `schemas.ts`). */
import { Type } from 'typebox';
import { Nullable, OneOf } from '../http/schemas.ts';
import { POLICY_CREATE_FIELDS } from '../http/policy-schemas.ts';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Role = OneOf(['admin', 'user'], { description: '`admin` (organization / group admin) or `user`.' });

export const OrganizationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created_at: Nullable(Type.String()),
  role: Nullable(OneOf(['admin', 'user'])),
  can_manage_tokens: Type.Boolean(),
  require_token_approval: Type.Optional(Type.Boolean({ description: 'New tokens governed by this organization wait for approval.' })),
  max_token_lifetime_days: Type.Optional(Nullable(Type.Integer({ description: 'Cap on the lifetime of its tokens (null = none).' }))),
});

export const GroupSchema = Type.Object({
  id: Type.String(),
  org_id: Type.String(),
  name: Type.String(),
  created_at: Nullable(Type.String()),
  role: Nullable(OneOf(['admin', 'user'])),
  can_manage_tokens: Type.Boolean(),
});

export const MembershipSchema = Type.Object({
  user: Type.Object({ id: Type.String(), username: Type.String(), display_name: Type.String(), kind: OneOf(['person', 'technical']) }),
  role: OneOf(['admin', 'user']),
  created_at: Nullable(Type.String()),
});

export const CreateOrgSchema = Type.Object({ name: Name }, closed);
export const CreateGroupSchema = Type.Object({ name: Name }, closed);
export const MemberRoleSchema = Type.Object({ role: Role }, closed);

export const CreateScopedTokenSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Token Name' }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    expires_at: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'Expiration Date (ISO 8601); null = never, when allowed' }))),
    admin_role: Type.Boolean({ description: 'Admin Role Assignment: organization admin for an organization token, group admin for a group token.' }),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    ...POLICY_CREATE_FIELDS,
  },
  closed,
);

/** Changing an organisation's token policies (docs/security.md rules 35, 36). */
export const OrgPolicyPatchSchema = Type.Object(
  {
    require_token_approval: Type.Optional(Type.Boolean({ description: 'New tokens governed by this organization wait for approval.' })),
    max_token_lifetime_days: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, maximum: 36500, description: 'Cap on the lifetime of its tokens, checked at creation, regeneration and use; null = none.' })),
    ),
  },
  closed,
);

export const OrgParams = Type.Object({ id: Id }, closed);
export const OrgMemberParams = Type.Object({ id: Id, user_id: Id }, closed);
export const GroupParams = Type.Object({ id: Id, gid: Id }, closed);
export const GroupMemberParams = Type.Object({ id: Id, gid: Id, user_id: Id }, closed);
