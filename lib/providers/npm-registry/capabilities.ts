/**
 * What an npm registry offers: tokens without name, expiry or scopes, created with the account
 * password, with an IP allow-list (npm's `cidr_whitelist`, as `allowed_ips`) and a read-only option.
 */
import type { ProviderCapabilities } from '../../provider.ts';
import { capabilities } from '../capabilities.ts';

export function npmRegistryCapabilities(): ProviderCapabilities {
  // Any registry account may create tokens for itself (creating stays allowed); npm checks the
  // account password on create, which the wizard asks for. (No role or setting to read ahead of time.)
  return capabilities({
    passwordConfirmation: 'always',
    // npm's `cidr_whitelist` is the common IP allow-list: the wizard offers it once, under Advanced.
    allowedIps: true,
    createOptions: [
      {
        key: 'readonly',
        label: 'Read-only',
        type: 'boolean',
        help: 'The token can install packages but not publish or change them.',
      },
    ],
  });
}
