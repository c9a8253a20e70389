/** Registers `<pat-role-manager>`. */
import { PatRoleManager } from './role-manager.component.ts';

export { PatRoleManager };

if (!customElements.get('pat-role-manager')) customElements.define('pat-role-manager', PatRoleManager);

declare global {
  interface HTMLElementTagNameMap {
    'pat-role-manager': PatRoleManager;
  }
}
