/** Registers `<pat-scoped-token-form>`. */
import { PatScopedTokenForm } from './scoped-token-form.component.ts';

export { PatScopedTokenForm };

if (!customElements.get('pat-scoped-token-form')) customElements.define('pat-scoped-token-form', PatScopedTokenForm);

declare global {
  interface HTMLElementTagNameMap {
    'pat-scoped-token-form': PatScopedTokenForm;
  }
}
