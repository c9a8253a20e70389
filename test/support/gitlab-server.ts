/**
 * A CONTRACT-BUILT STAND-IN for a GitLab server, because a real GitLab (Rails, PostgreSQL, Redis,
 * Gitaly; no npm package, no network here) cannot run on this project's machines. Built from the
 * official OpenAPI v2 excerpt (`test/contracts/gitlab/tokens.openapi_v2.excerpt.yaml`), notes.md
 * (behaviour, and fields newer than the 2024 spec) and the docs' examples (fixtures) there:
 *
 * - every request is first checked against the excerpt (path, method, parameters, strict body
 *   schema; `description` allowed where the notes document it) and must authenticate with the
 *   spec's `PRIVATE-TOKEN` header, never the `private_token` query. Breaches go to `violations`
 *   (tests assert it stays empty) and are answered 400;
 * - the spec prints the current-user route as `/api/v3/user` (a generator quirk, notes.md §2): the
 *   stand-in serves `/api/v4/user` and checks it against that operation;
 * - success answers are checked against the declared schemas (rotate answers 200 as the docs say,
 *   where the spec says 201); errors have GitLab's shapes (`{message}`, `{error, scope}`);
 * - lists page with `page` / `per_page` and GitLab's headers (`x-next-page`, `x-total`, `Link`).
 *
 * It listens on 127.0.0.1, port 0. It is a test double: it proves the provider speaks the
 * documented API, not that GitLab behaves exactly like this in every corner.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SwaggerDocument, contractFile, type Schema, type SwaggerOperation } from './swagger2.ts';
import { answerJson, listenOnLoopback, readJsonBody, stopServer } from './stand-in-http.ts';

export interface GitLabStandInUser {
  id: number;
  username: string;
  name: string;
  is_admin: boolean;
  bot: boolean;
}

export interface GitLabStandInToken {
  id: number;
  user_id: number;
  name: string;
  description: string | null;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked: boolean;
  last_used_at: string | null;
  last_used_ips: string[];
  token: string;
  /** `personal`, or the group / project the bot user stands for. */
  level: 'personal' | 'group' | 'project';
  resource: number | null;
  access_level: number | null;
  /** Rotation family (reuse detection). */
  family: number;
}

export interface GitLabStandInResource {
  id: number;
  name: string;
  /** Projects: the group they live in. */
  group_id: number | null;
  members: Map<number, number>;
}

/** Request-body fields the 2024 spec predates and notes.md documents (§3, §4). */
/** The 2026 scope list (notes.md §8): the spec's enums are dated ("do not hard-code an enum"). */
const NOTES_SCOPES = ['api', 'read_api', 'read_user', 'read_repository', 'write_repository', 'read_registry', 'write_registry', 'read_virtual_registry', 'write_virtual_registry', 'self_rotate', 'create_runner', 'manage_runner', 'ai_features', 'k8s_proxy', 'admin_mode', 'read_service_ping', 'sudo'];
const notesScopes = (allowed: string[] = NOTES_SCOPES): Schema => ({ type: 'array', items: { type: 'string', enum: allowed } });
const NOTES_BODY_FIELDS: Record<string, Record<string, Schema>> = {
  postApiV4UsersUserIdPersonalAccessTokens: { description: { type: 'string' }, scopes: notesScopes() },
  // Non-admins: k8s_proxy only, as the spec says.
  postApiV4UserPersonalAccessTokens: { description: { type: 'string' } },
  postApiV4GroupsIdAccessTokens: { description: { type: 'string' }, scopes: notesScopes(NOTES_SCOPES.filter((s) => !['read_user', 'admin_mode', 'read_service_ping', 'sudo'].includes(s))) },
  postApiV4ProjectsIdAccessTokens: { description: { type: 'string' }, scopes: notesScopes(NOTES_SCOPES.filter((s) => !['read_user', 'admin_mode', 'read_service_ping', 'sudo', 'read_virtual_registry', 'write_virtual_registry'].includes(s))) },
};

