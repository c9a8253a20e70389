/** Registers `<pat-scoped-token-form>` and, when not yet defined, the tags it renders (`<pat-reveal-dialog>`). */
import { register } from '../shared/register.ts';
import { PatScopedTokenForm } from './scoped-token-form.component.ts';
import type { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';

export { PatScopedTokenForm };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-scoped-token-form', PatScopedTokenForm);

declare global {
  interface HTMLElementTagNameMap {
    'pat-scoped-token-form': PatScopedTokenForm;
    // Defined by this entry too, where the name was still free.
    'pat-reveal-dialog': PatRevealDialog;
  }
}
