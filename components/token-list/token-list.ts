/** Registers `<pat-token-list>`. */
import { PatTokenList } from './token-list.component.ts';

export { PatTokenList };

if (!customElements.get('pat-token-list')) customElements.define('pat-token-list', PatTokenList);

declare global {
  interface HTMLElementTagNameMap {
    'pat-token-list': PatTokenList;
  }
}