class GitLabError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown>) {
    super(JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

const message = (status: number, text: string): GitLabError => new GitLabError(status, { message: text });

export class GitLabStandIn {
  readonly spec: SwaggerDocument;
  readonly users: GitLabStandInUser[] = [];
  readonly tokens: GitLabStandInToken[] = [];
  readonly groups: GitLabStandInResource[] = [];
  readonly projects: GitLabStandInResource[] = [];
  readonly violations: string[] = [];
  readonly requests: Array<{ method: string; operationId: string | null; status: number; body: unknown }> = [];
  failNext: { status: number; body: Record<string, unknown>; headers?: Record<string, string> } | null = null;
  private server: Server | null = null;
  private seq = 1000;
  url = '';

  private constructor(spec: SwaggerDocument) {
    this.spec = spec;
  }

  static async start(): Promise<GitLabStandIn> {
    const s = new GitLabStandIn(new SwaggerDocument(contractFile('gitlab', 'tokens.openapi_v2.excerpt.yaml')));
    ({ server: s.server, url: s.url } = await listenOnLoopback((req, res) => s.handle(req, res)));
    return s;
  }

  stop(): Promise<void> {
    return stopServer(this.server);
  }

  addUser(username: string, extra: Partial<GitLabStandInUser> = {}): GitLabStandInUser {
    const u: GitLabStandInUser = { id: ++this.seq, username, name: username, is_admin: false, bot: false, ...extra };
    this.users.push(u);
    return u;
  }

  /** A personal token made outside the provider (the sign-in token, seed data). */
  addToken(user: GitLabStandInUser, name: string, scopes: string[] = ['api'], extra: Partial<GitLabStandInToken> = {}): GitLabStandInToken {
    const id = ++this.seq;
    const t: GitLabStandInToken = {
      id,
      user_id: user.id,
      name,
      description: null,
      scopes,
      created_at: new Date(Date.now() - 86_400_000).toISOString(),
      expires_at: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
      revoked: false,
      last_used_at: null,
      last_used_ips: [],
      token: `glpat-${randomBytes(15).toString('base64url')}`,
      level: 'personal',
      resource: null,
      access_level: null,
      family: id,
      ...extra,
    };
    this.tokens.push(t);
    return t;
  }

  addGroup(name: string, members: Array<[GitLabStandInUser, number]>): GitLabStandInResource {
    const g = { id: ++this.seq, name, group_id: null, members: new Map(members.map(([u, l]) => [u.id, l])) };
    this.groups.push(g);
    return g;
  }

  addProject(name: string, group: GitLabStandInResource, members: Array<[GitLabStandInUser, number]>): GitLabStandInResource {
    const p = { id: ++this.seq, name, group_id: group.id, members: new Map(members.map(([u, l]) => [u.id, l])) };
    this.projects.push(p);
    return p;
  }

  /** Would GitLab accept this token right now? */
  accepts(secret: string): boolean {
    const t = this.tokens.find((x) => x.token === secret);
    return !!t && this.isActive(t);
  }

  private isActive(t: GitLabStandInToken): boolean {
    return !t.revoked && (t.expires_at === null || t.expires_at > new Date().toISOString().slice(0, 10));
  }

  // --- plumbing -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const read = await readJsonBody(req);
    if (!read) {
      this.violations.push(`${method} ${url.pathname}: body is not JSON`);
      return this.send(res, null, 400, { message: '400 Bad request' });
    }
    const { body } = read;
    // The excerpt prints the current-user route as /api/v3/user (notes.md §2).
    const specPath = url.pathname === '/api/v4/user' ? '/api/v3/user' : url.pathname;
    const checked = this.spec.checkRequest({ method, pathname: specPath, query: url.searchParams, body, headers: req.headers }, NOTES_BODY_FIELDS);
    const record = { method, operationId: checked.op?.operationId ?? null, status: 0, body };
    this.requests.push(record);
    const errors = [...checked.errors];
    if (!checked.security.includes('access_token_header')) errors.push(`${method} ${url.pathname}: not authenticated with the PRIVATE-TOKEN header`);
    if (errors.length > 0) {
      this.violations.push(...errors);
      record.status = checked.op ? 400 : 404;
      return this.send(res, null, record.status, { message: errors.join('; ') });
    }
    const op = checked.op!;
    try {
      if (this.failNext) {
        const f = this.failNext;
        this.failNext = null;
        record.status = f.status;
        return this.send(res, null, f.status, f.body, f.headers);
      }
      const [status, answer, headers] = this.route(op, checked.params, url, body, req);
      record.status = status;
      this.send(res, op, status, answer, headers);
    } catch (error) {
      const e = error instanceof GitLabError ? error : new GitLabError(500, { message: `500 Internal Server Error ${String(error)}` });
      record.status = e.status;
      this.send(res, null, e.status, e.body);
    }
  }

  private send(res: ServerResponse, op: SwaggerOperation | null, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (op) {
      // The spec declares one UserBasic for the user list (a generator quirk): each item is checked.
      const problems =
        op.operationId === 'getApiV4Users' && Array.isArray(body)
          ? body.flatMap((item) => this.spec.checkResponse(op, status, item))
          : this.spec.checkResponse(op, status, body, op.operationId.endsWith('Rotate') ? [200] : []);
      if (problems.length > 0) this.violations.push(...problems.map((p) => `stand-in answer: ${p}`));
    }
    answerJson(res, status, body, 'application/json', headers);
  }

  private auth(req: IncomingMessage): { user: GitLabStandInUser; token: GitLabStandInToken } {
    const value = req.headers['private-token'];
    const secret = Array.isArray(value) ? value[0] : value;
    const token = this.tokens.find((t) => t.token === secret);
    const user = token && this.users.find((u) => u.id === token.user_id);
    if (!token || !user || !this.isActive(token)) throw message(401, '401 Unauthorized');
    token.last_used_at = new Date().toISOString();
    token.last_used_ips = ['127.0.0.1'];
    return { user, token };
  }

  private needScope(token: GitLabStandInToken, write: boolean, extra: string[] = []): void {
    const ok = token.scopes.includes('api') || (!write && token.scopes.includes('read_api')) || extra.some((s) => token.scopes.includes(s));
    if (!ok) {
      throw new GitLabError(403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: write ? 'api' : 'api read_api' });
    }
  }

