/** How every request reaches a GitLab server (REST API v4). */
import { HttpClient } from '../../http.ts';
import type { ProviderConfig } from '../../provider.ts';
import { gitlabError } from './errors.ts';

export const API = '/api/v4';

/**
 * A client that sends `token()` in `PRIVATE-TOKEN`: never with cookies, never in a URL (`secrets`,
 * docs/security.md rule 6). Read at request time, so a new sign-in takes effect at once.
 */
export function gitlabClient(config: ProviderConfig, token: () => string | null, secrets: () => Array<string | null> = () => [token()]): HttpClient {
  return new HttpClient({
    baseUrl: config.baseUrl,
    serverLabel: 'The GitLab server',
    ...(config.fetch ? { fetch: config.fetch } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    credentials: 'omit',
    headers: (): Record<string, string> => {
      const value = token();
      return value ? { 'private-token': value } : {};
    },
    secrets,
    errorFor: gitlabError,
  });
}
