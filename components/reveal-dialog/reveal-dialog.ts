/** Registers `<pat-reveal-dialog>`. */
import { register } from '../shared/register.ts';
import { PatRevealDialog } from './reveal-dialog.component.ts';

export { PatRevealDialog };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-reveal-dialog', PatRevealDialog);

declare global {
  interface HTMLElementTagNameMap {
    'pat-reveal-dialog': PatRevealDialog;
  }
}
