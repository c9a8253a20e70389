/**
 * What the component pages' examples import as `/docs/demo/provider.js`: the in-memory demo server
 * filled with sample tokens and users, so every example runs live with no token server. The
 * build bundles this file on its own; its typed errors come from the package (`patkit/provider-api`)
 * so the components recognise them (scripts/build-docs.ts maps the import).
 */
import { ProviderError } from '../lib/errors.ts';
import { MemoryProvider, makeToken, makeUser } from './demo-provider.ts';

export { MemoryProvider, makeToken, makeUser };
export { demoRequests, makeRequest, requestsProvider, RequestsMemoryProvider } from './demo-requests.ts';

const DAY = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();
const ahead = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

export function demoTokens() {
  return [
    makeToken({
      name: 'release bot',
      description: 'Publishes tagged releases',
      created_at: ago(3),
      created_by: { id: 'u_admin', username: 'admin' },
      expires_at: ahead(87),
      scopes: ['tokens:read', 'post:all'],
      last_used_at: ago(1),
      last_used_ip: '203.0.113.7',
      recent_uses: [
        { ip: '203.0.113.7', at: ago(1) },
        { ip: '198.51.100.20', at: ago(2) },
      ],
      // Regenerated with a grace period: the old value still works for a few hours.
      rotation: { previous_valid_until: new Date(Date.now() + 5 * 3600_000).toISOString(), previous_last4: 'q7Zk' },
    }),
    makeToken({ name: 'CI deploys', description: 'Deploys main to staging', created_at: ago(27), expires_at: ahead(3), last_used_at: ago(0) }),
    makeToken({ name: 'old laptop', description: '', created_at: ago(120), expires_at: ahead(245), status: 'disabled' }),
    makeToken({ name: 'hackathon', description: 'Weekend project', created_at: ago(95), expires_at: ago(5) }),
    makeToken({ name: 'forgotten script', description: 'Nobody remembers', created_at: ago(200), expires_at: ahead(160), last_used_at: ago(130) }),
  ];
}

/** A demo server signed in as `admin` (System Admin), with five tokens and three users. */
export function demoProvider(): MemoryProvider {
  const me = makeUser('u_admin', 'admin', ['system_admin']);
  return new MemoryProvider({ tokens: demoTokens(), me, users: [me, makeUser('u_alice', 'alice'), makeUser('u_bob', 'bob')] });
}

/** The same server after the session expired: every call answers `unauthorized`. */
export function signedOutProvider(): MemoryProvider {
  const provider = demoProvider();
  provider.currentUser = async () => {
    throw new ProviderError('unauthorized', 'Session expired.');
  };
  return provider;
}
