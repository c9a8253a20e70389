/**
 * A host's own provider, written the way the kit's README tells a host to: only from what
 * `patkit/provider-api` exports. Read-only, over an in-memory list: four members, everything else
 * filled in by `defineProvider`.
 */
import { ProviderError, defineProvider, type Page, type TokenMeta, type TokenProvider, type TokenQuery, type User } from '../../../lib/providers/provider-api.ts';

export const READER: User = {
  id: 'u1',
  username: 'reader',
  display_name: 'Read Only',
  active: true,
  kind: 'person',
  roles: [],
  permissions: [],
  created_at: null,
};

export function listedToken(n: number): TokenMeta {
  return {
    id: `tok_${n}`,
    owner: { kind: 'user', id: READER.id, username: READER.username, display_name: READER.display_name },
    name: `token ${n}`,
    description: '',
    created_at: new Date(Date.UTC(2026, 0, n)).toISOString(),
    created_by: null,
    updated_at: null,
    expires_at: null,
    scopes: [],
    status: 'active',
    last_used_at: null,
    last_used_ip: null,
    last4: null,
  };
}

export function readOnlyProvider(tokens: readonly TokenMeta[]): TokenProvider {
  return defineProvider({
    descriptor: { kind: 'acme', label: 'Acme', signIn: ['token'], help: 'Acme tokens, listed read-only from an in-memory list.' },
    capabilities: { names: true, create: { allowed: false, reason: 'Create tokens in the Acme console.' } },
    currentUser: () => Promise.resolve(READER),
    listTokens: (query: TokenQuery = {}): Promise<Page<TokenMeta>> => {
      const text = query.text?.toLowerCase();
      return Promise.resolve({ items: tokens.filter((t) => !text || t.name.toLowerCase().includes(text)), next_cursor: null });
    },
    getToken: (id: string) => {
      const token = tokens.find((t) => t.id === id);
      return token ? Promise.resolve(token) : Promise.reject(new ProviderError('not_found', 'No such token.'));
    },
  });
}
