/** Registers `<pat-reveal-dialog>`. */
import { PatRevealDialog } from './reveal-dialog.component.ts';

export { PatRevealDialog };

if (!customElements.get('pat-reveal-dialog')) customElements.define('pat-reveal-dialog', PatRevealDialog);

declare global {
  interface HTMLElementTagNameMap {
    'pat-reveal-dialog': PatRevealDialog;
  }
}
