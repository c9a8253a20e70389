/**
 * The list's "Disable unused…" flow, loaded on first use (a chunk of its own in the bundle): the
 * server's preview first (`dry_run`), its tokens listed in the one confirmation, then exactly those
 * disabled (a token used since the preview is spared by the server). Without a provider, the
 * tokens the filter shows are confirmed and handed to the host (`pat-token-action`, `handled: false`).
 */
import type { TokenMeta } from '../../lib/model.ts';
import type { TokenProvider } from '../../lib/provider.ts';
import type { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import { PatErrorEvent, PatRequestActionEvent, PatTokenActionEvent } from '../shared/events.ts';
import { messageOf } from '../shared/format.ts';
import type { PatLocale } from '../shared/locale.ts';
import type { PatStrings } from '../shared/strings.ts';
import { defaultDetailsStrings, type DetailsStrings } from '../token-details/token-details.strings.ts';

/** What the flow reads from and writes to the list. */
export interface DisableUnusedHost extends EventTarget {
  provider: TokenProvider | null;
  owner: string;
  tokens: TokenMeta[];
  /** The outcome line under the toolbar. */
  notice: string;
  busy: boolean;
}

export async function disableUnused(
  host: DisableUnusedHost,
  options: {
    days: number;
    /** The tokens the filter shows now (the preview without a provider). */
    shown: readonly TokenMeta[];
    dialog: PatConfirmDialog;
    locale: PatLocale;
    strings: Partial<PatStrings & DetailsStrings>;
  },
): Promise<void> {
  const { days, dialog } = options;
  const provider = host.provider;
  const s = { ...options.locale.strings, ...defaultDetailsStrings, ...options.locale.details, ...options.strings } as PatStrings & DetailsStrings;
  const shown = options.shown.filter((t) => t.status === 'active');
  if (!host.dispatchEvent(new PatRequestActionEvent({ action: 'disable-unused', ids: shown.map((t) => t.id), source: 'bulk' }))) return;
  host.notice = '';
  host.busy = true;
  try {
    const preview = provider?.disableUnusedTokens ? await provider.disableUnusedTokens({ days, owner: host.owner, dry_run: true }) : shown;
    if (preview.length === 0) {
      host.notice = s.unusedNone(days);
      return;
    }
    const admin = host.owner === 'all';
    const answer = await dialog.ask({
      title: s.confirmDisableUnusedTitle(preview.length),
      body: s.confirmDisableUnusedBody(days),
      confirmLabel: s.actionDisable,
      danger: true,
      items: preview.map((t) => (admin ? s.tokenOfOwner(t.name || t.id, t.owner.username) : t.name || t.id)),
    });
    if (!answer.confirmed) return;
    const ids = preview.map((t) => t.id);
    if (!provider?.disableUnusedTokens) {
      host.dispatchEvent(new PatTokenActionEvent({ action: 'disable-unused', ids, handled: false, unusedDays: days }));
      return;
    }
    const disabled = await provider.disableUnusedTokens({ days, owner: host.owner, ids, dry_run: false });
    const byId = new Map(disabled.map((t) => [t.id, t]));
    host.tokens = host.tokens.map((t) => byId.get(t.id) ?? t);
    host.notice = s.unusedDisabled(disabled.length);
    host.dispatchEvent(new PatTokenActionEvent({ action: 'disable-unused', ids: [...byId.keys()], handled: true, unusedDays: days }));
  } catch (error) {
    const { code, message } = messageOf(error);
    host.notice = message;
    host.dispatchEvent(new PatErrorEvent(code, message));
  } finally {
    host.busy = false;
  }
}
