import { html, nothing, type TemplateResult } from 'lit';
import type { TokenMeta } from '../../lib/model.ts';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import type { TokenAction } from '../shared/events.ts';
import type { MenuController } from '../shared/menu.controller.ts';
import type { PatStrings } from '../shared/strings.ts';

export interface RowMenuView {
  s: PatStrings;
  caps: ProviderCapabilities;
  menu: MenuController;
  /** The menu's position (`top:…px;left:…px`), set as `cssText` (the CSSOM: a strict `style-src` CSP allows it). */
  position: string;
  /** "End grace now" can be done (no provider, or one with `endGrace`). */
  canEndGrace: boolean;
  /** Delete can be done (no provider, or one with `deleteToken`). */
  canDelete: boolean;
  run(action: TokenAction, ids: string[]): void;
}

/** A row's action menu: only what the server's capabilities allow for this token. */
export function rowMenu(v: RowMenuView, token: TokenMeta): TemplateResult {
  const { s, caps, menu } = v;
  // A request waiting for (or refused by) an approver has no secret worth renewing and nothing to switch on or off.
  const decided = token.status !== 'pending' && token.status !== 'denied';
  const item = (action: TokenAction, label: string, danger = false): TemplateResult =>
    html`<button
      type="button"
      role="menuitem"
      tabindex="-1"
      class=${danger ? 'danger-item' : ''}
      data-action=${action}
      @click=${() => {
        menu.close();
        v.run(action, [token.id]);
      }}
    >
      ${label}
    </button>`;
  return html`<div
    part="menu"
    role="menu"
    aria-label=${s.rowActions(token.name || token.id)}
    .style=${v.position}
    @keydown=${menu.onKeydown}
    @focusout=${menu.onFocusout}
  >
    ${item('details', s.actionDetails)} ${item('copy-id', s.actionCopyId)} ${caps.update ? item('edit', s.actionEdit) : nothing}
    ${caps.clone && caps.create?.allowed !== false ? item('clone', s.actionClone) : nothing} ${caps.regenerate && decided ? item('regenerate', s.actionRegenerate) : nothing}
    ${token.rotation && caps.rotationGraceMaxSeconds > 0 && v.canEndGrace ? item('end-grace', s.actionEndGrace, true) : nothing}
    ${caps.disable && decided ? (token.status === 'disabled' ? item('enable', s.actionEnable) : item('disable', s.actionDisable, true)) : nothing}
    ${v.canDelete ? item('delete', s.actionDelete, true) : nothing}
  </div>`;
}
