/** Capabilities assumed when a component has neither a provider nor explicit `capabilities`. */
import type { ProviderCapabilities } from '../../lib/provider.ts';

export const FULL_CAPABILITIES: ProviderCapabilities = {
  expiry: { mode: 'optional', maxLifetimeDays: null, defaultLifetimeDays: 30 },
  create: { allowed: true, reason: null },
  scopes: 'custom',
  names: true,
  description: true,
  disable: true,
  regenerate: true,
  clone: true,
  update: true,
  bulkDelete: true,
  lastUsed: true,
  passwordConfirmation: 'never',
  adminInventory: true,
  createForOthers: true,
  roles: true,
  userActivation: true,
  search: true,
  orgTokens: false,
  audit: true,
  settings: true,
  createOptions: [],
};
