/**
 * Registers `<pat-token-list>` and, when not yet defined, `<pat-confirm-dialog>`. `<pat-reveal-dialog>`
 * and `<pat-token-details>` are chunks of their own, defined on first use (a regenerate, a details
 * view), as is the actions' code (the first row, bulk or keyboard action).
 */
import { register } from '../shared/register.ts';
import { PatTokenList } from './token-list.component.ts';
import type { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import type { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';

export { PatTokenList };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-token-list', PatTokenList);

declare global {
  interface HTMLElementTagNameMap {
    'pat-token-list': PatTokenList;
    // Defined by this entry too, where the name was still free (the reveal dialog on first regenerate).
    'pat-confirm-dialog': PatConfirmDialog;
    'pat-reveal-dialog': PatRevealDialog;
  }
}
