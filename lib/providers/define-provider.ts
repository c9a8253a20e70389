/**
 * The base for a provider a host writes itself: state what the server can do beyond nothing and
 * implement only the operations it has. A read-only provider is `descriptor`, `currentUser`,
 * `listTokens` and `getToken`:
 *
 * ```ts
 * const provider = defineProvider({
 *   descriptor: { kind: 'acme', label: 'Acme', signIn: ['token'], help: 'Acme tokens, read-only.' },
 *   capabilities: { create: { allowed: false, reason: 'Create tokens in the Acme console.' }, names: true },
 *   currentUser: async () => me,
 *   listTokens: async () => ({ items: tokens, next_cursor: null }),
 *   getToken: async (id) => tokens.find((t) => t.id === id) ?? Promise.reject(new ProviderError('not_found', 'No such token.')),
 * });
 * ```
 *
 * Every capability not named is off (see {@link NO_CAPABILITIES}); an operation left out is
 * absent, so the kit's components do not offer it, and `requireOperation` refuses it with
 * {@link UnsupportedOperation}.
 */
import { ProviderError } from '../errors.ts';
import type { Credentials, ScopeCatalog, SignedIn } from '../model.ts';
import type { CallOptions, ProviderCapabilities, TokenProvider } from '../provider.ts';
import { signInWithCredential } from './bearer-session.ts';
import { capabilities } from './capabilities.ts';

/** What `defineProvider` fills in when a definition leaves it out. */
type Defaulted = 'capabilities' | 'refreshCapabilities' | 'signIn' | 'signOut' | 'setCredential' | 'scopeCatalog';

/** A {@link TokenProvider} whose defaulted members may be left out. */
export type ProviderDefinition = Omit<TokenProvider, Defaulted> &
  Partial<Pick<TokenProvider, Exclude<Defaulted, 'capabilities'>>> & {
    /** Only what differs from {@link NO_CAPABILITIES}. */
    capabilities?: Partial<ProviderCapabilities>;
  };

const NO_SCOPES: ScopeCatalog = { scopes: [], presets: [] };

/**
 * A complete {@link TokenProvider} from the operations a server has. Defaults: capabilities off
 * unless named; `refreshCapabilities` answers them as they are; `setCredential` keeps the value;
 * a token `signIn` sets the token and asks `currentUser` (a wrong token leaves the previous one in
 * place); `signOut` forgets the credential; `scopeCatalog` is empty.
 */
export function defineProvider(definition: ProviderDefinition): TokenProvider {
  const { capabilities: overrides, refreshCapabilities, ...operations } = definition;
  let caps = capabilities(overrides);
  let credential: string | null = null;
  const provider: TokenProvider = {
    setCredential(value: string | null): void {
      credential = value;
    },
    signIn(credentials: Credentials, options?: CallOptions): Promise<SignedIn> {
      if (credentials.kind !== 'token') {
        return Promise.reject(
          new ProviderError('validation_failed', `${definition.descriptor.label} signs in with a token only.`, {
            fieldErrors: [{ field: 'token', message: 'Paste a token' }],
          }),
        );
      }
      return signInWithCredential(provider, credentials.token, credential, options);
    },
    signOut(): Promise<void> {
      provider.setCredential(null);
      return Promise.resolve();
    },
    scopeCatalog: () => Promise.resolve(NO_SCOPES),
    ...operations,
    get capabilities(): ProviderCapabilities {
      return caps;
    },
    async refreshCapabilities(options?: CallOptions): Promise<ProviderCapabilities> {
      if (refreshCapabilities) caps = await refreshCapabilities.call(provider, options);
      return caps;
    },
  };
  return provider;
}
