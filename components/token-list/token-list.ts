/**
 * Registers `<pat-token-list>`. The rest comes with the list's later part (later.ts, one chunk),
 * fetched when the list is idle after its first render or on first need: `<pat-confirm-dialog>`
 * (defined then, when not yet defined), the actions' code, the row menu; `<pat-reveal-dialog>` and
 * `<pat-token-details>` are defined on first use (a regenerate, a details view).
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
    // Defined by this entry too, where the name was still free (the confirmation when the list is idle, the reveal dialog on first regenerate).
    'pat-confirm-dialog': PatConfirmDialog;
    'pat-reveal-dialog': PatRevealDialog;
  }
}
