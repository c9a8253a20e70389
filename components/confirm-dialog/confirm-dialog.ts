/** Registers `<pat-confirm-dialog>`. */
import { register } from '../shared/register.ts';
import { PatConfirmDialog } from './confirm-dialog.component.ts';

export { PatConfirmDialog };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';
export type { ConfirmRequest, ConfirmResult } from './confirm-dialog.component.ts';

register('pat-confirm-dialog', PatConfirmDialog);

declare global {
  interface HTMLElementTagNameMap {
    'pat-confirm-dialog': PatConfirmDialog;
  }
}
