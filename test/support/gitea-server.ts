/**
 * A CONTRACT-BUILT STAND-IN for a Gitea / Forgejo server, because a real one (Go, no npm package,
 * no network here) cannot run on this project's machines. Built from the official Swagger excerpt
 * (`test/contracts/gitea/tokens.swagger.excerpt.json`, shapes) and notes.md there (behaviour):
 *
 * - every request is first checked against the Swagger ({@link SwaggerDocument.checkRequest}: path,
 *   method, parameters, strict body schema) and against the auth rules of notes.md §2 (the token
 *   routes take Basic auth only; everything else `Authorization: token …`; no credential in a
 *   query string; `X-Gitea-OTP` with Basic for 2FA accounts). A request that breaks them is recorded
 *   in `violations` (tests assert it stays empty) and answered 400;
 * - every success answer is checked against the declared response schema before it is sent, and
 *   every error answer has the `APIError` shape `{message, url}`;
 * - lists page with `page` / `limit` and set `X-Total-Count` (and `Link` when `sendLink` is on).
 *
 * It listens on 127.0.0.1, port 0. It is a test double: it proves the provider speaks the documented
 * API, not that Gitea behaves exactly like this in every corner.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SwaggerDocument, contractFile, type SwaggerOperation } from './swagger2.ts';
import { answerJson, listenOnLoopback, readJsonBody, stopServer } from './stand-in-http.ts';

export interface GiteaStandInUser {
  id: number;
  login: string;
  password: string;
  full_name: string;
  is_admin: boolean;
  /** The one code the stand-in's "authenticator" shows; `null` = no 2FA. */
  otp: string | null;
}

export interface GiteaStandInToken {
  id: number;
  uid: number;
  name: string;
  token: string;
  scopes: string[];
  created: number;
  updated: number;
}

export interface GiteaStandInOptions {
  /** Also send `Link` headers on token lists (the real token-list handler sends only X-Total-Count). */
  sendLink?: boolean;
  /** `[api] MAX_RESPONSE_ITEMS`: the server clamps `limit` to it (default 50). */
  maxResponseItems?: number;
  /** Play a server older than the `/token` endpoint (404 there). */
  withoutSelfEndpoint?: boolean;
}

export interface GiteaRecordedRequest {
  method: string;
  operationId: string | null;
  status: number;
  security: string[];
  otp: string | null;
}

const SCOPE_AREAS = ['activitypub', 'admin', 'issue', 'misc', 'notification', 'organization', 'package', 'repository', 'user'];
const SCOPES = new Set(['all', 'public-only', ...SCOPE_AREAS.flatMap((a) => [`read:${a}`, `write:${a}`])]);

class ApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export class GiteaStandIn {
  readonly spec: SwaggerDocument;
  readonly options: GiteaStandInOptions;
  readonly users: GiteaStandInUser[] = [];
  readonly tokens: GiteaStandInToken[] = [];
  readonly violations: string[] = [];
  readonly requests: GiteaRecordedRequest[] = [];
  /** Answers the next request with this error (rate limiting, a proxy's 502, an ambiguous 422…). */
  failNext: { status: number; message: string; headers?: Record<string, string> } | null = null;
  private server: Server | null = null;
  private seq = 100;
  url = '';

  private constructor(spec: SwaggerDocument, options: GiteaStandInOptions) {
    this.spec = spec;
    this.options = options;
  }

  static async start(options: GiteaStandInOptions = {}): Promise<GiteaStandIn> {
    const standIn = new GiteaStandIn(new SwaggerDocument(contractFile('gitea', 'tokens.swagger.excerpt.json')), options);
    ({ server: standIn.server, url: standIn.url } = await listenOnLoopback((req, res) => standIn.handle(req, res)));
    return standIn;
  }

  stop(): Promise<void> {
    return stopServer(this.server);
  }

  addUser(login: string, password: string, extra: Partial<GiteaStandInUser> = {}): GiteaStandInUser {
    const user: GiteaStandInUser = { id: this.users.length + 1, login, password, full_name: '', is_admin: false, otp: null, ...extra };
    this.users.push(user);
    return user;
  }

  /** A token made outside the provider (seed data); returns it with its secret. */
  addToken(user: GiteaStandInUser, name: string, scopes: string[] = ['read:user'], createdAgoSeconds = 3600): GiteaStandInToken {
    const now = Math.floor(Date.now() / 1000) - createdAgoSeconds;
    const t: GiteaStandInToken = { id: ++this.seq, uid: user.id, name, token: randomBytes(20).toString('hex'), scopes, created: now, updated: now };
    this.tokens.push(t);
    return t;
  }

  /** Would Gitea accept this token right now (what real use of it would see)? */
  accepts(secret: string): boolean {
    return this.tokens.some((t) => t.token === secret);
  }

