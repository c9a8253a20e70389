/** Registers `<pat-create-wizard>` and, when not yet defined, the tags it renders (`<pat-confirm-dialog>`, `<pat-reveal-dialog>`). */
import { register } from '../shared/register.ts';
import { PatCreateWizard } from './create-wizard.component.ts';
import type { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import type { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';

export { PatCreateWizard };
export { defaultFineGrainedStrings, type FineGrainedStrings } from './fine-grained.strings.ts';
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-create-wizard', PatCreateWizard);

declare global {
  interface HTMLElementTagNameMap {
    'pat-create-wizard': PatCreateWizard;
    // Defined by this entry too, where the name was still free.
    'pat-confirm-dialog': PatConfirmDialog;
    'pat-reveal-dialog': PatRevealDialog;
  }
}
