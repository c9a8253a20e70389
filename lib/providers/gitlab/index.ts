/** The GitLab provider as the kit publishes it (`patkit/providers/gitlab`). */
export { GitLabProvider, createGitLabProvider } from './provider.ts';
export { gitlabDescriptor } from './descriptor.ts';
export { gitlabCapabilities } from './capabilities.ts';
export { GITLAB_ACCESS_LEVELS, GITLAB_SCOPES, gitlabScopeCatalog, gitlabTokensPage } from './catalog.ts';
export { gitlabError } from './errors.ts';
export * from './wire.ts';