  // --- plumbing -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const read = await readJsonBody(req);
    if (!read) {
      this.violations.push(`${method} ${url.pathname}: body is not JSON`);
      return this.send(res, null, 400, { message: 'invalid JSON body', url: `${this.url}/api/swagger` });
    }
    const { body } = read;
    if (body !== undefined && !/application\/json/.test(header(req, 'content-type') ?? '')) {
      this.violations.push(`${method} ${url.pathname}: body without Content-Type application/json (the spec consumes JSON)`);
    }
    const checked = this.spec.checkRequest({ method, pathname: url.pathname, query: url.searchParams, body, headers: req.headers });
    const record: GiteaRecordedRequest = { method, operationId: checked.op?.operationId ?? null, status: 0, security: checked.security, otp: header(req, 'x-gitea-otp') ?? null };
    this.requests.push(record);
    const errors = [...checked.errors];
    const authz = header(req, 'authorization') ?? '';
    if (checked.security.includes('AuthorizationHeaderToken') && !/^(token|Basic) \S+$/.test(authz)) {
      errors.push(`${method} ${url.pathname}: Authorization must be "token <token>" (or Basic), got "${authz.split(' ')[0]}"`);
    }
    if (record.otp !== null && !checked.security.includes('BasicAuth')) errors.push(`${method} ${url.pathname}: X-Gitea-OTP without Basic auth (the spec: "in combination with BasicAuth")`);
    if (errors.length > 0) {
      this.violations.push(...errors);
      record.status = checked.op ? 400 : 404;
      return this.send(res, null, record.status, { message: errors.join('; '), url: `${this.url}/api/swagger` });
    }
    const op = checked.op!;
    try {
      if (this.failNext) {
        const f = this.failNext;
        this.failNext = null;
        throw new ApiError(f.status, f.message, f.headers);
      }
      const [status, answer, headers] = this.route(op, checked.params, url.searchParams, body, req);
      record.status = status;
      this.send(res, op, status, answer, headers);
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, String(error));
      record.status = e.status;
      this.send(res, null, e.status, { message: e.message, url: `${this.url}/api/swagger` }, e.headers);
    }
  }

  private send(res: ServerResponse, op: SwaggerOperation | null, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (op) {
      const problems = this.spec.checkResponse(op, status, body);
      if (problems.length > 0) this.violations.push(...problems.map((p) => `stand-in answer: ${p}`));
    } else if (status >= 400) {
      const problems = this.spec.validate({ $ref: '#/definitions/APIError' }, body, `error ${status}`, true);
      if (problems.length > 0) this.violations.push(...problems.map((p) => `stand-in error answer: ${p}`));
    }
    answerJson(res, status, body, 'application/json;charset=utf-8', headers);
  }

  /** Basic auth as Gitea's basic method does it, including the TOTP check. */
  private basicUser(req: IncomingMessage): GiteaStandInUser | null {
    const m = /^Basic (\S+)$/.exec(header(req, 'authorization') ?? '');
    if (!m) return null;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    const login = decoded.slice(0, at);
    const password = decoded.slice(at + 1);
    const user = this.users.find((u) => u.login.toLowerCase() === login.toLowerCase());
    if (!user || user.password !== password) throw new ApiError(401, 'invalid username, password or token');
    if (user.otp !== null) {
      // Forgejo's header wins when both are sent; Gitea reads its own.
      const otp = header(req, 'x-forgejo-otp') ?? header(req, 'x-gitea-otp');
      if (otp !== user.otp) throw new ApiError(401, 'invalid provided OTP');
    }
    return user;
  }

  private tokenAuth(req: IncomingMessage): { user: GiteaStandInUser; token: GiteaStandInToken } | null {
    const m = /^token (\S+)$/.exec(header(req, 'authorization') ?? '');
    if (!m) return null;
    const token = this.tokens.find((t) => t.token === m[1]);
    const user = token && this.users.find((u) => u.id === token.uid);
    if (!token || !user) throw new ApiError(401, 'invalid username, password or token');
    token.updated = Math.floor(Date.now() / 1000);
    return { user, token };
  }

  private requireScope(token: GiteaStandInToken | null, area: string, write: boolean): void {
    if (!token) return;
    const ok = token.scopes.includes('all') || token.scopes.includes(`write:${area}`) || (!write && token.scopes.includes(`read:${area}`));
    if (!ok) throw new ApiError(403, `token does not have at least one of required scope(s), required=[${write ? 'write' : 'read'}:${area}]`);
  }

  private iso(unix: number): string {
    return new Date(unix * 1000).toISOString().replace('.000Z', 'Z');
  }

  private userJson(u: GiteaStandInUser): Record<string, unknown> {
    return {
      id: u.id,
      login: u.login,
      login_name: '',
      source_id: 0,
      full_name: u.full_name,
      email: `${u.login}@example.test`,
      avatar_url: `${this.url}/avatars/${u.id}`,
      html_url: `${this.url}/${u.login}`,
      language: 'en-US',
      is_admin: u.is_admin,
      last_login: this.iso(Math.floor(Date.now() / 1000)),
      created: this.iso(1_700_000_000),
      restricted: false,
      active: true,
      prohibit_login: false,
      location: '',
      website: '',
      description: '',
      visibility: 'public',
      followers_count: 0,
      following_count: 0,
      starred_repos_count: 0,
    };
  }

  private tokenJson(t: GiteaStandInToken, withSecret: boolean): Record<string, unknown> {
    return {
      id: t.id,
      name: t.name,
      sha1: withSecret ? t.token : '',
      token_last_eight: t.token.slice(-8),
      scopes: t.scopes,
      created_at: this.iso(t.created),
      last_used_at: this.iso(t.updated),
    };
  }

  // --- routes ---------------------------------------------------------------------------------

  private route(op: SwaggerOperation, params: Record<string, string>, query: URLSearchParams, body: unknown, req: IncomingMessage): [number, unknown, Record<string, string>?] {
    if (op.operationId === 'getVersion') return [200, { version: '1.26.0' }];

    if (op.operationId.startsWith('user') && op.template.includes('/tokens')) {
      // reqBasicOrRevProxyAuth(): the token routes take the account password only.
      const doer = this.basicUser(req);
      if (!doer) throw new ApiError(401, 'auth required');
      const target = this.users.find((u) => u.login.toLowerCase() === params['username']!.toLowerCase());
      if (!target) throw new ApiError(404, 'user does not exist');
      if (target.id !== doer.id && !doer.is_admin) throw new ApiError(403, 'doer should be the site admin or be same as the contextUser');
      return this.tokenRoute(op, target, params, query, body);
    }

    const basic = this.basicUser(req);
    const viaToken = basic ? null : this.tokenAuth(req);
    const user = basic ?? viaToken?.user;
    if (!user) throw new ApiError(401, 'token is required');
    switch (op.operationId) {
      case 'userGetCurrent':
        this.requireScope(viaToken?.token ?? null, 'user', false);
        return [200, this.userJson(user)];
      case 'getCurrentToken':
      case 'deleteCurrentToken': {
        if (this.options.withoutSelfEndpoint || !viaToken) throw new ApiError(404, 'The target couldn\'t be found.');
        const t = viaToken.token;
        if (op.operationId === 'deleteCurrentToken') {
          this.tokens.splice(this.tokens.indexOf(t), 1);
          return [204, undefined];
        }
        return [200, { id: t.id, name: t.name, scopes: t.scopes, created_at: this.iso(t.created), last_used_at: this.iso(t.updated), user: { id: user.id, login: user.login } }];
      }
      default:
        throw new ApiError(501, `the stand-in does not serve ${op.operationId}`);
    }
  }

  private tokenRoute(op: SwaggerOperation, target: GiteaStandInUser, params: Record<string, string>, query: URLSearchParams, body: unknown): [number, unknown, Record<string, string>?] {
    switch (op.operationId) {
      case 'userGetTokens': {
        const page = Math.max(1, Number(query.get('page') ?? 1));
        const limit = Math.min(this.options.maxResponseItems ?? 50, Math.max(1, Number(query.get('limit') ?? this.options.maxResponseItems ?? 50)));
        // Newest first (created_unix DESC), as models/auth/access_token.go lists them.
        const own = this.tokens.filter((t) => t.uid === target.id).sort((a, b) => b.created - a.created || b.id - a.id);
        const items = own.slice((page - 1) * limit, page * limit).map((t) => this.tokenJson(t, false));
        const headers: Record<string, string> = { 'x-total-count': String(own.length) };
        if (this.options.sendLink && page * limit < own.length) {
          headers['link'] = `<${this.url}/api/v1/users/${target.login}/tokens?limit=${limit}&page=${page + 1}>; rel="next"`;
        }
        return [200, items, headers];
      }
      case 'userCreateToken': {
        const b = body as { name: string; scopes?: string[] };
        if (b.name.trim() === '') throw new ApiError(400, 'name is required');
        if (this.tokens.some((t) => t.uid === target.id && t.name === b.name)) throw new ApiError(400, 'access token name has been used already');
        const scopes = b.scopes ?? [];
        const bad = scopes.filter((s) => !SCOPES.has(s));
        if (bad.length > 0) throw new ApiError(400, `invalid access token scope provided: ${bad.join(',')}`);
        if (scopes.length === 0) throw new ApiError(400, 'access token must have a scope');
        const t = this.addToken(target, b.name, scopes, 0);
        return [201, this.tokenJson(t, true)];
      }
      case 'userDeleteAccessToken': {
        const key = params['token']!;
        let hits = /^\d+$/.test(key) ? this.tokens.filter((t) => t.uid === target.id && String(t.id) === key) : [];
        if (hits.length === 0) hits = this.tokens.filter((t) => t.uid === target.id && t.name === key);
        if (hits.length === 0) throw new ApiError(404, 'The target couldn\'t be found.');
        if (hits.length > 1) throw new ApiError(422, `multiple matches for token name '${key}'`);
        this.tokens.splice(this.tokens.indexOf(hits[0]!), 1);
        return [204, undefined];
      }
      default:
        throw new ApiError(501, `the stand-in does not serve ${op.operationId}`);
    }
  }
}
