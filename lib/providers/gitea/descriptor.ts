/** Gitea's (and Forgejo's) entry in the options page's picker. */
import type { ProviderDescriptor } from '../../provider.ts';

export const giteaDescriptor: ProviderDescriptor = {
  kind: 'gitea',
  label: 'Gitea / Forgejo',
  signIn: ['password', 'token'],
  help:
    'A Gitea or Forgejo server (API v1): sign in with your user name and password (Gitea creates and deletes tokens only with the account password, plus the one-time code if two-factor authentication is on), or paste a token to list tokens.',
};
