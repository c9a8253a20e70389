/**
 * What a Mattermost server offers: token expiry and rotation from version 11 on (unless an early
 * 11.x release turned out to lack them), the admin features by the caller's permissions.
 */
import type { User } from '../../model.ts';
import type { ProviderCapabilities } from '../../provider.ts';
import { capabilities } from '../capabilities.ts';
import type { MattermostVersion } from './wire.ts';

/** The first major version whose tokens carry `expires_at` and can be rotated. */
export const MATTERMOST_EXPIRY_MAJOR = 11;

function baseCapabilities(): ProviderCapabilities {
  return capabilities({ description: true, disable: true });
}

/** What a Mattermost server of this version and settings lets this user do. */
export interface MissingFeatures {
  expiry: boolean;
  rotate: boolean;
}

export function mattermostCapabilities(
  version: MattermostVersion | null,
  maxLifetimeDays: number | null,
  user: User | null,
  missing: MissingFeatures = { expiry: false, rotate: false },
): ProviderCapabilities {
  const caps = baseCapabilities();
  if (version !== null && version.major >= MATTERMOST_EXPIRY_MAJOR) {
    const max = maxLifetimeDays !== null && maxLifetimeDays > 0 ? maxLifetimeDays : null;
    if (!missing.expiry) caps.expiry = { mode: max === null ? 'optional' : 'required', maxLifetimeDays: max, defaultLifetimeDays: null };
    caps.regenerate = !missing.rotate;
  }
  if (user) {
    const has = (p: string): boolean => user.permissions.includes(p);
    const admin = has('manage_system');
    caps.adminInventory = admin;
    caps.search = admin;
    caps.settings = admin;
    caps.createForOthers = has('edit_other_users');
    caps.roles = has('manage_roles');
    caps.userActivation = admin;
    // Mattermost checks this permission (granted by the "system_user_access_token" role, or held
    // by System Admins) before it creates a token for oneself.
    if (!has('create_user_access_token')) {
      caps.create = {
        allowed: false,
        reason: 'This account may not create personal access tokens on this Mattermost server. A System Admin can give it the personal access token role (System Console → Users → Manage roles).',
      };
    }
  }
  return caps;
}
