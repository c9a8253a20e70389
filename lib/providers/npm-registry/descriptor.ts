/** The npm registry's entry in the options page's picker. */
import type { ProviderDescriptor } from '../../provider.ts';

export const npmRegistryDescriptor: ProviderDescriptor = {
  kind: 'npm',
  label: 'npm registry',
  signIn: ['password', 'token'],
  help: 'An npm registry (registry.npmjs.org, Verdaccio, …): sign in as with npm login, or paste an auth token.',
};
