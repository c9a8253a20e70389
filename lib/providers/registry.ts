/**
 * Every provider kind patkit knows, by `kind`. The descriptors (for the options page's picker) are
 * static and small; a provider's code is imported only when a server of its kind is created, so a
 * browser that talks to one patkit server never evaluates the GitLab or Gitea client. Adding a
 * provider is one folder here (`<kind>/descriptor.ts`, `<kind>/provider.ts`, …) and one line in
 * {@link PROVIDERS}; the descriptor files import nothing but types, so listing loads no provider.
 */
import { ProviderError } from '../errors.ts';
import type { ProviderConfig, ProviderDescriptor, ProviderFactory, TokenProvider } from '../provider.ts';
import { giteaDescriptor } from './gitea/descriptor.ts';
import { gitlabDescriptor } from './gitlab/descriptor.ts';
import { mattermostDescriptor } from './mattermost/descriptor.ts';
import { npmRegistryDescriptor } from './npm-registry/descriptor.ts';
import { referenceServerDescriptor } from './reference-server/descriptor.ts';

export interface ProviderEntry {
  descriptor: ProviderDescriptor;
  /** Imports the provider's module on first use (the module system caches it after that). */
  load: () => Promise<ProviderFactory>;
}

export const PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  // The reference server's kind id is `patkit` for good: it is stored in users' extension settings.
  patkit: { descriptor: referenceServerDescriptor, load: () => import('./reference-server/provider.ts').then((m) => m.createReferenceServerProvider) },
  mattermost: { descriptor: mattermostDescriptor, load: () => import('./mattermost/provider.ts').then((m) => m.createMattermostProvider) },
  npm: { descriptor: npmRegistryDescriptor, load: () => import('./npm-registry/provider.ts').then((m) => m.createNpmRegistryProvider) },
  gitlab: { descriptor: gitlabDescriptor, load: () => import('./gitlab/provider.ts').then((m) => m.createGitLabProvider) },
  gitea: { descriptor: giteaDescriptor, load: () => import('./gitea/provider.ts').then((m) => m.createGiteaProvider) },
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
