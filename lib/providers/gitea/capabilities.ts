/**
 * What Gitea offers: named, scoped tokens that never expire and cannot be edited, rotated or
 * disabled; site admins may create tokens for other accounts.
 */
import type { ProviderCapabilities } from '../../provider.ts';
import { capabilities } from '../capabilities.ts';
import type { GiteaUser } from './wire.ts';

export function giteaCapabilities(user: GiteaUser | null): ProviderCapabilities {
  return capabilities({ scopes: 'custom', names: true, lastUsed: true, passwordConfirmation: 'always', createForOthers: user?.is_admin === true });
}
