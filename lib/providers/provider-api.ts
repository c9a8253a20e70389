/**
 * Everything a host needs to write a provider of its own (`patkit/provider-api`): the interface
 * and the model it speaks, the typed errors, the capability defaults and {@link defineProvider},
 * which fills in what a server does not have.
 */
export type {
  CallOptions,
  CreateCapability,
  CreateOption,
  ExpiryCapability,
  ProviderCapabilities,
  ProviderConfig,
  ProviderDescriptor,
  ProviderFactory,
  RegenerateOptions,
  ScopedOwner,
  TokenProvider,
} from '../provider.ts';
export type {
  AuditEvent,
  AuditQuery,
  Confirmation,
  CreatedToken,
  Credentials,
  DisableUnusedRequest,
  Group,
  IdentifiedToken,
  LeakedSecretResult,
  MemberRole,
  Membership,
  Organization,
  OwnerKind,
  OwnerRef,
  Page,
  RecentUse,
  Role,
  Scope,
  ScopeCatalog,
  ScopedTokenDraft,
  ScopePreset,
  ServerSettings,
  SignedIn,
  TokenDraft,
  TokenMeta,
  TokenOwnerScope,
  TokenPatch,
  TokenQuery,
  TokenSortKey,
  TokenStatus,
  User,
  UserQuery,
  UserRef,
} from '../model.ts';
export { ProviderError, UnsupportedOperation, isProviderError, type ErrorCode, type FieldError, type ProviderErrorOptions } from '../errors.ts';
export { NO_CAPABILITIES, capabilities } from './capabilities.ts';
export { OPERATIONS, requireOperation, supports, type OptionalOperation } from './operations.ts';
export { defineProvider, type ProviderDefinition } from './define-provider.ts';
