/** GitLab's entry in the options page's picker. */
import type { ProviderDescriptor } from '../../provider.ts';

export const gitlabDescriptor: ProviderDescriptor = {
  kind: 'gitlab',
  label: 'GitLab',
  signIn: ['token'],
  help:
    'A GitLab server (REST API v4): paste a personal access token with the api scope (GitLab has no password sign-in for its API). ' +
    'Administrators can also manage other users\u2019 tokens; group Owners and project Maintainers their group and project access tokens.',
};
