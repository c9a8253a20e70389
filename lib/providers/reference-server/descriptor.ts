/**
 * The reference server's entry in the options page's picker. Its kind id stays `patkit` (the name
 * the reference server had before): it is stored in users' extension settings, so renaming it
 * would orphan every configured server.
 */
import type { ProviderDescriptor } from '../../provider.ts';

export const referenceServerDescriptor: ProviderDescriptor = {
  kind: 'patkit',
  label: 'patkit server',
  signIn: ['password', 'token'],
  help: 'The patkit reference token server, or any server that speaks its /api/v1 API.',
};
