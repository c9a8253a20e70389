/**
 * `patkit`: the whole kit. Registers every `pat-*` tag and re-exports the classes, events,
 * strings and the types a host needs (`TokenProvider`, `TokenMeta`, …). To ship less, import single
 * entries (`patkit/token-list`), `patkit/events` for the event classes alone (registers nothing), or
 * `.component` entries to register classes under your own names. (The one-file bundle,
 * `patkit/bundle`, is components/bundle.ts: the same, with `<pat-token-details>` loaded on first use.)
 */
export * from './kit-exports.ts';
export * from './token-details/token-details.ts';
