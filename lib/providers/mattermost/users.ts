/**
 * Mattermost's users as the provider needs them: each user's permissions (the union of their roles'
 * permissions), the owners of listed tokens, and the three token-related system roles patkit's
 * role manager edits (every other role a user holds is kept as is).
 */
import { ProviderError } from '../../errors.ts';
import { segment, type HttpRequest } from '../../http.ts';
import type { OwnerRef, Page, Role, User, UserQuery } from '../../model.ts';
import type { CallOptions } from '../../provider.ts';
import { pageOf } from './listing.ts';
import {
  mattermostDisplayName,
  parseMattermostRoleList,
  parseMattermostUser,
  parseMattermostUserList,
  parseStatusOk,
  splitRoles,
  toUser,
  type MattermostRole,
  type MattermostToken,
  type MattermostUser,
} from './wire.ts';

/** The system roles patkit's role manager edits; every other role a user holds is kept as is. */
export const MATTERMOST_TOKEN_ROLES = ['system_user_access_token', 'system_post_all', 'system_post_all_public'] as const;
const MANAGED = new Set<string>(MATTERMOST_TOKEN_ROLES);

/** Labels as Mattermost's System Console and docs show them. */
const ROLE_LABELS: Record<string, { name: string; description: string }> = {
  system_user_access_token: {
    name: 'Allow this account to generate personal access tokens',
    description: 'Create, read and revoke its own personal access tokens.',
  },
  system_post_all: {
    name: 'post:all',
    description: 'Post to any channel on the server, including direct messages.',
  },
  system_post_all_public: {
    name: 'post:channels',
    description: 'Post to any public channel on the server.',
  },
};

/** Sends one request through the provider's client (its credential, errors and version tracking). */
export type MattermostCall = <T>(req: HttpRequest<T>) => Promise<T>;

export class MattermostDirectory {
  /** Owner refs of every user seen, so token lists do not look the same users up again. */
  private readonly owners = new Map<string, OwnerRef>();
  private readonly call: MattermostCall;

  constructor(call: MattermostCall) {
    this.call = call;
  }

  /** Forgets what one credential could see. */
  clear(): void {
    this.owners.clear();
  }

  /** Adds each user's permissions (the union of their roles' permissions), one request per page. */
  async withPermissions(users: MattermostUser[], options?: CallOptions): Promise<User[]> {
    const names = [...new Set(users.flatMap((u) => splitRoles(u.roles)))];
    let roles: MattermostRole[] = [];
    if (names.length > 0) {
      try {
        roles = await this.call({
          method: 'POST',
          path: '/api/v4/roles/names',
          body: names,
          idempotent: true,
          signal: options?.signal,
          parse: parseMattermostRoleList,
          what: 'role list',
        });
      } catch (error) {
        // Permissions only tune which actions are offered; the server still enforces them.
        if (!(error instanceof ProviderError) || error.code === 'unauthorized' || error.code === 'offline') throw error;
      }
    }
    const byName = new Map(roles.map((r) => [r.name, r.permissions]));
    return users.map((u) => {
      const permissions = new Set<string>();
      for (const role of splitRoles(u.roles)) for (const p of byName.get(role) ?? []) permissions.add(p);
      const user = toUser(u, [...permissions].sort());
      this.owners.set(u.id, { kind: 'user', id: u.id, username: u.username, display_name: user.display_name });
      return user;
    });
  }

  async fetchUser(userId: string, options?: CallOptions): Promise<User> {
    const raw = await this.call({
      method: 'GET',
      path: `/api/v4/users/${segment(userId)}`,
      signal: options?.signal,
      parse: parseMattermostUser,
      what: 'user',
    });
    const [user] = await this.withPermissions([raw], options);
    return user!;
  }

