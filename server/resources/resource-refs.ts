/** The resources a request names (`[{ type, id }]`): their schema, shared by tokens, templates and the registry. */
import { Type } from 'typebox';

const closed = { additionalProperties: false } as const;

/** Most resources one token (or template) may be bounded to. */
export const MAX_TOKEN_RESOURCES = 50;

export const ResourceTypeId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_.-]*$' });
export const ResourceId = Type.String({ minLength: 1, maxLength: 200 });

/** The resources a new token (or template) is bounded to: none = everything its owner can reach. */
export const ResourceRefsInput = Type.Array(Type.Object({ type: ResourceTypeId, id: ResourceId }, closed), {
  maxItems: MAX_TOKEN_RESOURCES,
  description: `At most ${MAX_TOKEN_RESOURCES}; absent or empty = everything the owner can reach. Each must be a registered resource (or an organization, type \`organization\`).`,
});

