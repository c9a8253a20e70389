/**
 * What the options page's picker shows for every provider kind, kept apart from the providers'
 * code so that listing the kinds loads no provider (the registry imports a provider only when a
 * server of its kind is configured). Each provider file exports the same descriptor as
 * `…Descriptor`; test/lib/providers/registry.node.test.ts checks the two never drift apart.
 */
import type { ProviderDescriptor } from '../provider.ts';

export const PATKIT_DESCRIPTOR: ProviderDescriptor = {
  kind: 'patkit',
  label: 'patkit server',
  signIn: ['password', 'token'],
  help: 'The patkit reference token server, or any server that speaks its /api/v1 API.',
};

export const MATTERMOST_DESCRIPTOR: ProviderDescriptor = {
  kind: 'mattermost',
  label: 'Mattermost',
  signIn: ['password', 'token'],
  help: 'A Mattermost server (API v4): sign in with your Mattermost account or paste a personal access token.',
};

export const NPM_DESCRIPTOR: ProviderDescriptor = {
  kind: 'npm',
  label: 'npm registry',
  signIn: ['password', 'token'],
  help: 'An npm registry (registry.npmjs.org, Verdaccio, …): sign in as with npm login, or paste an auth token.',
};

export const GITLAB_DESCRIPTOR: ProviderDescriptor = {
  kind: 'gitlab',
  label: 'GitLab',
  signIn: ['token'],
  help:
    'A GitLab server (REST API v4): paste a personal access token with the api scope (GitLab has no password sign-in for its API). ' +
    'Administrators can also manage other users\u2019 tokens; group Owners and project Maintainers their group and project access tokens.',
};

export const GITEA_DESCRIPTOR: ProviderDescriptor = {
  kind: 'gitea',
  label: 'Gitea / Forgejo',
  signIn: ['password', 'token'],
  help:
    'A Gitea or Forgejo server (API v1): sign in with your user name and password (Gitea creates and deletes tokens only with the account password, plus the one-time code if two-factor authentication is on), or paste a token to list tokens.',
};
