/** Request and response schemas of the resource registry and of resources on tokens (closed objects, like `schemas.ts`). */
import { Type } from 'typebox';
import { Nullable } from '../http/schemas.ts';
import { ResourceId, ResourceTypeId } from './resource-refs.ts';

export { MAX_TOKEN_RESOURCES, ResourceRefsInput } from './resource-refs.ts';

const closed = { additionalProperties: false } as const;

export const ResourceTypeSchema = Type.Object({ id: Type.String(), name: Type.String() });

export const ResourceSchema = Type.Object(
  {
    type: Type.String(),
    id: Type.String(),
    name: Type.String(),
    org_id: Nullable(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { description: 'A resource tokens may be bounded to, as the host app registered it.' },
);

export const ResourceParams = Type.Object({ type: ResourceTypeId, id: ResourceId }, closed);

export const PutResourceSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    org_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'The organization the resource belongs to (org_…), or null.' }))),
  },
  closed,
);

export const ResourceListQuerySchema = Type.Object(
  {
    type: Type.Optional(ResourceTypeId),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name or id' })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1–200' })),
  },
  closed,
);
