/** Gitea's token scopes: read or write per area, plus `all` and `public-only`. */
import type { Scope, ScopeCatalog } from '../../model.ts';


/** Gitea's scope categories (models/auth/access_token_scope.go); each has `read:` and `write:`. */
export const GITEA_SCOPE_AREAS: ReadonlyArray<{ area: string; label: string; covers: string }> = [
  { area: 'activitypub', label: 'ActivityPub', covers: 'ActivityPub federation routes' },
  { area: 'admin', label: 'Site administration', covers: '/admin routes (site administrators only)' },
  { area: 'issue', label: 'Issues', covers: 'issues, labels and milestones' },
  { area: 'misc', label: 'Miscellaneous', covers: 'reserved for future use' },
  { area: 'notification', label: 'Notifications', covers: 'notifications' },
  { area: 'organization', label: 'Organizations', covers: 'organizations and teams' },
  { area: 'package', label: 'Packages', covers: 'the package registry' },
  { area: 'repository', label: 'Repositories', covers: 'repositories (except issues)' },
  { area: 'user', label: 'User', covers: 'your user settings, including these tokens' },
];

const SCOPES_DOCS = 'https://docs.gitea.com/development/oauth2-provider#scopes';

export function giteaScopeCatalog(): ScopeCatalog {
  const scopes: Scope[] = [];
  for (const { area, label, covers } of GITEA_SCOPE_AREAS) {
    scopes.push({ id: `read:${area}`, group: label, description: `Read ${covers}.`, docs_url: SCOPES_DOCS });
    scopes.push({ id: `write:${area}`, group: label, description: `Read and change ${covers} (includes read).`, docs_url: SCOPES_DOCS });
  }
  scopes.push({ id: 'public-only', group: 'Modifier', description: 'Limits the token to public repositories, organizations and users.', docs_url: SCOPES_DOCS });
  return {
    scopes,
    presets: [
      {
        id: 'repo-read',
        name: 'Read repositories',
        description: 'Clone and read repositories and their issues.',
        scopes: ['read:repository', 'read:issue'],
      },
      {
        id: 'repo-write',
        name: 'Push and manage repositories',
        description: 'Push, and manage repositories and issues.',
        scopes: ['write:repository', 'write:issue'],
      },
      { id: 'packages', name: 'Publish packages', description: 'Read and publish packages.', scopes: ['write:package'] },
      { id: 'all', name: 'Everything', description: 'Every area, read and write (Gitea shows this as "all").', scopes: ['all'] },
    ],
  };
}

export const KNOWN_SCOPES = new Set(['all', 'public-only', ...GITEA_SCOPE_AREAS.flatMap(({ area }) => [`read:${area}`, `write:${area}`])]);
