/**
 * What the reference server offers: fixed features, then its settings (expiry, password
 * confirmation, grace periods) and the caller's permissions and roles on top.
 */
import type { ServerSettings, User } from '../../model.ts';
import type { ProviderCapabilities } from '../../provider.ts';
import { capabilities } from '../capabilities.ts';

/** The reference server's role ids (server/catalog/catalog.ts) that may create personal tokens. */
const ROLE_SYSTEM_ADMIN = 'system_admin';
const ROLE_TOKEN_CREATOR = 'user_access_token';

/** Permissions (scope ids of the reference server's catalog) that unlock the admin capabilities. */
const ADMIN_PERMISSIONS = {
  /** Lists users and sees their tokens. */
  usersRead: 'users:read',
  /** Creates, deactivates, reactivates users and manages their tokens. */
  usersWrite: 'users:write',
  roles: 'roles:write',
  audit: 'audit:read',
  settings: 'settings:write',
} as const;

/** What the server can do before anything is known about the caller or its settings. */
export function referenceServerBaseCapabilities(): ProviderCapabilities {
  return capabilities({
    expiry: { mode: 'optional', maxLifetimeDays: null, defaultLifetimeDays: null },
    scopes: 'custom',
    names: true,
    description: true,
    disable: true,
    regenerate: true,
    clone: true,
    update: true,
    bulkDelete: true,
    lastUsed: true,
    recentUses: true,
    unused: true,
    passwordConfirmation: 'policy',
    search: true,
  });
}

/**
 * Capabilities for a caller with these permissions on a server with these settings;
 * `tokenCredential`: the caller signed in with a token (only a token can rotate itself).
 */
export function referenceServerCapabilities(settings: ServerSettings | null, user: User | null, tokenCredential = false): ProviderCapabilities {
  const caps = referenceServerBaseCapabilities();
  // A server with fine-grained tokens says so by its `token_approval` setting; an older one lacks the routes.
  if (settings?.token_approval !== undefined) {
    Object.assign(caps, { resources: true, approval: true, templates: true, allowedIps: true, notBefore: true, selfRotate: tokenCredential });
    caps.approvalRequired = settings.token_approval === 'all' || (settings.token_approval === 'non_admins' && user !== null && !user.roles.includes(ROLE_SYSTEM_ADMIN));
  }
  if (settings) {
    caps.expiry = {
      mode: settings.allow_no_expiry ? 'optional' : 'required',
      maxLifetimeDays: settings.max_lifetime_days > 0 ? settings.max_lifetime_days : null,
      defaultLifetimeDays: settings.default_lifetime_days > 0 ? settings.default_lifetime_days : null,
    };
    caps.passwordConfirmation = settings.require_password_confirmation ? 'always' : 'never';
    caps.rotationGraceMaxSeconds = settings.max_grace_period_seconds ?? 0;
    if (!settings.enable_personal_access_tokens) {
      caps.create = { allowed: false, reason: 'Personal access tokens are turned off on this server. A System Admin can turn them on in the server settings.' };
    }
  }
  if (user) {
    const has = (p: string): boolean => user.permissions.includes(p);
    caps.adminInventory = has(ADMIN_PERMISSIONS.usersRead);
    caps.createForOthers = has(ADMIN_PERMISSIONS.usersWrite);
    caps.roles = has(ADMIN_PERMISSIONS.roles);
    caps.userActivation = has(ADMIN_PERMISSIONS.usersWrite);
    caps.audit = has(ADMIN_PERMISSIONS.audit);
    caps.settings = has(ADMIN_PERMISSIONS.settings);
    caps.identify = has(ADMIN_PERMISSIONS.usersRead);
    // The server has organisations; whether the caller manages any tokens there, listOrganizations says.
    caps.orgTokens = has('tokens:read');
    // The server's own rule (server/tokens/token-routes.ts ownerForNewToken): only these two roles may
    // create a personal token, whatever the caller's permissions.
    const mayCreate = user.roles.includes(ROLE_SYSTEM_ADMIN) || user.roles.includes(ROLE_TOKEN_CREATOR);
    if (caps.create.allowed && !mayCreate) {
      caps.create = {
        allowed: false,
        reason: 'This account may not create personal access tokens. An admin can grant it the role "Allow this account to generate personal access tokens".',
      };
    }
  }
  return caps;
}
