/**
 * A SPEC-BUILT STAND-IN for a Mattermost server, because a real Mattermost (Go + PostgreSQL, no
 * npm package) cannot run on this project's machines. It is built from the official OpenAPI
 * excerpts in `test/contracts/mattermost/` (shapes) and test/contracts/mattermost/notes.md (behaviour: EnableUserAccessTokens
 * and its 501, roles replaced wholesale, deactivation, 11.x expiry and rotation):
 *
 * - every request is first checked against the spec ({@link MattermostSpec.checkRequest}); a
 *   request that does not match is recorded in `violations` and answered 400, so tests fail loudly;
 * - every answer is checked against the spec's response schema for its status before it is sent;
 * - answers are built only from the fields those schemas name, plus `expires_at` on 11.x.
 *
 * It listens on 127.0.0.1, port 0. It is a test double: it proves the provider speaks the
 * documented API, not that Mattermost behaves exactly like this in every corner.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { CONSOLE_HEADERS, consolePage, isConsolePath } from './mattermost-console-page.ts';
import { builtInRoles, mattermostId, type StandInRole, type StandInToken, type StandInUser } from './mattermost-data.ts';
import { MattermostSpec, type SpecOperation } from './mattermost-spec.ts';
import { listenOnLoopback, readJsonBody, stopServer } from './stand-in-http.ts';

export { mattermostId, type StandInRole, type StandInToken, type StandInUser };

interface Session {
  userId: string;
  /** Set when the credential is a personal access token. */
  tokenId: string | null;
}

export interface StandInOptions {
  /** `11.1.0` (expiry and rotate) or e.g. `10.11.3` (neither). */
  version?: string;
  enableUserAccessTokens?: boolean;
  maxLifetimeDays?: number;
  /**
   * Plays an early 11.x release: the version says 11 but tokens have no `expires_at` (the JSON
   * decoder drops it, as Go's does with unknown fields) and `/users/tokens/rotate` is an unknown route.
   */
  withoutExpiryAndRotation?: boolean;
}

export interface RecordedRequest {
  method: string;
  template: string | null;
  operationId: string | null;
  status: number;
}

class HttpError extends Error {
  readonly status: number;
  readonly id: string;
  constructor(status: number, id: string, message: string) {
    super(message);
    this.status = status;
    this.id = id;
  }
}

