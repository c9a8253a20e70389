/**
 * Every provider kind patkit knows, by `kind`. The descriptors (for the options page's picker) are
 * static and small; a provider's code is imported only when a server of its kind is created, so a
 * browser that talks to one patkit server never evaluates the GitLab or Gitea client. Adding a
 * provider is one file in this folder, its descriptor in `descriptors.ts` and one line in
 * {@link PROVIDERS}.
 */
import { ProviderError } from '../errors.ts';
import type { ProviderConfig, ProviderDescriptor, ProviderFactory, TokenProvider } from '../provider.ts';
import { GITEA_DESCRIPTOR, GITLAB_DESCRIPTOR, MATTERMOST_DESCRIPTOR, NPM_DESCRIPTOR, PATKIT_DESCRIPTOR } from './descriptors.ts';

export interface ProviderEntry {
  descriptor: ProviderDescriptor;
  /** Imports the provider's module on first use (the module system caches it after that). */
  load: () => Promise<ProviderFactory>;
}

export const PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  patkit: { descriptor: PATKIT_DESCRIPTOR, load: () => import('./reference-server/provider.ts').then((m) => m.createReferenceServerProvider) },
  mattermost: { descriptor: MATTERMOST_DESCRIPTOR, load: () => import('./mattermost/provider.ts').then((m) => m.createMattermostProvider) },
  npm: { descriptor: NPM_DESCRIPTOR, load: () => import('./npm-registry.ts').then((m) => m.createNpmRegistryProvider) },
  gitlab: { descriptor: GITLAB_DESCRIPTOR, load: () => import('./gitlab/provider.ts').then((m) => m.createGitLabProvider) },
  gitea: { descriptor: GITEA_DESCRIPTOR, load: () => import('./gitea/provider.ts').then((m) => m.createGiteaProvider) },
};

export function providerKinds(): ProviderDescriptor[] {
  return Object.values(PROVIDERS).map((entry) => entry.descriptor);
}

export function isProviderKind(kind: string): boolean {
  return Object.hasOwn(PROVIDERS, kind);
}

/** Creates a provider for `kind`, loading its code first; `validation_failed` for an unknown kind. */
export async function createProvider(kind: string, config: ProviderConfig): Promise<TokenProvider> {
  const entry = Object.hasOwn(PROVIDERS, kind) ? PROVIDERS[kind] : undefined;
  if (!entry) {
    throw new ProviderError('validation_failed', `patkit does not know servers of kind "${kind}".`, {
      fieldErrors: [{ field: 'kind', message: `Choose one of: ${Object.keys(PROVIDERS).join(', ')}` }],
    });
  }
  const factory = await entry.load();
  return factory(config);
}
