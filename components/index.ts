/**
 * The whole patkit kit: registers every `pat-*` tag and re-exports the classes, events and
 * strings. Import single components from `components/<name>/<name>.ts` to ship less.
 */
export * from './token-list/token-list.ts';
export * from './create-wizard/create-wizard.ts';
export * from './reveal-dialog/reveal-dialog.ts';
export * from './role-manager/role-manager.ts';
export * from './token-manager/token-manager.ts';
export * from './confirm-dialog/confirm-dialog.ts';
export * from './scoped-token-form/scoped-token-form.ts';
export * from './shared/events.ts';
export { defaultStrings, mergeStrings, type PatStrings } from './shared/strings.ts';
