/**
 * What GitLab lets this user with this token do: only administrators create personal tokens
 * through the API, and managing tokens needs the `api` scope.
 */
import type { ProviderCapabilities } from '../../provider.ts';
import { capabilities } from '../capabilities.ts';
import { gitlabTokensPage } from './catalog.ts';
import { DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS, type GitLabToken, type GitLabUser } from './wire.ts';

/** What GitLab lets this user and this token do. */
export function gitlabCapabilities(baseUrl: string, me: GitLabUser | null, self: GitLabToken | null): ProviderCapabilities {
  const hasApi = self === null || self.scopes.includes('api');
  let create: ProviderCapabilities['create'] = { allowed: true, reason: null };
  if (me && !hasApi) {
    create = { allowed: false, reason: `The token you signed in with lacks the api scope GitLab needs to create tokens. Sign in with a token that has api, or create one on GitLab's own page: ${gitlabTokensPage(baseUrl)}` };
  } else if (me && !me.is_admin) {
    create = {
      allowed: false,
      reason: `GitLab lets only administrators create personal access tokens through its API. Create yours on GitLab's own page: ${gitlabTokensPage(baseUrl)}`,
    };
  }
  return capabilities({
    expiry: { mode: 'required', maxLifetimeDays: MAX_LIFETIME_DAYS, defaultLifetimeDays: DEFAULT_LIFETIME_DAYS },
    create,
    scopes: 'custom',
    names: true,
    description: true,
    regenerate: hasApi,
    lastUsed: true,
    adminInventory: me?.is_admin === true,
    createForOthers: me?.is_admin === true && hasApi,
    search: true,
    orgTokens: me !== null,
    // A personal token with `api` or `self_rotate` may replace itself (GitLab 16.10; `self_rotate` 17.9).
    selfRotate: self !== null && (self.scopes.includes('api') || self.scopes.includes('self_rotate')),
  });
}