const unauthorized = (): HttpError => new HttpError(401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.');
const forbidden = (): HttpError => new HttpError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
const notFound = (what: string): HttpError => new HttpError(404, `app.${what}.get.app_error`, 'Unable to find the resource.');
const badRequest = (id: string, message: string): HttpError => new HttpError(400, id, message);

export class MattermostStandIn {
  readonly spec: MattermostSpec;
  version: string;
  enableUserAccessTokens: boolean;
  maxLifetimeDays: number;
  readonly withoutExpiryAndRotation: boolean;
  readonly users = new Map<string, StandInUser>();
  readonly tokens = new Map<string, StandInToken>();
  readonly roles = new Map<string, StandInRole>();
  private readonly sessions = new Map<string, Session>();
  /** Requests or answers that broke the spec. Tests assert this stays empty. */
  readonly violations: string[] = [];
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  url = '';

  private constructor(spec: MattermostSpec, options: StandInOptions) {
    this.spec = spec;
    this.version = options.version ?? '11.1.0';
    this.enableUserAccessTokens = options.enableUserAccessTokens ?? true;
    this.maxLifetimeDays = options.maxLifetimeDays ?? 0;
    this.withoutExpiryAndRotation = options.withoutExpiryAndRotation ?? false;
    for (const r of builtInRoles()) this.roles.set(r.name, r);
  }

  static async start(options: StandInOptions = {}): Promise<MattermostStandIn> {
    const standIn = new MattermostStandIn(await MattermostSpec.load(), options);
    ({ server: standIn.server, url: standIn.url } = await listenOnLoopback((req, res) => standIn.handle(req, res)));
    return standIn;
  }

  get v11(): boolean {
    return Number(this.version.split('.')[0]) >= 11;
  }

  private get tokenExpiry(): boolean {
    return this.v11 && !this.withoutExpiryAndRotation;
  }

  addUser(username: string, password: string, roles: string, extra: Partial<StandInUser> = {}): StandInUser {
    const now = Date.now();
    const user: StandInUser = {
      id: mattermostId(),
      username,
      password,
      email: `${username}@example.test`,
      first_name: '',
      last_name: '',
      nickname: '',
      roles,
      create_at: now,
      update_at: now,
      delete_at: 0,
      ...extra,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A token made outside the provider (seed data). */
  addToken(userId: string, description: string, extra: Partial<StandInToken> = {}): StandInToken {
    const t: StandInToken = { id: mattermostId(), token: mattermostId(), user_id: userId, description, is_active: true, expires_at: 0, ...extra };
    this.tokens.set(t.id, t);
    return t;
  }

  /** Would Mattermost accept this credential right now? (What a token's real use would see.) */
  accepts(credential: string): boolean {
    try {
      this.authenticate(`Bearer ${credential}`);
      return true;
    } catch {
      return false;
    }
  }

  stop(): Promise<void> {
    return stopServer(this.server);
  }

  // --- plumbing -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    if (isConsolePath(method, url.pathname)) {
      // The web app (System Console pages): not part of the REST API the spec describes.
      res.writeHead(200, CONSOLE_HEADERS);
      res.end(consolePage(url.pathname, [...this.users.values()]));
      return;
    }
    const read = await readJsonBody(req);
    if (!read) {
      this.violations.push(`${method} ${url.pathname}: body is not JSON`);
      return this.send(res, null, 400, this.appError(400, 'api.context.invalid_body_param.app_error', 'Invalid body.'));
    }
    const { body } = read;
    const checked = this.spec.checkRequest({ method, pathname: url.pathname, query: url.searchParams, body }, { v11: this.v11 });
    const record: RecordedRequest = { method, template: checked.op?.template ?? null, operationId: checked.op?.operationId ?? null, status: 0 };
    this.requests.push(record);
    if (checked.errors.length > 0) {
      this.violations.push(...checked.errors);
      // An unknown route is a plain 404 on a real server; a known route with a bad request, a 400.
      const status = checked.op ? 400 : 404;
      record.status = status;
      return this.send(res, checked.op, status, this.appError(status, 'patkit.stand_in.spec_violation', checked.errors.join('; ')));
    }
    const op = checked.op!;
    try {
      const [status, answer, headers] = this.route(op, checked.params, url.searchParams, body, req.headers['authorization']);
      record.status = status;
      this.send(res, op, status, answer, headers);
    } catch (error) {
      const e = error instanceof HttpError ? error : new HttpError(500, 'patkit.stand_in.crash', String(error));
      record.status = e.status;
      this.send(res, op, e.status, this.appError(e.status, e.id, e.message));
    }
  }

  private appError(status: number, id: string, message: string): Record<string, unknown> {
    return { id, message, detailed_error: '', request_id: mattermostId(), status_code: status };
  }

  private send(res: ServerResponse, op: SpecOperation | null, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (op) {
      const problems = this.spec.checkResponse(op, status, body);
      if (problems.length > 0) this.violations.push(...problems.map((p) => `stand-in answer: ${p}`));
    }
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-version-id': `${this.version}.15473.0b2fa6f1e2c3d4.false`,
      'x-request-id': mattermostId(),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private authenticate(header: string | string[] | undefined): { user: StandInUser; session: Session } {
    const value = Array.isArray(header) ? header[0] : header;
    const m = /^Bearer (\S+)$/i.exec(value ?? '');
    if (!m) throw unauthorized();
    const credential = m[1]!;
    let session = this.sessions.get(credential);
    if (!session) {
      const token = [...this.tokens.values()].find((t) => t.token === credential);
      if (!token) throw unauthorized();
      if (!this.enableUserAccessTokens) throw unauthorized();
      if (!token.is_active) throw unauthorized();
      if (token.expires_at > 0 && token.expires_at <= Date.now()) throw unauthorized();
      session = { userId: token.user_id, tokenId: token.id };
    }
    const user = this.users.get(session.userId);
    // Deactivated users' sessions and tokens are refused (and work again after reactivation).
    if (!user || user.delete_at !== 0) throw unauthorized();
    return { user, session };
  }

  private permissions(user: StandInUser): Set<string> {
    const out = new Set<string>();
    for (const name of user.roles.split(' ').filter(Boolean)) for (const p of this.roles.get(name)?.permissions ?? []) out.add(p);
    return out;
  }

  private need(user: StandInUser, ...perms: string[]): void {
    const have = this.permissions(user);
    if (!perms.every((p) => have.has(p))) throw forbidden();
  }

  private userJson(u: StandInUser): Record<string, unknown> {
    return {
      id: u.id,
      create_at: u.create_at,
      update_at: u.update_at,
      delete_at: u.delete_at,
      username: u.username,
      first_name: u.first_name,
      last_name: u.last_name,
      nickname: u.nickname,
      email: u.email,
      email_verified: true,
      auth_service: '',
      roles: u.roles,
      locale: 'en',
      mfa_active: false,
    };
  }

  private tokenJson(t: StandInToken, withSecret: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { id: t.id, user_id: t.user_id, description: t.description, is_active: t.is_active };
    if (withSecret) out['token'] = t.token;
    if (this.tokenExpiry) out['expires_at'] = t.expires_at;
    return out;
  }

  private pageParams(query: URLSearchParams): { page: number; perPage: number } {
    const page = Number(query.get('page') ?? 0);
    const perPage = Math.min(200, Number(query.get('per_page') ?? 60));
    return { page, perPage };
  }

  private paged<T>(items: T[], query: URLSearchParams): T[] {
    const { page, perPage } = this.pageParams(query);
    return items.slice(page * perPage, page * perPage + perPage);
  }

  private userOr404(id: string): StandInUser {
    const u = this.users.get(id);
    if (!u) throw notFound('user');
    return u;
  }

  private tokenFor(actor: StandInUser, tokenId: string, perm: string): StandInToken {
    const t = this.tokens.get(tokenId);
    if (!t) throw notFound('user_access_token');
    this.need(actor, perm);
    if (t.user_id !== actor.id) this.need(actor, 'edit_other_users');
    return t;
  }

  private validExpiry(expiresAt: number | undefined): number {
    const value = expiresAt ?? 0;
    if (value < 0) throw badRequest('model.user_access_token.is_valid.expires_at.app_error', 'Invalid expiry.');
    if (value !== 0 && value <= Date.now()) throw badRequest('app.user_access_token.expires_at.past.app_error', 'The expiry must be in the future.');
    if (this.maxLifetimeDays > 0) {
      const limit = Date.now() + this.maxLifetimeDays * 86_400_000;
      if (value === 0 || value > limit) {
        throw badRequest('app.user_access_token.expires_at.max_lifetime.app_error', `Personal access tokens must expire within ${this.maxLifetimeDays} days.`);
      }
    }
    return value;
  }

  // --- routes ---------------------------------------------------------------------------------

  private route(
    op: SpecOperation,
    params: Record<string, string>,
    query: URLSearchParams,
    body: unknown,
    authorization: string | string[] | undefined,
  ): [number, unknown, Record<string, string>?] {
    const b = (body ?? {}) as Record<string, unknown>;
    switch (op.operationId) {
      case 'GetPing':
        return [200, { status: 'OK' }];
      case 'Login': {
        const login = String(b['login_id'] ?? '');
        const user = [...this.users.values()].find((u) => u.username === login || u.email === login);
        if (!user || user.password !== b['password']) {
          throw new HttpError(401, 'api.user.login.invalid_credentials_email_username', 'Enter a valid email or username and/or password.');
        }
        if (user.delete_at !== 0) throw new HttpError(401, 'api.user.login.inactive.app_error', 'Login failed because your account has been deactivated.');
        const session = mattermostId();
        this.sessions.set(session, { userId: user.id, tokenId: null });
        return [201, this.userJson(user), { token: session }];
      }
    }

    const { user: actor, session } = this.authenticate(authorization);
    switch (op.operationId) {
      case 'Logout':
        for (const [k, s] of this.sessions) if (s === session) this.sessions.delete(k);
        return [201, { status: 'OK' }];
      case 'GetClientConfig': {
        const config: Record<string, string> = {
          Version: this.version,
          BuildNumber: '15473',
          EnableUserAccessTokens: String(this.enableUserAccessTokens),
        };
        if (this.tokenExpiry) config['MaximumPersonalAccessTokenLifetimeDays'] = String(this.maxLifetimeDays);
        return [200, config];
      }
      case 'PatchConfig': {
        this.need(actor, 'manage_system');
        const service = (b['ServiceSettings'] ?? {}) as Record<string, unknown>;
        if (typeof service['EnableUserAccessTokens'] === 'boolean') this.enableUserAccessTokens = service['EnableUserAccessTokens'];
        if (typeof service['MaximumPersonalAccessTokenLifetimeDays'] === 'number') this.maxLifetimeDays = service['MaximumPersonalAccessTokenLifetimeDays'];
        return [200, { ServiceSettings: { EnableUserAccessTokens: this.enableUserAccessTokens } }];
      }
      case 'GetUser': {
        const id = params['user_id'] === 'me' ? actor.id : params['user_id']!;
        return [200, this.userJson(this.userOr404(id))];
      }
      case 'GetUsers': {
        const all = [...this.users.values()].sort((x, y) => x.username.localeCompare(y.username));
        return [200, this.paged(all, query).map((u) => this.userJson(u))];
      }
      case 'GetUsersByIds': {
        const ids = body as string[];
        return [200, ids.map((id) => this.users.get(id)).filter((u): u is StandInUser => !!u).map((u) => this.userJson(u))];
      }
      case 'SearchUsers': {
        const term = String(b['term']).toLowerCase();
        const found = [...this.users.values()].filter(
          (u) => (b['allow_inactive'] === true || u.delete_at === 0) && [u.username, u.email, u.first_name, u.last_name].some((s) => s.toLowerCase().includes(term)),
        );
        return [200, found.slice(0, Number(b['limit'] ?? 100)).map((u) => this.userJson(u))];
      }
      case 'GetRolesByNames': {
        const names = body as string[];
        return [200, names.map((n) => this.roles.get(n)).filter((r): r is StandInRole => !!r)];
      }
      case 'UpdateUserRoles': {
        this.need(actor, 'manage_roles');
        const target = this.userOr404(params['user_id']!);
        const roles = String(b['roles']).split(' ').filter(Boolean);
        for (const r of roles) if (!this.roles.has(r)) throw badRequest('api.user.update_user_roles.bad_role', `Invalid role: ${r}`);
        // Replaces every system role, as test/contracts/mattermost/notes.md says.
        target.roles = roles.join(' ');
        target.update_at = Date.now();
        return [200, { status: 'OK' }];
      }
      case 'UpdateUserActive': {
        const target = this.userOr404(params['user_id']!);
        if (target.id !== actor.id || b['active'] === true) this.need(actor, 'manage_system');
        target.delete_at = b['active'] === true ? 0 : Date.now();
        if (b['active'] !== true) for (const [k, s] of this.sessions) if (s.userId === target.id) this.sessions.delete(k);
        return [200, { status: 'OK' }];
      }
    }

    // Everything below is the token API.
    switch (op.operationId) {
      case 'CreateUserAccessToken': {
        if (!this.enableUserAccessTokens) {
          throw new HttpError(501, 'api.user.create_user_access_token.disabled.app_error', 'Personal access tokens are disabled on this server. Please contact your system administrator for details.');
        }
        const target = this.userOr404(params['user_id']!);
        this.need(actor, 'create_user_access_token');
        if (target.id !== actor.id) this.need(actor, 'edit_other_users');
        const description = String(b['description'] ?? '');
        if (description === '') throw badRequest('api.user.create_user_access_token.description.app_error', 'Invalid description.');
        const expires = this.tokenExpiry ? this.validExpiry(b['expires_at'] as number | undefined) : 0;
        const t = this.addToken(target.id, description, { expires_at: expires });
        return [201, this.tokenJson(t, true)];
      }
      case 'GetUserAccessTokensForUser': {
        const target = this.userOr404(params['user_id']!);
        this.need(actor, 'read_user_access_token');
        if (target.id !== actor.id) this.need(actor, 'edit_other_users');
        const own = [...this.tokens.values()].filter((t) => t.user_id === target.id);
        return [200, this.paged(own, query).map((t) => this.tokenJson(t, false))];
      }
      case 'GetUserAccessTokens':
        this.need(actor, 'manage_system');
        return [200, this.paged([...this.tokens.values()], query).map((t) => this.tokenJson(t, false))];
      case 'SearchUserAccessTokens': {
        this.need(actor, 'manage_system');
        const term = String(b['term']);
        const found = [...this.tokens.values()].filter((t) => t.id === term || t.user_id === term || this.users.get(t.user_id)?.username.startsWith(term));
        return [200, found.map((t) => this.tokenJson(t, false))];
      }
      case 'GetUserAccessToken':
        return [200, this.tokenJson(this.tokenFor(actor, params['token_id']!, 'read_user_access_token'), false)];
      case 'RevokeUserAccessToken': {
        const t = this.tokenFor(actor, String(b['token_id']), 'revoke_user_access_token');
        this.tokens.delete(t.id);
        return [200, { status: 'OK' }];
      }
      case 'DisableUserAccessToken':
        this.tokenFor(actor, String(b['token_id']), 'revoke_user_access_token').is_active = false;
        return [200, { status: 'OK' }];
      case 'EnableUserAccessToken':
        this.tokenFor(actor, String(b['token_id']), 'create_user_access_token').is_active = true;
        return [200, { status: 'OK' }];
      case 'RotateUserAccessToken': {
        if (this.withoutExpiryAndRotation) throw new HttpError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
        const t = this.tokenFor(actor, String(b['token_id']), 'create_user_access_token');
        if (!t.is_active) throw badRequest('api.user.rotate_user_access_token.disabled_token.app_error', 'A disabled token cannot be rotated. Enable it first.');
        if (b['expires_at'] !== undefined) t.expires_at = this.validExpiry(b['expires_at'] as number);
        // The new secret kills the old one at once.
        t.token = mattermostId();
        return [200, this.tokenJson(t, true)];
      }
      default:
        throw new HttpError(501, 'patkit.stand_in.not_built', `The stand-in does not serve ${op.operationId}.`);
    }
  }
}
