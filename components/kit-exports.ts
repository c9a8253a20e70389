/**
 * What `patkit` (components/index.ts) and the one-file bundle (components/bundle.ts) both give:
 * every component but `<pat-token-details>` (registered), the events, strings and host types.
 * The two differ only in how the details view arrives (at once, or as a chunk on first use).
 */
export * from './token-list/token-list.ts';
export * from './create-wizard/create-wizard.ts';
export * from './reveal-dialog/reveal-dialog.ts';
export * from './role-manager/role-manager.ts';
export * from './token-manager/token-manager.ts';
export * from './confirm-dialog/confirm-dialog.ts';
export * from './scoped-token-form/scoped-token-form.ts';
export * from './shared/events.ts';
export { defaultScopedStrings, defaultStrings, mergeStrings, type PatStrings, type ScopedTokenStrings } from './shared/strings.ts';
export { registerLocale, type PatLocale } from './shared/locale.ts';
export type { CreatedToken, TokenMeta, User } from '../lib/model.ts';
export type { ProviderCapabilities, ProviderConfig, ScopedOwner, TokenProvider } from '../lib/provider.ts';
