/**
 * The popup's "Organization and group tokens" section: the tokens of every organisation and group
 * the user manages, grouped under one heading per organisation / group, each with its status and
 * "Revoke" (temporary disable) / "Enable" / "Delete" (permanent). Everything goes through the
 * background; server strings are set as text only (docs/security.md rule 21).
 */
import { send } from '../../extension/messaging/remote-provider.ts';
import { t } from '../../extension/i18n.ts';
import type { ScopedTokenGroup } from '../../extension/messaging/protocol.ts';
import type { TokenMeta } from '../../lib/model.ts';

export interface ScopedTokensOptions {
  serverId: string;
  passwordRequired: boolean;
  /** Asks for the password (kit dialog); `null` when cancelled. */
  askPassword(confirmLabel: string, tokenName?: string): Promise<string | null>;
  /** Asks "Delete … permanently?" (kit dialog). */
  confirmDelete(name: string): Promise<boolean>;
  onError(message: string): void;
  /** False once the popup moved to another server: drop this answer. */
  stillCurrent(): boolean;
}

const STATUS: Record<TokenMeta['status'], string> = { active: 'popupStatusActive', disabled: 'popupStatusRevoked', expired: 'popupStatusExpired', pending: 'popupStatusPending', denied: 'popupStatusDenied' };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Loads and renders the section into `container`; hides it when the user manages no such tokens. */
export async function renderScopedTokens(container: HTMLElement, options: ScopedTokensOptions): Promise<void> {
  let groups: ScopedTokenGroup[];
  try {
    groups = await send('orgs.tokens', { serverId: options.serverId });
  } catch (e) {
    if (!options.stillCurrent()) return;
    // Offline: keep what is shown (the popup re-renders once the server answers again).
    const offline = (e as { code?: unknown }).code === 'offline';
    if (!offline || container.childElementCount === 0) container.hidden = true;
    if (!offline) options.onError(e instanceof Error ? e.message : String(e));
    return;
  }
  if (!options.stillCurrent()) return;
  container.hidden = groups.length === 0;
  const rerender = (): Promise<void> => renderScopedTokens(container, options);
  const act = async (run: () => Promise<unknown>): Promise<void> => {
    try {
      await run();
    } catch (e) {
      options.onError(e instanceof Error ? e.message : String(e));
    }
    await rerender();
  };
  const confirmation = async (label: string, tokenName: string): Promise<{ password: string } | undefined | null> => {
    if (!options.passwordRequired) return undefined;
    const password = await options.askPassword(label, tokenName);
    return password === null ? null : { password };
  };
  const row = (token: TokenMeta): HTMLElement => {
    const buttons: HTMLButtonElement[] = [];
    const button = (label: string, onClick: () => void, kind: 'secondary' | 'danger' = 'secondary'): void => {
      const b = el('button', { type: 'button', class: kind, 'aria-label': t('popupActionOn', label, token.name) }, label);
      b.addEventListener('click', onClick);
      buttons.push(b);
    };
    if (token.status === 'disabled') {
      button(t('popupEnable'), () => void act(async () => {
        const confirm = await confirmation(t('popupEnableToken'), token.name);
        if (confirm !== null) await send('tokens.enable', { serverId: options.serverId, tokenId: token.id, ...(confirm ? { confirm } : {}) });
      }));
    } else if (token.status === 'active') {
      button(t('popupRevoke'), () => void act(() => send('tokens.disable', { serverId: options.serverId, tokenId: token.id })));
    }
    button(t('popupDelete'), () => void act(async () => {
      if (!(await options.confirmDelete(token.name))) return;
      const confirmed = await confirmation(t('popupDeleteToken'), token.name);
      if (confirmed !== null) await send('tokens.delete', { serverId: options.serverId, tokenId: token.id, ...(confirmed ? { confirm: confirmed } : {}) });
    }), 'danger');
    return el(
      'li',
      { 'data-token-id': token.id },
      el('span', { class: 'name' }, token.name),
      el('span', { class: `state ${token.status}` }, t(STATUS[token.status])),
      el('span', { class: 'actions' }, ...buttons),
    );
  };
  container.replaceChildren(
    el('h2', {}, t('popupOrgHeading')),
    ...groups.map((group, index) => {
      const heading = el('h3', { id: `scoped-${index}` }, group.label, el('span', { class: 'kind' }, t(group.owner.kind === 'organization' ? 'popupOrgKind' : 'popupGroupKind')));
      const items = group.tokens.length ? el('ul', {}, ...group.tokens.map(row)) : el('p', { class: 'none' }, t('popupNoTokens'));
      return el('section', { class: 'scoped-group', 'aria-labelledby': `scoped-${index}` }, heading, items);
    }),
  );
}
