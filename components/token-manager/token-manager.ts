/** Registers `<pat-token-manager>` and, when not yet defined, the tags it renders (`<pat-confirm-dialog>`, `<pat-create-wizard>`, `<pat-reveal-dialog>`, `<pat-scoped-token-form>`, `<pat-token-list>`). */
import { register } from '../shared/register.ts';
import { PatTokenManager } from './token-manager.component.ts';

export { PatTokenManager };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-token-manager', PatTokenManager);

declare global {
  interface HTMLElementTagNameMap {
    'pat-token-manager': PatTokenManager;
  }
}
