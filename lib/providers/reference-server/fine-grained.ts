/**
 * The reference server's fine-grained token routes (resources, templates, approval requests,
 * self-rotation) as request descriptions: the provider sends them through its one client, so the
 * paths, bodies and answer checks live here and its class stays a list of one-line methods.
 */
import { segment, type HttpRequest } from '../../http.ts';
import type { ResourceQuery, TokenRequestQuery, TokenTemplateDraft } from '../../model.ts';
import { parseCreatedToken, parseTokenMeta } from '../../parse.ts';
import { parseResourcePage, parseResourceTypeList, parseTemplateList, parseTokenTemplate } from '../../parse-resources.ts';
import type { CallOptions, RegenerateOptions } from '../../provider.ts';
import { parseTokenPage } from './wire.ts';

type Req<T> = HttpRequest<T>;
type Parsed<P> = P extends (value: unknown, path: string) => infer T ? T : never;

export function templateBody(draft: Partial<TokenTemplateDraft>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of ['name', 'description', 'scopes', 'expires_in_days', 'allowed_ips'] as const) {
    if (draft[key] !== undefined) body[key] = draft[key];
  }
  if (draft.resources !== undefined) body['resources'] = draft.resources.map((r) => ({ type: r.type, id: r.id }));
  return body;
}

export const resourceTypesRequest = (o?: CallOptions): Req<Parsed<typeof parseResourceTypeList>> => ({
  method: 'GET', path: '/api/v1/resource-types', signal: o?.signal, parse: parseResourceTypeList, what: 'resource types',
});

export const resourcesRequest = (q: ResourceQuery = {}, o?: CallOptions): Req<Parsed<typeof parseResourcePage>> => ({
  method: 'GET',
  path: '/api/v1/resources',
  query: { type: q.type, q: q.q, cursor: q.cursor, limit: q.limit },
  signal: o?.signal,
  parse: parseResourcePage,
  what: 'resource list',
});

export const templatesRequest = (o?: CallOptions): Req<Parsed<typeof parseTemplateList>> => ({
  method: 'GET', path: '/api/v1/token-templates', signal: o?.signal, parse: parseTemplateList, what: 'template list',
});

export const createTemplateRequest = (draft: TokenTemplateDraft, o?: CallOptions): Req<Parsed<typeof parseTokenTemplate>> => ({
  method: 'POST', path: '/api/v1/token-templates', body: templateBody(draft), signal: o?.signal, parse: parseTokenTemplate, what: 'template',
});

export const updateTemplateRequest = (id: string, patch: Partial<TokenTemplateDraft>, o?: CallOptions): Req<Parsed<typeof parseTokenTemplate>> => ({
  method: 'PATCH', path: `/api/v1/token-templates/${segment(id)}`, body: templateBody(patch), signal: o?.signal, parse: parseTokenTemplate, what: 'template',
});

export const deleteTemplateRequest = (id: string, o?: CallOptions): Req<unknown> => ({
  method: 'DELETE', path: `/api/v1/token-templates/${segment(id)}`, signal: o?.signal,
});

export const tokenRequestsRequest = (q: TokenRequestQuery = {}, o?: CallOptions): Req<Parsed<typeof parseTokenPage>> => ({
  method: 'GET',
  path: '/api/v1/token-requests',
  query: { state: q.state, cursor: q.cursor, limit: q.limit },
  signal: o?.signal,
  parse: parseTokenPage,
  what: 'token requests',
});

export const approveRequest = (id: string, o?: CallOptions): Req<Parsed<typeof parseTokenMeta>> => ({
  method: 'POST', path: `/api/v1/token-requests/${segment(id)}/approve`, body: {}, signal: o?.signal, parse: parseTokenMeta, what: 'token',
});

export const denyRequest = (id: string, reason: string, o?: CallOptions): Req<Parsed<typeof parseTokenMeta>> => ({
  method: 'POST', path: `/api/v1/token-requests/${segment(id)}/deny`, body: { reason }, signal: o?.signal, parse: parseTokenMeta, what: 'token',
});

/** Authenticated by the token itself (the provider's credential); no password. */
export const rotateSelfRequest = (o?: RegenerateOptions): Req<Parsed<typeof parseCreatedToken>> => {
  const grace = o?.gracePeriodSeconds ?? 0;
  return {
    method: 'POST',
    path: '/api/v1/tokens/self/rotate',
    body: grace > 0 ? { grace_period_seconds: grace } : {},
    signal: o?.signal,
    parse: parseCreatedToken,
    what: 'rotated token',
  };
};