  private tokenJson(t: GitLabStandInToken, withSecret: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: t.id,
      name: t.name,
      revoked: t.revoked,
      created_at: t.created_at,
      description: t.description,
      scopes: t.scopes,
      user_id: t.user_id,
      last_used_at: t.last_used_at,
      // Not in the 2024 spec; the 17.9+ docs show it (notes.md §6).
      last_used_ips: t.last_used_ips,
      active: this.isActive(t),
      expires_at: t.expires_at,
    };
    if (t.access_level !== null) out['access_level'] = t.access_level;
    if (withSecret) out['token'] = t.token;
    return out;
  }

  private userJson(u: GitLabStandInUser, adminView: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: u.id,
      username: u.username,
      name: u.name,
      state: 'active',
      avatar_url: `${this.url}/uploads/${u.id}.png`,
      web_url: `${this.url}/${u.username}`,
      created_at: '2024-01-02T03:04:05.000Z',
    };
    // The spec types `bot` as a string (a generator quirk); bots are never signed in here.
    if (u.bot) out['bot'] = 'true';
    if (adminView) out['is_admin'] = u.is_admin;
    return out;
  }

  private paginate<T>(items: T[], url: URL, path: string): [T[], Record<string, string>] {
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 20)));
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    const headers: Record<string, string> = {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(items.length),
      'x-total-pages': String(pages),
      'x-next-page': page < pages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
    };
    const link = (p: number, rel: string): string => {
      const u = new URL(`${this.url}${path}`);
      for (const [k, v] of url.searchParams) u.searchParams.set(k, v);
      u.searchParams.set('page', String(p));
      return `<${u.href}>; rel="${rel}"`;
    };
    headers['link'] = [page > 1 ? link(page - 1, 'prev') : '', page < pages ? link(page + 1, 'next') : '', link(1, 'first'), link(pages, 'last')].filter(Boolean).join(', ');
    return [items.slice((page - 1) * perPage, page * perPage), headers];
  }

  private rotate(old: GitLabStandInToken, body: unknown): GitLabStandInToken {
    if (old.revoked) {
      // Reuse detection (16.3): rotating a revoked token revokes its whole family.
      for (const t of this.tokens) if (t.family === old.family) t.revoked = true;
      throw message(400, '400 Bad request - Token already revoked');
    }
    old.revoked = true;
    const expires = (body as { expires_at?: string } | undefined)?.expires_at ?? new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const user = this.users.find((u) => u.id === old.user_id)!;
    return this.addToken(user, old.name, old.scopes, {
      description: old.description,
      level: old.level,
      resource: old.resource,
      access_level: old.access_level,
      created_at: new Date().toISOString(),
      expires_at: expires,
      family: old.family,
    });
  }

  private resource(kind: 'group' | 'project', id: string, user: GitLabStandInUser, need: number): GitLabStandInResource {
    const r = (kind === 'group' ? this.groups : this.projects).find((x) => String(x.id) === id);
    if (!r) throw message(404, `404 ${kind === 'group' ? 'Group' : 'Project'} Not Found`);
    let level = r.members.get(user.id) ?? 0;
    if (kind === 'project' && r.group_id !== null) level = Math.max(level, this.groups.find((g) => g.id === r.group_id)?.members.get(user.id) ?? 0);
    // resource_access_tokens.rb answers 401 without read/manage_resource_access_tokens (notes.md §4).
    if (level < need && !user.is_admin) throw message(401, '401 Unauthorized');
    return r;
  }

  // --- routes ---------------------------------------------------------------------------------

  private route(op: SwaggerOperation, params: Record<string, string>, url: URL, body: unknown, req: IncomingMessage): [number, unknown, Record<string, string>?] {
    const { user, token } = this.auth(req);
    const b = (body ?? {}) as Record<string, unknown>;
    const id = op.operationId;
    switch (id) {
      case 'getApiV3User':
        this.needScope(token, false, ['read_user']);
        return [200, this.userJson(user, user.is_admin)];
      case 'getApiV4Users': {
        this.needScope(token, false, ['read_user']);
        const q = (url.searchParams.get('search') ?? '').toLowerCase();
        const found = this.users.filter((u) => (url.searchParams.get('humans') === 'true' ? !u.bot : true) && (q === '' || u.username.includes(q) || u.name.toLowerCase().includes(q)));
        const [items, headers] = this.paginate(found, url, '/api/v4/users');
        // The spec declares a single UserBasic for this list (a generator quirk): the docs show an array.
        return [200, items.map((u) => this.userJson(u, user.is_admin)), headers];
      }
      case 'getApiV4PersonalAccessTokensSelf':
        return [200, this.tokenJson(token, false)];
      case 'deleteApiV4PersonalAccessTokensSelf':
        // Any scope may revoke itself (15.4+, notes.md §1); auth() already refused a dead token with 401.
        token.revoked = true;
        return [204, undefined];
      case 'postApiV4PersonalAccessTokensSelfRotate': {
        if (!token.scopes.includes('api') && !token.scopes.includes('self_rotate')) throw message(403, '403 Forbidden');
        return [200, this.tokenJson(this.rotate(token, body), true)];
      }
      case 'getApiV4PersonalAccessTokensSelfAssociations': {
        this.needScope(token, false);
        const groups = this.groups.filter((g) => g.members.has(user.id)).map((g) => ({
          id: g.id,
          web_url: `${this.url}/groups/${g.name}`,
          name: g.name,
          parent_id: null,
          organization_id: 1,
          access_levels: g.members.get(user.id),
          visibility: 'private',
        }));
        const projects = this.projects
          .filter((p) => p.members.has(user.id) || this.groups.find((g) => g.id === p.group_id)?.members.has(user.id))
          .map((p) => {
            const g = this.groups.find((x) => x.id === p.group_id)!;
            return {
              id: p.id,
              description: '',
              name: p.name,
              name_with_namespace: `${g.name} / ${p.name}`,
              path: p.name,
              path_with_namespace: `${g.name}/${p.name}`,
              created_at: '2024-07-02T13:37:00.123Z',
              access_levels: { project_access_level: p.members.get(user.id) ?? null, group_access_level: g.members.get(user.id) ?? null },
              visibility: 'private',
              web_url: `${this.url}/${g.name}/${p.name}`,
              namespace: { id: g.id, name: g.name, path: g.name, kind: 'group', full_path: g.name, parent_id: null, avatar_url: null, web_url: `${this.url}/groups/${g.name}` },
            };
          });
        return [200, { groups, projects }];
      }
      case 'getApiV4PersonalAccessTokens': {
        this.needScope(token, false);
        const forUser = url.searchParams.get('user_id');
        if (!user.is_admin && forUser !== null && forUser !== String(user.id)) throw message(401, '401 Unauthorized');
        let list = this.tokens.filter((t) => t.level === 'personal' && (user.is_admin ? forUser === null || String(t.user_id) === forUser : t.user_id === user.id));
        const search = url.searchParams.get('search');
        if (search) list = list.filter((t) => t.name.toLowerCase().includes(search.toLowerCase()));
        const state = url.searchParams.get('state');
        if (state) list = list.filter((t) => this.isActive(t) === (state === 'active'));
        const revoked = url.searchParams.get('revoked');
        if (revoked !== null) list = list.filter((t) => t.revoked === (revoked === 'true'));
        const [items, headers] = this.paginate(list, url, '/api/v4/personal_access_tokens');
        return [200, items.map((t) => this.tokenJson(t, false)), headers];
      }
      case 'getApiV4PersonalAccessTokensId':
      case 'deleteApiV4PersonalAccessTokensId':
      case 'postApiV4PersonalAccessTokensIdRotate': {
        this.needScope(token, id.startsWith('get') ? false : true);
        const t = this.tokens.find((x) => String(x.id) === params['id'] && x.level === 'personal');
        if (!t || (t.user_id !== user.id && !user.is_admin)) throw message(user.is_admin ? 404 : 401, user.is_admin ? '404 Not Found' : '401 Unauthorized');
        if (id.startsWith('get')) return [200, this.tokenJson(t, false)];
        if (id.startsWith('delete')) {
          if (t.revoked) throw message(400, '400 Bad request - Token already revoked');
          t.revoked = true;
          return [204, undefined];
        }
        return [200, this.tokenJson(this.rotate(t, body), true)];
      }
      case 'postApiV4UsersUserIdPersonalAccessTokens': {
        this.needScope(token, true);
        if (!user.is_admin) throw message(403, '403 Forbidden');
        const target = this.users.find((u) => String(u.id) === params['user_id']);
        if (!target) throw message(404, '404 User Not Found');
        const t = this.addToken(target, String(b['name']), b['scopes'] as string[], {
          description: (b['description'] as string | undefined) ?? null,
          created_at: new Date().toISOString(),
          expires_at: (b['expires_at'] as string | undefined) ?? new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
        });
        return [201, this.tokenJson(t, true)];
      }
      case 'postApiV4UserPersonalAccessTokens': {
        this.needScope(token, true);
        const t = this.addToken(user, String(b['name']), b['scopes'] as string[], { created_at: new Date().toISOString(), expires_at: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) });
        return [201, this.tokenJson(t, true)];
      }
    }
    const m = /^(get|post|delete)ApiV4(Groups|Projects)IdAccessTokens(TokenId)?(Rotate)?$/.exec(id);
    if (m) {
      const kind = m[2] === 'Groups' ? 'group' : 'project';
      const write = m[1] !== 'get';
      this.needScope(token, write);
      const r = this.resource(kind, params['id']!, user, kind === 'group' ? 50 : 40);
      const tokens = this.tokens.filter((t) => t.level === kind && t.resource === r.id);
      if (!m[3]) {
        if (m[1] === 'get') {
          const state = url.searchParams.get('state');
          return [200, tokens.filter((t) => !state || this.isActive(t) === (state === 'active')).map((t) => this.tokenJson(t, false))];
        }
        const level = Number(b['access_level'] ?? 40);
        // Cannot create a token with a higher role than your own (project tokens, notes.md §5).
        const mine = r.members.get(user.id) ?? 0;
        if (!user.is_admin && level > Math.max(mine, kind === 'project' ? this.groups.find((g) => g.id === r.group_id)?.members.get(user.id) ?? 0 : mine)) {
          throw message(400, `400 Bad request - Access level of the token can't be greater the access level of the user who created the token`);
        }
        const bot = this.addUser(`${kind}_${r.id}_bot_${randomBytes(4).toString('hex')}`, { bot: true, name: `${r.name} bot` });
        r.members.set(bot.id, level);
        const t = this.addToken(bot, String(b['name']), b['scopes'] as string[], {
          description: (b['description'] as string | undefined) ?? null,
          created_at: new Date().toISOString(),
          expires_at: String(b['expires_at']),
          level: kind,
          resource: r.id,
          access_level: level,
        });
        return [201, this.tokenJson(t, true)];
      }
      const t = tokens.find((x) => String(x.id) === params['token_id']);
      if (!t) throw message(404, `404 Could not find ${kind} access token with token_id: ${params['token_id']} Not Found`);
      if (m[1] === 'get') return [200, this.tokenJson(t, false)];
      if (m[1] === 'delete') {
        if (t.revoked) throw message(400, '400 Bad request - Token already revoked');
        t.revoked = true;
        return [204, undefined];
      }
      return [200, this.tokenJson(this.rotate(t, body), true)];
    }
    throw message(501, `501 the stand-in does not serve ${id}`);
  }
}
