/**
 * Which capability gates each optional operation of {@link TokenProvider}: a provider offers an
 * operation when it has the method and its capabilities say so ({@link supports}). Calling one goes
 * through {@link requireOperation} (`require-operation.ts`), so no provider writes a method only to
 * refuse.
 */
import type { ProviderCapabilities, TokenProvider } from '../provider.ts';
import { OPERATION_TEXT, type OptionalOperation } from './require-operation.ts';

export { OPERATION_TEXT, requireOperation, type OptionalOperation } from './require-operation.ts';

interface OperationRule {
  /** Completes "<Server> servers cannot …". */
  does: string;
  /** Whether the capabilities offer it; the method must be present as well. */
  offered: (caps: ProviderCapabilities) => boolean;
}

/** For operations gated by presence alone (the server decides by the caller's rights). */
export const ALWAYS_OFFERED = (): boolean => true;
const orgTokens = (c: ProviderCapabilities): boolean => c.orgTokens;

const OFFERED: Readonly<Record<OptionalOperation, OperationRule['offered']>> = {
  createToken: (c) => c.create.allowed,
  updateToken: (c) => c.update,
  regenerateToken: (c) => c.regenerate,
  endGrace: (c) => c.rotationGraceMaxSeconds > 0,
  rotateSelf: (c) => c.selfRotate,
  disableUnusedTokens: (c) => c.unused,
  identifyToken: (c) => c.identify,
  revokeLeakedSecret: ALWAYS_OFFERED,
  cloneToken: (c) => c.clone,
  disableToken: (c) => c.disable,
  enableToken: (c) => c.disable,
  deleteToken: ALWAYS_OFFERED,
  bulkDeleteTokens: (c) => c.bulkDelete,
  listUsers: (c) => c.adminInventory || c.createForOthers || c.roles || c.userActivation,
  listRoles: (c) => c.roles,
  setUserRoles: (c) => c.roles,
  setUserActive: (c) => c.userActivation,
  // Every signed-in user may read the settings that shape the wizard; changing them is the capability.
  getSettings: ALWAYS_OFFERED,
  updateSettings: (c) => c.settings,
  listAudit: (c) => c.audit,
  listResourceTypes: (c) => c.resources,
  listResources: (c) => c.resources,
  listTemplates: (c) => c.templates,
  createTemplate: (c) => c.templates && c.settings,
  updateTemplate: (c) => c.templates && c.settings,
  deleteTemplate: (c) => c.templates && c.settings,
  listTokenRequests: (c) => c.approval,
  approveTokenRequest: (c) => c.approval,
  denyTokenRequest: (c) => c.approval,
  listOrganizations: orgTokens,
  listGroups: orgTokens,
  listScopedTokens: orgTokens,
  createScopedToken: orgTokens,
  // Organisation administration is gated by the caller's rights on the server, not a capability.
  createOrganization: ALWAYS_OFFERED,
  createGroup: ALWAYS_OFFERED,
  listMembers: ALWAYS_OFFERED,
  setMember: ALWAYS_OFFERED,
  removeMember: ALWAYS_OFFERED,
};

/** Phrases of the operations the kit's up-front table leaves out (require-operation.ts). */
const FINE_GRAINED_TEXT: Readonly<Partial<Record<OptionalOperation, string>>> = {
  rotateSelf: 'let a token rotate itself',
  listResourceTypes: 'bound tokens to resources',
  listResources: 'bound tokens to resources',
  listTemplates: 'offer token templates',
  createTemplate: 'manage token templates',
  updateTemplate: 'manage token templates',
  deleteTemplate: 'manage token templates',
  listTokenRequests: 'review token requests',
  approveTokenRequest: 'approve token requests',
  denyTokenRequest: 'deny token requests',
};

export const OPERATIONS: Readonly<Record<OptionalOperation, OperationRule>> = Object.fromEntries(
  (Object.keys(OFFERED) as OptionalOperation[]).map((op) => [op, { does: OPERATION_TEXT[op] ?? FINE_GRAINED_TEXT[op] ?? op, offered: OFFERED[op] }]),
) as Record<OptionalOperation, OperationRule>;

/** The provider has the method and its capabilities offer it. */
export function supports(provider: TokenProvider, operation: OptionalOperation): boolean {
  return typeof provider[operation] === 'function' && OPERATIONS[operation].offered(provider.capabilities);
}
