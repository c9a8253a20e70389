/**
 * What `patkit` (components/index.ts) and the one-file bundle (components/bundle.ts) both give up
 * front: the list, the manager and the confirmation dialog (registered), the events, strings and
 * host types. The two differ in how the rest arrives: `patkit` registers the wizard, the reveal
 * dialog, the role manager, the organisation form and the details view at once; the bundle fetches
 * each on first use.
 */
export * from './token-list/token-list.ts';
export * from './token-manager/token-manager.ts';
export * from './confirm-dialog/confirm-dialog.ts';
export * from './shared/events.ts';
export { defaultScopedStrings, defaultStrings, mergeStrings, type PatStrings, type ScopedTokenStrings } from './shared/strings.ts';
export { registerLocale, type PatLocale } from './shared/locale.ts';
export type { CreatedToken, TokenMeta, User } from '../lib/model.ts';
export type { ProviderCapabilities, ProviderConfig, ScopedOwner, TokenProvider } from '../lib/provider.ts';
