/** Registers `<pat-role-manager>` and, when not yet defined, the tags it renders (`<pat-confirm-dialog>`). */
import { register } from '../shared/register.ts';
import { PatRoleManager } from './role-manager.component.ts';
import type { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';

export { PatRoleManager };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-role-manager', PatRoleManager);

declare global {
  interface HTMLElementTagNameMap {
    'pat-role-manager': PatRoleManager;
    // Defined by this entry too, where the name was still free.
    'pat-confirm-dialog': PatConfirmDialog;
  }
}
