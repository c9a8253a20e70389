/** Registers `<pat-create-wizard>`. */
import { PatCreateWizard } from './create-wizard.component.ts';

export { PatCreateWizard };

if (!customElements.get('pat-create-wizard')) customElements.define('pat-create-wizard', PatCreateWizard);

declare global {
  interface HTMLElementTagNameMap {
    'pat-create-wizard': PatCreateWizard;
  }
}
