/** Registers `<pat-confirm-dialog>`. */
import { PatConfirmDialog } from './confirm-dialog.component.ts';

export { PatConfirmDialog };
export type { ConfirmRequest, ConfirmResult } from './confirm-dialog.component.ts';

if (!customElements.get('pat-confirm-dialog')) customElements.define('pat-confirm-dialog', PatConfirmDialog);

declare global {
  interface HTMLElementTagNameMap {
    'pat-confirm-dialog': PatConfirmDialog;
  }
}
