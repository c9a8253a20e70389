/** Mattermost's entry in the options page's picker. */
import type { ProviderDescriptor } from '../../provider.ts';

export const mattermostDescriptor: ProviderDescriptor = {
  kind: 'mattermost',
  label: 'Mattermost',
  signIn: ['password', 'token'],
  help: 'A Mattermost server (API v4): sign in with your Mattermost account or paste a personal access token.',
};
