/**
 * The one way to call an optional operation of {@link TokenProvider}: {@link requireOperation}
 * throws {@link UnsupportedOperation} where the provider has no such method. Kept apart from the
 * capability rules (`operations.ts`) so that the kit, which only calls operations, does not carry
 * those rules in its bundle.
 */
import { UnsupportedOperation } from '../errors.ts';
import type { TokenProvider } from '../provider.ts';

type Method = (...args: never[]) => unknown;

/** The names of the optional methods of {@link TokenProvider}. */
export type OptionalOperation = {
  [K in keyof TokenProvider]-?: undefined extends TokenProvider[K] ? (NonNullable<TokenProvider[K]> extends Method ? K : never) : never;
}[keyof TokenProvider];

/**
 * Completes "<Server> servers cannot …" for the optional operations. The kit carries this table up
 * front, so newer operations are left out and named by their method (operations.ts has their
 * phrases for the capability rules); the UI offers an operation only where `supports` says so.
 */
export const OPERATION_TEXT: Readonly<Partial<Record<OptionalOperation, string>>> = {
  createToken: 'create tokens here',
  updateToken: 'edit a token after creating it',
  regenerateToken: 'regenerate a token',
  endGrace: 'end a grace period',
  disableUnusedTokens: 'disable unused tokens',
  identifyToken: 'identify a token by its value',
  revokeLeakedSecret: 'revoke a leaked secret',
  cloneToken: 'copy a token',
  disableToken: 'disable a token',
  enableToken: 'enable a token',
  deleteToken: 'delete a token',
  bulkDeleteTokens: 'delete several tokens at once',
  listUsers: 'list users here',
  listRoles: 'manage roles here',
  setUserRoles: 'manage roles here',
  setUserActive: 'deactivate users here',
  getSettings: 'show token settings',
  updateSettings: 'change token settings',
  listAudit: 'show an audit log',
  listOrganizations: 'manage organisation tokens',
  listGroups: 'manage group tokens',
  listScopedTokens: 'manage organisation tokens',
  createScopedToken: 'create organisation tokens',
  createOrganization: 'create organisations',
  createGroup: 'create groups',
  listMembers: 'list members',
  setMember: 'change members',
  removeMember: 'remove members',
};

/**
 * The provider's method, bound, or {@link UnsupportedOperation} when it has none:
 * `await requireOperation(provider, 'cloneToken')(id)`. The capabilities are not checked here (a
 * provider that has the method decides on its own server's rules).
 */
export function requireOperation<K extends OptionalOperation>(provider: TokenProvider, operation: K): NonNullable<TokenProvider[K]> {
  const method = provider[operation];
  if (typeof method !== 'function') throw new UnsupportedOperation(OPERATION_TEXT[operation] ?? operation, provider.descriptor.label);
  return (method as Method).bind(provider) as NonNullable<TokenProvider[K]>;
}
