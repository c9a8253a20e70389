/**
 * Registers `<pat-token-manager>` and, when not yet defined, `<pat-token-list>`; the tags they show
 * later are chunks of their own: `<pat-confirm-dialog>` with the list's later part (when the list is
 * idle after its first render), `<pat-create-wizard>`, `<pat-scoped-token-form>` and
 * `<pat-reveal-dialog>` on first use.
 */
import { register } from '../shared/register.ts';
import { PatTokenManager } from './token-manager.component.ts';
import type { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import type { PatCreateWizard } from '../create-wizard/create-wizard.component.ts';
import type { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import type { PatScopedTokenForm } from '../scoped-token-form/scoped-token-form.component.ts';
import type { PatTokenList } from '../token-list/token-list.component.ts';

export { PatTokenManager };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-token-manager', PatTokenManager);

declare global {
  interface HTMLElementTagNameMap {
    'pat-token-manager': PatTokenManager;
    // Defined by this entry too, where the name was still free.
    'pat-confirm-dialog': PatConfirmDialog;
    'pat-create-wizard': PatCreateWizard;
    'pat-reveal-dialog': PatRevealDialog;
    'pat-scoped-token-form': PatScopedTokenForm;
    'pat-token-list': PatTokenList;
  }
}