  /** Owner refs for token lists; unknown owners are looked up in one `POST /users/ids`. */
  async ownersFor(tokens: MattermostToken[], options?: CallOptions): Promise<Map<string, OwnerRef>> {
    const missing = [...new Set(tokens.map((t) => t.user_id))].filter((id) => !this.owners.has(id));
    if (missing.length > 0) {
      try {
        const users = await this.call({
          method: 'POST',
          path: '/api/v4/users/ids',
          body: missing,
          idempotent: true,
          signal: options?.signal,
          parse: parseMattermostUserList,
          what: 'user list',
        });
        for (const u of users) this.owners.set(u.id, { kind: 'user', id: u.id, username: u.username, display_name: mattermostDisplayName(u) });
      } catch (error) {
        if (!(error instanceof ProviderError) || error.code === 'unauthorized' || error.code === 'offline') throw error;
      }
    }
    const out = new Map<string, OwnerRef>();
    for (const t of tokens) {
      out.set(t.user_id, this.owners.get(t.user_id) ?? { kind: 'user', id: t.user_id, username: t.user_id, display_name: '' });
    }
    return out;
  }

  async listUsers(query: UserQuery = {}, options?: CallOptions): Promise<Page<User>> {
    if (query.text) {
      const { perPage } = pageOf({ limit: query.limit ?? 100 });
      const raw = await this.call({
        method: 'POST',
        path: '/api/v4/users/search',
        body: { term: query.text, allow_inactive: true, limit: perPage },
        idempotent: true,
        signal: options?.signal,
        parse: parseMattermostUserList,
        what: 'user search answer',
      });
      return { items: await this.withPermissions(raw, options), next_cursor: null };
    }
    const { page, perPage } = pageOf(query);
    const raw = await this.call({
      method: 'GET',
      path: '/api/v4/users',
      query: { page, per_page: perPage },
      signal: options?.signal,
      parse: parseMattermostUserList,
      what: 'user list',
    });
    return { items: await this.withPermissions(raw, options), next_cursor: raw.length >= perPage ? String(page + 1) : null };
  }

  /** The three roles patkit manages, as the server describes them. */
  async listRoles(options?: CallOptions): Promise<Role[]> {
    const roles = await this.call({
      method: 'POST',
      path: '/api/v4/roles/names',
      body: [...MATTERMOST_TOKEN_ROLES],
      idempotent: true,
      signal: options?.signal,
      parse: parseMattermostRoleList,
      what: 'role list',
    });
    const byName = new Map(roles.map((r) => [r.name, r]));
    return MATTERMOST_TOKEN_ROLES.filter((name) => byName.has(name)).map((name) => {
      const r = byName.get(name)!;
      const label = ROLE_LABELS[name]!;
      return { id: name, name: label.name, description: r.description || label.description, permissions: r.permissions, built_in: true };
    });
  }

  /**
   * Sets the managed roles of a user to exactly those in `roles` and keeps every other role the
   * user holds: Mattermost's `PUT /users/{id}/roles` replaces the whole space-separated list.
   */
  async setUserRoles(userId: string, roles: string[], options?: CallOptions): Promise<User> {
    const user = await this.fetchUser(userId, options);
    const current = user.roles;
    const unmanaged = roles.filter((r) => !MANAGED.has(r) && !current.includes(r));
    if (unmanaged.length > 0) {
      throw new ProviderError(
        'validation_failed',
        `patkit only grants ${MATTERMOST_TOKEN_ROLES.join(', ')}; change ${unmanaged.join(', ')} in Mattermost's System Console.`,
        { fieldErrors: [{ field: 'roles', message: `Not managed here: ${unmanaged.join(', ')}` }] },
      );
    }
    const wanted = new Set(roles);
    const next = [...current.filter((r) => !MANAGED.has(r)), ...MATTERMOST_TOKEN_ROLES.filter((r) => wanted.has(r))];
    await this.call({
      method: 'PUT',
      path: `/api/v4/users/${segment(userId)}/roles`,
      body: { roles: next.join(' ') },
      signal: options?.signal,
      parse: parseStatusOk,
      what: 'role update answer',
    });
    return this.fetchUser(userId, options);
  }

  async setUserActive(userId: string, active: boolean, options?: CallOptions): Promise<User> {
    await this.call({
      method: 'PUT',
      path: `/api/v4/users/${segment(userId)}/active`,
      body: { active },
      signal: options?.signal,
      parse: parseStatusOk,
      what: 'activation answer',
    });
    return this.fetchUser(userId, options);
  }
}
