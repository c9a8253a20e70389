/**
 * What an npm registry offers: tokens without name, expiry or scopes, created with the account
 * password, with two create options of their own (read-only, allowed IP ranges).
 */
import type { ProviderCapabilities } from '../../provider.ts';
import { capabilities } from '../capabilities.ts';

export function npmRegistryCapabilities(): ProviderCapabilities {
  // Any registry account may create tokens for itself (creating stays allowed); npm checks the
  // account password on create, which the wizard asks for. (No role or setting to read ahead of time.)
  return capabilities({
    passwordConfirmation: 'always',
    createOptions: [
      {
        key: 'readonly',
        label: 'Read-only',
        type: 'boolean',
        help: 'The token can install packages but not publish or change them.',
      },
      {
        key: 'cidr_whitelist',
        label: 'Allowed IP ranges',
        type: 'string-list',
        help: 'CIDR ranges (e.g. 192.0.2.0/24) the token may be used from. Empty: anywhere.',
      },
    ],
  });
}
