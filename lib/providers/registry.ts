/**
 * Every provider kind patkit knows, by `kind`. Adding a provider is one file in this folder plus one
 * line in {@link PROVIDERS}: its descriptor (for the options page's picker) and its factory.
 */
import { PatkitError } from '../errors.ts';
import type { ProviderConfig, ProviderDescriptor, ProviderFactory, TokenProvider } from '../provider.ts';
import { createPatkitProvider, patkitDescriptor } from './patkit.ts';
import { createMattermostProvider, mattermostDescriptor } from './mattermost.ts';
import { createNpmRegistryProvider, npmRegistryDescriptor } from './npm-registry.ts';

export interface ProviderEntry {
  descriptor: ProviderDescriptor;
  create: ProviderFactory;
}

export const PROVIDERS: Readonly<Record<string, ProviderEntry>> = {
  patkit: { descriptor: patkitDescriptor, create: createPatkitProvider },
  mattermost: { descriptor: mattermostDescriptor, create: createMattermostProvider },
  npm: { descriptor: npmRegistryDescriptor, create: createNpmRegistryProvider },
};

export function providerKinds(): ProviderDescriptor[] {
  return Object.values(PROVIDERS).map((entry) => entry.descriptor);
}

export function isProviderKind(kind: string): boolean {
  return Object.hasOwn(PROVIDERS, kind);
}

export function createProvider(kind: string, config: ProviderConfig): TokenProvider {
  const entry = Object.hasOwn(PROVIDERS, kind) ? PROVIDERS[kind] : undefined;
  if (!entry) {
    throw new PatkitError('validation_failed', `patkit does not know servers of kind "${kind}".`, {
      fieldErrors: [{ field: 'kind', message: `Choose one of: ${Object.keys(PROVIDERS).join(', ')}` }],
    });
  }
  return entry.create(config);
}
