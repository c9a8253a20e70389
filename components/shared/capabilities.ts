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
  rotationGraceMaxSeconds: 604800,
  recentUses: true,
  unused: true,
  identify: true,
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
  // The fine-grained flags (resources, approval, templates, allowedIps, notBefore, selfRotate) are left
  // out: they need a provider's operations or settings, and absent reads as off (this object is up front).
} as Omit<ProviderCapabilities, FineGrainedFlag> as ProviderCapabilities;

type FineGrainedFlag = 'resources' | 'approval' | 'templates' | 'allowedIps' | 'notBefore' | 'selfRotate';
