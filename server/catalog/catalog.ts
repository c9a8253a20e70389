/**
 * The scope catalog (API methods a token may be granted) and the built-in role catalog.
 * Permissions of roles are scope ids, so "scopes ∩ owner's permissions" is a set intersection.
 */
import { readFileSync } from 'node:fs';
import type { Role, Scope, ScopeCatalog, ScopePreset } from '../../lib/model.ts';

/**
 * Where a built-in scope is explained: its entry on the documentation site's scopes page, which
 * the docs build generates from this catalog (docs-site/scopes-page.ts). Stored as a path; the
 * scopes route makes it absolute on the server's own origin, so the link works offline.
 */
export const SCOPES_PAGE = '/docs/reference/scopes/';

/** The scopes page's anchor for a scope id (`tokens:read` → `tokens-read`). */
export function scopeAnchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const docs = (id: string): string => `${SCOPES_PAGE}#${scopeAnchor(id)}`;

export const BUILT_IN_SCOPES: Scope[] = [
  { id: 'tokens:read', group: 'Tokens', description: 'List and read personal access tokens (metadata only).', docs_url: docs('tokens:read') },
  { id: 'tokens:write', group: 'Tokens', description: 'Create, change, regenerate, clone, disable, enable and delete tokens.', docs_url: docs('tokens:write') },
  { id: 'tokens:approve', group: 'Tokens', description: 'Approve or deny token requests (every request; organization admins decide their organization’s without it).', docs_url: docs('tokens:approve') },
  { id: 'tokens:introspect', group: 'Tokens', description: 'Check whether a token is active (RFC 7662 introspection) for a host app backend.', docs_url: docs('tokens:introspect') },
  { id: 'users:read', group: 'Users', description: 'List users and read their profiles; see other users’ tokens.', docs_url: docs('users:read') },
  { id: 'users:write', group: 'Users', description: 'Create, deactivate and reactivate users; manage other users’ tokens.', docs_url: docs('users:write') },
  { id: 'roles:write', group: 'Users', description: 'Assign roles to users.', docs_url: docs('roles:write') },
  { id: 'settings:read', group: 'Settings', description: 'Read the server settings.', docs_url: docs('settings:read') },
  { id: 'settings:write', group: 'Settings', description: 'Change the server settings.', docs_url: docs('settings:write') },
  { id: 'audit:read', group: 'Audit', description: 'Read the audit log.', docs_url: docs('audit:read') },
  // Modelled on Mattermost's post:all / post:channels: methods a host app enforces itself through
  // introspection; the reference server has no posting routes.
  { id: 'post:all', group: 'Posting', description: 'Post to any channel, including direct messages (host app method).', docs_url: docs('post:all') },
  { id: 'post:channels', group: 'Posting', description: 'Post to any public channel (host app method).', docs_url: docs('post:channels') },
];

const OWN_TOKENS = ['tokens:read', 'tokens:write'];

export const ROLE_SYSTEM_ADMIN = 'system_admin';
export const ROLE_SYSTEM_USER = 'system_user';
export const ROLE_TOKEN_CREATOR = 'user_access_token';

/** A scope catalog plus the roles built on it; host scopes from a file extend both. */
export class Catalog {
  readonly scopes: Scope[];
  readonly presets: ScopePreset[];
  readonly roles: Role[];
  readonly #scopeIds: Set<string>;
  readonly #roleById: Map<string, Role>;

  constructor(hostScopes: Scope[] = []) {
    const seen = new Set(BUILT_IN_SCOPES.map((s) => s.id));
    for (const scope of hostScopes) {
      if (seen.has(scope.id)) throw new Error(`scope ${scope.id} is defined twice`);
      seen.add(scope.id);
    }
    this.scopes = [...BUILT_IN_SCOPES, ...hostScopes];
    this.#scopeIds = seen;
    const all = this.scopes.map((s) => s.id);
    this.presets = [
      { id: 'read_only', name: 'Read only', description: 'Read tokens, users and settings; change nothing.', scopes: ['tokens:read', 'users:read', 'settings:read'] },
      { id: 'manage_own_tokens', name: 'Manage own tokens', description: 'List, create and change your own tokens.', scopes: [...OWN_TOKENS] },
      { id: 'full_access', name: 'Full access', description: 'Every API method, limited by the owner’s roles.', scopes: all },
    ];
    this.roles = [
      { id: ROLE_SYSTEM_ADMIN, name: 'System Admin', description: 'Full access to the server, including every user’s tokens.', permissions: all, built_in: true },
      { id: ROLE_SYSTEM_USER, name: 'Member', description: 'Signs in, reads the settings and manages own tokens.', permissions: [...OWN_TOKENS, 'settings:read'], built_in: true },
      { id: ROLE_TOKEN_CREATOR, name: 'Allow this account to generate personal access tokens', description: 'May create personal access tokens for itself.', permissions: [...OWN_TOKENS], built_in: true },
      { id: 'post_all', name: 'post:all', description: 'May post to any channel, including direct messages.', permissions: ['post:all'], built_in: true },
      { id: 'post_channels', name: 'post:channels', description: 'May post to any public channel.', permissions: ['post:channels'], built_in: true },
    ];
    this.#roleById = new Map(this.roles.map((r) => [r.id, r]));
  }

  get catalog(): ScopeCatalog {
    return { scopes: this.scopes, presets: this.presets };
  }

  isScope(id: string): boolean {
    return this.#scopeIds.has(id);
  }

  isRole(id: string): boolean {
    return this.#roleById.has(id);
  }

  readonly #permissionCache = new Map<string, string[]>();

  /** Union of the permissions of these roles, in catalog order (memoised: the catalog is fixed). */
  permissionsOf(roleIds: readonly string[]): string[] {
    const key = roleIds.join(' ');
    const cached = this.#permissionCache.get(key);
    if (cached) return cached;
    const result = this.#computePermissions(roleIds);
    if (this.#permissionCache.size < 1000) this.#permissionCache.set(key, result);
    return result;
  }

  #computePermissions(roleIds: readonly string[]): string[] {
    const granted = new Set<string>();
    for (const id of roleIds) for (const p of this.#roleById.get(id)?.permissions ?? []) granted.add(p);
    return this.scopes.map((s) => s.id).filter((id) => granted.has(id));
  }
}

/** Reads `PATKIT_SCOPES_FILE`: `[{id, group, description, docs_url?}]` or `{scopes: [...]}`. */
export function loadHostScopes(file: string): Scope[] {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(raw) ? raw : (raw as { scopes?: unknown })?.scopes;
  if (!Array.isArray(list)) throw new Error(`${file}: expected an array of scopes or {"scopes": [...]}`);
  return list.map((item: unknown, index) => {
    const s = item as Record<string, unknown>;
    const where = `${file}: scope #${index}`;
    if (typeof s?.id !== 'string' || !/^[a-z][a-z0-9_.-]*(:[a-z0-9_.*-]+)+$/.test(s.id)) {
      throw new Error(`${where}: id must look like "group:method"`);
    }
    if (typeof s.description !== 'string') throw new Error(`${where}: description must be a string`);
    const docs = s.docs_url ?? null;
    if (docs !== null && (typeof docs !== 'string' || !/^https?:\/\//.test(docs))) {
      throw new Error(`${where}: docs_url must be an http(s) URL or null`);
    }
    const group = typeof s.group === 'string' && s.group !== '' ? s.group : s.id.split(':')[0]!;
    return { id: s.id, group, description: s.description, docs_url: docs as string | null };
  });
}
