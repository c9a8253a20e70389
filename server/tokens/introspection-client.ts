/**
 * Who calls introspection: a resource server with its own PAT (scope tokens:introspect), sent as
 * `Authorization: Bearer <pat>` (or a console session, as on every route), or as HTTP Basic the way
 * OAuth clients and gateways send client credentials (RFC 6749 section 2.3.1, client_secret_basic):
 * the user name is the username of the PAT's owner and the password is the PAT, each form-urlencoded
 * before base64. The credential stays in the Authorization header either way (docs/security.md rule 6).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireScope, type Caller } from '../auth/principal.ts';
import { problems } from '../http/problems.ts';

export const INTROSPECTION_SCOPE = 'tokens:introspect';
/** The form fields the route reads (RFC 7662 section 2.1); any other parameter is ignored. */
export const INTROSPECTION_FORM_FIELDS = ['token', 'token_type_hint'] as const;
export const INTROSPECTION_SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { basic: [] }, { cookie: [] }];

const BASIC = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The `WWW-Authenticate` challenge of a 401 here: the scheme the caller used, or both when none. */
export function challenge(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  if (/^Basic\b/i.test(header)) return 'Basic realm="patkit", charset="UTF-8"';
  if (/^Bearer\b/i.test(header)) return 'Bearer realm="patkit"';
  return 'Bearer realm="patkit", Basic realm="patkit", charset="UTF-8"';
}

function formDecode(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, ' '));
}

/** The user name and password of a Basic header, or a 401 that says what is wrong with it. */
export function basicCredentials(header: string): { username: string; password: string } {
  const match = BASIC.exec(header);
  const bad = () => problems.unauthorized('Send HTTP Basic as base64 of "<username>:<personal access token>" (each form-urlencoded first, as OAuth clients do).');
  if (!match) throw bad();
  let text: string;
  try {
    text = utf8.decode(Buffer.from(match[1]!, 'base64'));
  } catch {
    throw bad();
  }
  const colon = text.indexOf(':');
  if (colon < 0) throw bad();
  try {
    return { username: formDecode(text.slice(0, colon)), password: formDecode(text.slice(colon + 1)) };
  } catch {
    throw bad();
  }
}

/** The caller of an introspection request, with tokens:introspect; 401/403/429 problems otherwise. */
export async function introspectionCaller(app: FastifyInstance, request: FastifyRequest): Promise<Caller> {
  const header = request.headers.authorization;
  if (header === undefined || !/^Basic\b/i.test(header)) return app.authorize(request, INTROSPECTION_SCOPE);
  const { username, password } = basicCredentials(header);
  const principal = await app.ctx.auth.authenticatePat(password, request);
  if (username.toLowerCase() !== principal.user.username.toLowerCase()) {
    throw problems.unauthorized(`The Basic user name must be the username of the token's owner ("${username}" is not).`);
  }
  requireScope(principal, INTROSPECTION_SCOPE);
  return { principal, ip: request.ip };
}
