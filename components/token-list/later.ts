/**
 * What a list needs only once someone acts on it, one chunk fetched when the list is idle after its
 * first render (or on the first action or key, whichever comes first): the confirmation dialog,
 * the actions' code (confirm-then-run, the password question, the provider's errors), the row
 * menu with its controller, the keyboard controller, "Disable unused…", the details view and the
 * reveal dialog (both still defined only on first use). One chunk, not six: small chunks compress
 * apart, and a host's bundler splits what each shares with the list into more files up front.
 */
export { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
// The confirmations' English: under the list's own strings (another language's, the host's overrides).
export { confirmStrings } from '../shared/confirm.strings.ts';
export { TokenActions } from '../shared/token-actions.ts';
export { disableUnused } from './disable-unused.ts';
export { rowMenu } from './row-menu.ts';
export { MenuController } from '../shared/menu.controller.ts';
export { GridKeyboardController } from './grid-keyboard.controller.ts';
export { PatTokenDetails } from '../token-details/token-details.component.ts';
export { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
// The list itself, which the page already has: a bundler that puts what an entry shares with its
// import() in a file of its own (esbuild does) then puts the list in that file with Lit, and a page
// loads one file up front instead of two, which compress worse apart (bench/RESULTS.md, "Kit").
export { PatTokenList } from './token-list.component.ts';
