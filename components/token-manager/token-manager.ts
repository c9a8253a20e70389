/** Registers `<pat-token-manager>` (and the components it is built from). */
import { PatTokenManager } from './token-manager.component.ts';

export { PatTokenManager };

if (!customElements.get('pat-token-manager')) customElements.define('pat-token-manager', PatTokenManager);

declare global {
  interface HTMLElementTagNameMap {
    'pat-token-manager': PatTokenManager;
  }
}
