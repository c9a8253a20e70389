/**
 * `patkit`: the whole kit. Registers every `pat-*` tag and re-exports the classes, events,
 * strings and the types a host needs (`TokenProvider`, `TokenMeta`, …). To ship less, import single
 * entries (`patkit/token-list`), `patkit/events` for the event classes alone (registers nothing), or
 * `.component` entries to register classes under your own names. (The one-file bundle,
 * `patkit/bundle`, is components/bundle.ts: the same, with the admin and rarely used tags loaded on first use.)
 */
export * from './kit-exports.ts';
export * from './create-wizard/create-wizard.ts';
export * from './reveal-dialog/reveal-dialog.ts';
export * from './role-manager/role-manager.ts';
export * from './scoped-token-form/scoped-token-form.ts';
export * from './token-details/token-details.ts';
export * from './token-requests/token-requests.ts';
