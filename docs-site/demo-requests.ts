/**
 * The demo server's token requests (approval): `MemoryProvider` plus `listTokenRequests`,
 * `approveTokenRequest` and `denyTokenRequest`, answering as the reference server does (a request
 * not pending is a `conflict`, the 409 `token_not_pending`; a deny needs a reason of 1 to 500 characters). The
 * `<pat-token-requests>` page and its tests run on it (test/support/memory-provider.ts).
 */
import { ProviderError } from '../lib/errors.ts';
import type { Page, TokenMeta, TokenRequestQuery } from '../lib/model.ts';
import { makeToken, makeUser, MemoryProvider } from './demo-provider.ts';

const DAY = 86_400_000;

export class RequestsMemoryProvider extends MemoryProvider {
  /** Records the call, and throws the failure `failNext` holds for `method` (once), as the base class does. */
  #fail(method: string): void {
    this.calls.push([method]);
    const failure = this.failNext.get(method);
    if (failure) {
      this.failNext.delete(method);
      throw failure;
    }
  }

  /** When set, `listTokenRequests` waits for it (tests of the loading state). */
  hold: Promise<void> | null = null;

  async listTokenRequests(query: TokenRequestQuery = {}): Promise<Page<TokenMeta>> {
    this.#fail('listTokenRequests');
    if (this.hold) await this.hold;
    const state = query.state ?? 'pending';
    const items = this.tokens.filter((t) => t.approval && t.approval.state === state);
    const start = query.cursor ? Number(query.cursor) : 0;
    const limit = query.limit ?? 50;
    return { items: items.slice(start, start + limit), next_cursor: start + limit < items.length ? String(start + limit) : null };
  }

  #pending(id: string): TokenMeta {
    const token = this.tokens.find((t) => t.id === id);
    if (!token) throw new ProviderError('not_found', 'That token request does not exist.');
    if (token.approval?.state !== 'pending') throw new ProviderError('conflict', 'That request was already decided.');
    return token;
  }

  #decide(token: TokenMeta, state: 'approved' | 'denied', reason: string | null): TokenMeta {
    const decided: TokenMeta = {
      ...token,
      status: state === 'approved' ? 'active' : 'denied',
      approval: { ...token.approval!, state, decided_at: new Date().toISOString(), decided_by: { id: this.me.id, username: this.me.username }, reason },
    };
    this.tokens = this.tokens.map((t) => (t.id === token.id ? decided : t));
    return decided;
  }

  async approveTokenRequest(id: string): Promise<TokenMeta> {
    this.#fail('approveTokenRequest');
    return this.#decide(this.#pending(id), 'approved', null);
  }

  async denyTokenRequest(id: string, reason: string): Promise<TokenMeta> {
    this.#fail('denyTokenRequest');
    const text = typeof reason === 'string' ? reason.trim() : '';
    if (!text || text.length > 500) throw new ProviderError('validation_failed', 'reason: give a reason of 1 to 500 characters.');
    return this.#decide(this.#pending(id), 'denied', text);
  }
}

/** A token waiting for approval, requested `daysAgo` days ago by `username`. */
export function makeRequest(username: string, overrides: Partial<TokenMeta> = {}, daysAgo = 1, justification = ''): TokenMeta {
  const requested = new Date(Date.now() - daysAgo * DAY).toISOString();
  return makeToken({
    owner: { kind: 'user', id: `u_${username}`, username, display_name: username },
    created_at: requested,
    status: 'pending',
    approval: { state: 'pending', justification, requested_at: requested, decided_at: null, decided_by: null, reason: null },
    resources: [],
    allowed_ips: [],
    not_before: null,
    ...overrides,
  });
}

/** Three pending requests (one bounded to resources and addresses) and one already denied. */
export function demoRequests(): TokenMeta[] {
  const ahead = (days: number): string => new Date(Date.now() + days * DAY).toISOString();
  return [
    makeRequest(
      'alice',
      {
        name: 'deploy previews',
        description: 'Posts preview links on pull requests',
        scopes: ['tokens:read', 'post:all'],
        resources: [
          { type: 'project', id: 'p1', name: 'Website' },
          { type: 'project', id: 'p2', name: 'Docs' },
        ],
        allowed_ips: ['203.0.113.0/24'],
        expires_at: ahead(30),
      },
      1,
      'Our CI posts preview links; it runs only from the build network.',
    ),
    makeRequest('bob', { name: 'metrics export', scopes: ['tokens:read'], expires_at: ahead(90), not_before: ahead(2) }, 2, 'Nightly export to the dashboard.'),
    makeRequest('carol', { name: 'laptop', scopes: ['tokens:read', 'tokens:write'], expires_at: null }, 3),
    {
      ...makeRequest('dave', { name: 'old sync job', scopes: ['post:all'] }, 9, 'Sync job for the wiki.'),
      status: 'denied',
      approval: {
        state: 'denied',
        justification: 'Sync job for the wiki.',
        requested_at: new Date(Date.now() - 9 * DAY).toISOString(),
        decided_at: new Date(Date.now() - 8 * DAY).toISOString(),
        decided_by: { id: 'u_admin', username: 'admin' },
        reason: 'The wiki has its own bot account; use that.',
      },
    },
  ];
}

/** A demo server signed in as `admin` (an approver) with the requests of {@link demoRequests}. */
export function requestsProvider(tokens: TokenMeta[] = demoRequests()): RequestsMemoryProvider {
  const me = makeUser('u_admin', 'admin', ['system_admin']);
  return new RequestsMemoryProvider({ tokens, me, users: [me, makeUser('u_alice', 'alice'), makeUser('u_bob', 'bob')] });
}
