/**
 * An `exportparts` value that re-exports an inner element's parts with a prefix, plus some under
 * their own names: `reexport('list', 'row menu', 'confirm-dialog')` is
 * `row:list-row,menu:list-menu,confirm-dialog`. Written as a call rather than the long literal
 * (kit-package/manifest.ts reads both forms), so the bundle carries each part name once.
 */
export const reexport = (prefix: string, names: string, kept = ''): string =>
  [...names.split(' ').map((n) => `${n}:${prefix}-${n}`), ...(kept ? kept.split(' ') : [])].join();
