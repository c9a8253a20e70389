/**
 * The one place every capability has its default: a provider states only what its server can do
 * beyond "nothing" (`capabilities({ disable: true, … })`), so adding a capability is one line here
 * and every provider, the kit's own and a host's, stays complete.
 */
import type { ProviderCapabilities } from '../provider.ts';

/**
 * A server that can list tokens and nothing more: no expiry, no scopes, no admin features. Creating
 * stays `allowed` (the UI offers Create exactly when the provider has `createToken`).
 */
export const NO_CAPABILITIES: Readonly<ProviderCapabilities> = Object.freeze({
  expiry: Object.freeze({ mode: 'none', maxLifetimeDays: null, defaultLifetimeDays: null }),
  create: Object.freeze({ allowed: true, reason: null }),
  scopes: 'none',
  names: false,
  description: false,
  disable: false,
  regenerate: false,
  rotationGraceMaxSeconds: 0,
  clone: false,
  update: false,
  bulkDelete: false,
  lastUsed: false,
  recentUses: false,
  unused: false,
  identify: false,
  passwordConfirmation: 'never',
  adminInventory: false,
  createForOthers: false,
  roles: false,
  userActivation: false,
  search: false,
  orgTokens: false,
  audit: false,
  settings: false,
  resources: false,
  approval: false,
  templates: false,
  allowedIps: false,
  notBefore: false,
  selfRotate: false,
  createOptions: Object.freeze([]) as unknown as ProviderCapabilities['createOptions'],
});

/** {@link NO_CAPABILITIES} with `overrides` on top: a fresh object the caller may change. */
export function capabilities(overrides: Partial<ProviderCapabilities> = {}): ProviderCapabilities {
  return {
    ...NO_CAPABILITIES,
    expiry: { ...NO_CAPABILITIES.expiry },
    create: { ...NO_CAPABILITIES.create },
    createOptions: [],
    ...overrides,
  };
}
