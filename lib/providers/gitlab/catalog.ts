/** GitLab's token scopes and access levels, and its own page for tokens. */
import type { Scope, ScopeCatalog } from '../../model.ts';

/** GitLab access levels for group and project tokens. */
export const GITLAB_ACCESS_LEVELS: Readonly<Record<number, string>> = {
  10: 'Guest',
  15: 'Planner',
  20: 'Reporter',
  25: 'Security Manager',
  30: 'Developer',
  40: 'Maintainer',
  50: 'Owner',
};

const SCOPES_DOCS = 'https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes';

/** The official scope list (docs: security/tokens/access_token_scopes, 2026), personal tokens first. */
export const GITLAB_SCOPES: ReadonlyArray<{ id: string; group: string; description: string; levels: Array<'personal' | 'group' | 'project'> }> = [
  { id: 'api', group: 'API', description: 'Full read and write access to the API, including the registries (and Git over HTTP for personal tokens).', levels: ['personal', 'group', 'project'] },
  { id: 'read_api', group: 'API', description: 'Read-only access to the API.', levels: ['personal', 'group', 'project'] },
  { id: 'read_user', group: 'API', description: 'Read your profile (/user) and the read-only /users endpoints.', levels: ['personal'] },
  { id: 'read_repository', group: 'Repository', description: 'Pull repositories over Git and read them through the files API.', levels: ['personal', 'group', 'project'] },
  { id: 'write_repository', group: 'Repository', description: 'Pull and push repositories over Git (no API access).', levels: ['personal', 'group', 'project'] },
  { id: 'read_registry', group: 'Registries', description: 'Pull container images.', levels: ['personal', 'group', 'project'] },
  { id: 'write_registry', group: 'Registries', description: 'Push container images.', levels: ['personal', 'group', 'project'] },
  { id: 'read_virtual_registry', group: 'Registries', description: 'Pull through the dependency proxy.', levels: ['personal', 'group'] },
  { id: 'write_virtual_registry', group: 'Registries', description: 'Pull, push and delete through the dependency proxy.', levels: ['personal', 'group'] },
  { id: 'self_rotate', group: 'Tokens', description: 'May rotate only itself.', levels: ['personal', 'group', 'project'] },
  { id: 'create_runner', group: 'Runners', description: 'Create runners.', levels: ['personal', 'group', 'project'] },
  { id: 'manage_runner', group: 'Runners', description: 'Manage runners.', levels: ['personal', 'group', 'project'] },
  { id: 'ai_features', group: 'Other', description: 'GitLab Duo APIs.', levels: ['personal', 'group', 'project'] },
  { id: 'k8s_proxy', group: 'Other', description: 'Kubernetes API through the agent for Kubernetes.', levels: ['personal', 'group', 'project'] },
  { id: 'admin_mode', group: 'Administration', description: 'Act as an administrator while Admin Mode is on.', levels: ['personal'] },
  { id: 'read_service_ping', group: 'Administration', description: 'Download Service Ping (administrators).', levels: ['personal'] },
  { id: 'sudo', group: 'Administration', description: 'Act as any user (administrators).', levels: ['personal'] },
];

export function gitlabScopeCatalog(): ScopeCatalog {
  const scopes: Scope[] = GITLAB_SCOPES.filter((s) => s.levels.includes('personal')).map((s) => ({ id: s.id, group: s.group, description: s.description, docs_url: SCOPES_DOCS }));
  return {
    scopes,
    presets: [
      { id: 'api', name: 'Full API', description: 'Everything the API can do as you.', scopes: ['api'] },
      { id: 'read', name: 'Read only', description: 'Read the API and pull repositories.', scopes: ['read_api', 'read_repository'] },
      { id: 'git', name: 'Git push and pull', description: 'Clone and push over HTTPS.', scopes: ['read_repository', 'write_repository'] },
      { id: 'registry', name: 'Container registry', description: 'Pull and push images.', scopes: ['read_registry', 'write_registry'] },
    ],
  };
}

/** GitLab's own page for personal access tokens (what a non-admin uses to create one). */
export function gitlabTokensPage(baseUrl: string): string {
  return `${baseUrl}/-/user_settings/personal_access_tokens`;
}
