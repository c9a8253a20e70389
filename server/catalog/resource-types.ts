/**
 * Resource types: what a token may be bounded to. `organization` (patkit's own organisations) is
 * built in and enforced by patkit itself; a host app declares its own beside its scopes in
 * `PATKIT_SCOPES_FILE` (`{"scopes": [...], "resource_types": [{"id": "project", "name": "Project"}]}`)
 * and enforces them from the token answer or introspection.
 */
import { readFileSync } from 'node:fs';

export interface ResourceType {
  id: string;
  name: string;
}

export const ORGANIZATION_TYPE = 'organization';
export const BUILT_IN_RESOURCE_TYPES: ResourceType[] = [{ id: ORGANIZATION_TYPE, name: 'Organization' }];

const TYPE_ID = /^[a-z][a-z0-9_.-]{0,39}$/;

/** The `resource_types` of a scopes file (none when it has none, or is a plain array of scopes). */
export function loadResourceTypes(file: string): ResourceType[] {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(raw) ? [] : ((raw as { resource_types?: unknown })?.resource_types ?? []);
  if (!Array.isArray(list)) throw new Error(`${file}: resource_types must be an array of {"id", "name"}`);
  const seen = new Set(BUILT_IN_RESOURCE_TYPES.map((t) => t.id));
  return list.map((item: unknown, index) => {
    const t = item as Record<string, unknown>;
    const where = `${file}: resource type #${index}`;
    if (typeof t?.id !== 'string' || !TYPE_ID.test(t.id)) throw new Error(`${where}: id must be lower-case letters, digits, "_", "." or "-" (at most 40)`);
    if (seen.has(t.id)) throw new Error(`${where}: resource type ${t.id} is defined twice (or is built in)`);
    seen.add(t.id);
    if (typeof t.name !== 'string' || t.name.trim() === '') throw new Error(`${where}: name must be a non-empty string`);
    return { id: t.id, name: t.name };
  });
}
