/**
 * What the providers for servers reached with a bearer credential only (Mattermost, npm) share:
 * the {@link HttpClient} options that carry the credential, and signing in with a credential
 * already in hand. The reference server's provider has a cookie mode as well, so it keeps its own.
 */
import type { ErrorAnswer, HttpClientOptions } from '../http.ts';
import type { ProviderError } from '../errors.ts';
import type { SignedIn } from '../model.ts';
import type { CallOptions, ProviderConfig, TokenProvider } from '../provider.ts';

/**
 * The credential travels in `Authorization` only: never with cookies (`credentials: 'omit'`), and
 * never in a URL (`secrets`). `credential` is read at request time, so a new sign-in takes effect
 * at once.
 */
export function bearerClientOptions(
  config: Pick<ProviderConfig, 'baseUrl' | 'fetch' | 'timeoutMs'>,
  serverLabel: string,
  credential: () => string | null,
  errorFor: (answer: ErrorAnswer) => ProviderError,
): HttpClientOptions {
  return {
    baseUrl: config.baseUrl,
    serverLabel,
    ...(config.fetch ? { fetch: config.fetch } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    credentials: 'omit',
    headers: (): Record<string, string> => {
      const value = credential();
      return value ? { authorization: `Bearer ${value}` } : {};
    },
    secrets: () => [credential()],
    errorFor,
  };
}

/**
 * Switches `provider` to `credential` (a pasted token, or the one a password exchange just
 * returned) and asks the server whose it is. On any failure the provider goes back to `previous`,
 * so a wrong token never replaces a working one.
 */
export async function signInWithCredential(
  provider: Pick<TokenProvider, 'setCredential' | 'currentUser'>,
  credential: string,
  previous: string | null,
  options?: CallOptions,
): Promise<SignedIn> {
  provider.setCredential(credential);
  try {
    const user = await provider.currentUser(options);
    return { user, credential, expires_at: null };
  } catch (error) {
    provider.setCredential(previous);
    throw error;
  }
}
