/**
 * Which capability gates each optional operation of {@link TokenProvider}, and the one way to call
 * an operation a provider may lack: {@link requireOperation} throws {@link UnsupportedOperation}
 * where the provider has no such method, so no provider writes a method only to refuse.
 */
import { UnsupportedOperation } from '../errors.ts';
import type { ProviderCapabilities, TokenProvider } from '../provider.ts';

type Method = (...args: never[]) => unknown;

/** The names of the optional methods of {@link TokenProvider}. */
export type OptionalOperation = {
  [K in keyof TokenProvider]-?: undefined extends TokenProvider[K] ? (NonNullable<TokenProvider[K]> extends Method ? K : never) : never;
}[keyof TokenProvider];

interface OperationRule {
  /** Completes "<Server> servers cannot …". */
  does: string;
  /** Whether the capabilities offer it; the method must be present as well. */
  offered: (caps: ProviderCapabilities) => boolean;
}

/** For operations gated by presence alone (the server decides by the caller's rights). */
export const ALWAYS_OFFERED = (): boolean => true;
const orgTokens = (c: ProviderCapabilities): boolean => c.orgTokens;

export const OPERATIONS: Readonly<Record<OptionalOperation, OperationRule>> = {
  createToken: { does: 'create tokens here', offered: (c) => c.create.allowed },
  updateToken: { does: 'edit a token after creating it', offered: (c) => c.update },
  regenerateToken: { does: 'regenerate a token', offered: (c) => c.regenerate },
  endGrace: { does: 'end a grace period', offered: (c) => c.rotationGraceMaxSeconds > 0 },
  disableUnusedTokens: { does: 'disable unused tokens', offered: (c) => c.unused },
  identifyToken: { does: 'identify a token by its value', offered: (c) => c.identify },
  revokeLeakedSecret: { does: 'revoke a leaked secret', offered: ALWAYS_OFFERED },
  cloneToken: { does: 'copy a token', offered: (c) => c.clone },
  disableToken: { does: 'disable a token', offered: (c) => c.disable },
  enableToken: { does: 'enable a token', offered: (c) => c.disable },
  deleteToken: { does: 'delete a token', offered: ALWAYS_OFFERED },
  bulkDeleteTokens: { does: 'delete several tokens at once', offered: (c) => c.bulkDelete },
  listUsers: { does: 'list users here', offered: (c) => c.adminInventory || c.createForOthers || c.roles || c.userActivation },
  listRoles: { does: 'manage roles here', offered: (c) => c.roles },
  setUserRoles: { does: 'manage roles here', offered: (c) => c.roles },
  setUserActive: { does: 'deactivate users here', offered: (c) => c.userActivation },
  // Every signed-in user may read the settings that shape the wizard; changing them is the capability.
  getSettings: { does: 'show token settings', offered: ALWAYS_OFFERED },
  updateSettings: { does: 'change token settings', offered: (c) => c.settings },
  listAudit: { does: 'show an audit log', offered: (c) => c.audit },
  listOrganizations: { does: 'manage organisation tokens', offered: orgTokens },
  listGroups: { does: 'manage group tokens', offered: orgTokens },
  listScopedTokens: { does: 'manage organisation tokens', offered: orgTokens },
  createScopedToken: { does: 'create organisation tokens', offered: orgTokens },
  // Organisation administration is gated by the caller's rights on the server, not a capability.
  createOrganization: { does: 'create organisations', offered: ALWAYS_OFFERED },
  createGroup: { does: 'create groups', offered: ALWAYS_OFFERED },
  listMembers: { does: 'list members', offered: ALWAYS_OFFERED },
  setMember: { does: 'change members', offered: ALWAYS_OFFERED },
  removeMember: { does: 'remove members', offered: ALWAYS_OFFERED },
};

/** The provider has the method and its capabilities offer it. */
export function supports(provider: TokenProvider, operation: OptionalOperation): boolean {
  return typeof provider[operation] === 'function' && OPERATIONS[operation].offered(provider.capabilities);
}

/**
 * The provider's method, bound, or {@link UnsupportedOperation} when it has none:
 * `await requireOperation(provider, 'cloneToken')(id)`. The capabilities are not checked here (a
 * provider that has the method decides on its own server's rules).
 */
export function requireOperation<K extends OptionalOperation>(provider: TokenProvider, operation: K): NonNullable<TokenProvider[K]> {
  const method = provider[operation];
  if (typeof method !== 'function') throw new UnsupportedOperation(OPERATIONS[operation].does, provider.descriptor.label);
  return (method as Method).bind(provider) as NonNullable<TokenProvider[K]>;
}
