import type { Confirmation, CreatedToken, TokenMeta } from '../../lib/model.ts';
import type { ProviderCapabilities, RegenerateOptions, TokenProvider } from '../../lib/provider.ts';
import type { ConfirmRequest, PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import type { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import { CANCELLED, confirmThenRun, passwordWanted } from './confirm-action.ts';
import {
  DESTRUCTIVE_ACTIONS,
  PatErrorEvent,
  PatRequestActionEvent,
  PatTokenActionEvent,
  PatTokenSavedEvent,
  type TokenAction,
} from './events.ts';
import { daysFromNow, messageOf } from './format.ts';
import type { PatLocale } from './locale.ts';
import type { PatStrings } from './strings.ts';
import { requireOperation } from '../../lib/providers/require-operation.ts';

/** The grace periods a regenerate offers (seconds), as far as the server allows. */
const GRACE_PRESETS = [3600, 86_400, 604_800];

/** The lifetimes (days) a regenerate offers a token over the lifetime policy. */
const LIFETIME_PRESETS = [7, 30, 90, 365];
/** A choice value naming a new expiry rather than a grace period. */
const EXPIRY = 'expiry:';

/** Compliant lifetimes for a server whose cap is `max` days (null: no cap known): presets within it, and the cap itself. */
export function compliantLifetimes(max: number | null): number[] {
  if (!max || max < 1) return LIFETIME_PRESETS.slice(0, 3);
  const within = LIFETIME_PRESETS.filter((d) => d < max);
  return [...within, max];
}

/** Grace choices for a server whose maximum is `max` seconds: none, then each preset within it (or the maximum itself). */
export function graceOptions(max: number): number[] {
  if (!(max > 0)) return [];
  const fitting = GRACE_PRESETS.filter((s) => s <= max);
  return [0, ...(fitting.length ? fitting : [max])];
}

/** What a confirmed regenerate carries: the grace period picked, or the compliant expiry (ISO) for a token over the lifetime policy. */
type RegenerateAnswer = { gracePeriodSeconds?: number; expiresAt?: string };

/** What the actions need from the component that runs them (the list, the wizard's edit view). */
export interface TokenActionsHost extends EventTarget {
  provider: TokenProvider | null;
  passwordRequired: boolean;
  revealContainer: Node | null;
  strings: Partial<PatStrings>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface TokenActionsOptions {
  dialog: () => PatConfirmDialog;
  /**
   * The reveal dialog's class, defined (the list loads it on first regenerate, a chunk of its own).
   * Awaited before the provider regenerates, so the new secret goes straight to the dialog.
   */
  revealDialog: () => Promise<typeof PatRevealDialog>;
  capabilities: () => ProviderCapabilities;
  /** The strings in effect (locale plus overrides). */
  text: () => PatStrings;
  /** The locale in effect, for the words only this lazily loaded code shows (its `details`); English without one. */
  locale?: () => PatLocale;
  /** Says something to the user (the list: its live region; the wizard: its error line). */
  announce: (text: string) => void;
  /** The server deleted tokens or returned a changed one: the host updates what it shows. */
  changed?: (change: { deleted: ReadonlySet<string> } | { updated: TokenMeta }) => void;
  /** The name of a token the host shows (the delete confirmation names a single token). */
  nameOf?: (id: string) => string | undefined;
  /** A token the host shows (the end-of-grace question names the old value's last characters). */
  tokenOf?: (id: string) => TokenMeta | undefined;
}

/**
 * Confirm-then-run for token actions (the list's row and bulk actions, the wizard's regenerate): the cancelable `pat-request-action` first, then one
 * confirmation for destructive ones (with the password in it when the server wants one), then the
 * provider (delete / disable / enable / regenerate) or the host (the rest, and everything without
 * a provider), then `pat-token-action`. Failures are announced and sent as `pat-error`.
 * It keeps no state between renders, so it is a plain object its host owns, not a ReactiveController.
 */
export class TokenActions {
  readonly #host: TokenActionsHost;
  readonly #options: TokenActionsOptions;

  constructor(host: TokenActionsHost, options: TokenActionsOptions) {
    this.#host = host;
    this.#options = options;
  }

  /**
   * The regenerate question: with the grace choice where the server keeps old values working; for a
   * token whose lifetime exceeds the policy (refused at use, so a grace would keep nothing working)
   * the choice is a compliant expiry instead.
   */
  async #regenerateQuestion(s: PatStrings, token: TokenMeta | undefined): Promise<ConfirmRequest> {
    const caps = this.#options.capabilities();
    const options = graceOptions(caps.rotationGraceMaxSeconds);
    // Stays open, busy, until the new value is there: regenerating can take a second or two.
    const base = { title: s.confirmRegenerateTitle, confirmLabel: s.actionRegenerate, danger: true, busyLabel: s.regenerating };
    if (token?.lifetime_exceeds_policy) {
      // Its words ship with the details view's strings, fetched only for such a token (the wizard shares this code).
      const { defaultDetailsStrings } = await import('../token-details/token-details.strings.ts');
      const d = { ...defaultDetailsStrings, ...this.#options.locale?.().details };
      const max = caps.expiry.maxLifetimeDays;
      const days = compliantLifetimes(max);
      const preferred = caps.expiry.defaultLifetimeDays;
      const picked = preferred && days.includes(preferred) ? preferred : days[days.length - 1]!;
      return {
        ...base,
        body: d.confirmRegenerateCompliantBody(max),
        choice: { label: d.regenerateExpiryLabel, value: `${EXPIRY}${picked}`, options: days.map((n) => ({ value: `${EXPIRY}${n}`, label: d.regenerateExpiryIn(n) })) },
      };
    }
    if (options.length === 0) return { ...base, body: s.confirmRegenerateBody };
    return {
      ...base,
      body: s.confirmRegenerateGraceBody,
      choice: { label: s.graceLabel, value: '0', options: options.map((v) => ({ value: String(v), label: v ? s.graceFor(v) : s.graceNone })) },
    };
  }

  /** The confirmation for `action` on `ids`. */
  #question(action: TokenAction, ids: string[], s: PatStrings): ConfirmRequest | Promise<ConfirmRequest> {
    const id = ids[0]!;
    if (action === 'delete') {
      const name = ids.length === 1 ? this.#options.nameOf?.(id) : undefined;
      return { title: s.confirmDeleteTitle(ids.length, name), body: s.confirmDeleteBody(ids.length, name), confirmLabel: s.actionDelete, danger: true };
    }
    const named = ids.length === 1 ? this.#options.nameOf?.(id) : undefined;
    if (action === 'disable') return { title: named ? s.confirmDisableTitleNamed(named) : s.confirmDisableTitle, body: s.confirmDisableBody, confirmLabel: s.actionDisable, danger: true };
    if (action === 'regenerate') return this.#regenerateQuestion(s, this.#options.tokenOf?.(id));
    if (action === 'end-grace') {
      const last4 = this.#options.tokenOf?.(id)?.rotation?.previous_last4 ?? '';
      return { title: s.confirmEndGraceTitle, body: s.confirmEndGraceBody(last4), confirmLabel: s.actionEndGrace, danger: true };
    }
    return { title: named ? s.confirmEnableTitleNamed(named) : s.actionEnable, body: s.confirmPasswordHelp, confirmLabel: s.actionEnable };
  }

  async #copyId(id: string, s: PatStrings): Promise<void> {
    try {
      await navigator.clipboard.writeText(id);
      this.#options.announce(s.idCopied);
    } catch {
      this.#options.announce(s.idCopyFailed(id));
    }
  }

  /** Carries out a confirmed `action` through the provider and tells the host what changed. */
  async #change(action: TokenAction, ids: string[], provider: TokenProvider, confirm: Confirmation | undefined, answer: RegenerateAnswer): Promise<void> {
    const host = this.#host;
    const id = ids[0]!;
    const s = this.#options.text();
    if (action === 'delete') {
      const deleted = ids.length > 1 ? await requireOperation(provider, 'bulkDeleteTokens')(ids, confirm) : (await requireOperation(provider, 'deleteToken')(id, confirm), ids);
      this.#options.changed?.({ deleted: new Set(deleted) });
    } else if (action === 'regenerate') {
      const PatRevealDialog = await this.#options.revealDialog();
      // Over the lifetime policy the compliant expiry travels with the regenerate: the server counts it
      // from now there, while a separate change of expiry would count from the first issue.
      const options: RegenerateOptions = {
        ...(answer.gracePeriodSeconds ? { gracePeriodSeconds: answer.gracePeriodSeconds } : {}),
        ...(answer.expiresAt ? { expiresAt: answer.expiresAt } : {}),
      };
      const regenerate = requireOperation(provider, 'regenerateToken');
      let created: CreatedToken | null = Object.keys(options).length ? await regenerate(id, confirm, options) : await regenerate(id, confirm);
      const meta = created.token;
      // The busy question gives way to the reveal (focus back on the opener first, for the reveal to return to).
      this.#options.dialog().settle();
      // The secret goes straight to the reveal dialog; no reference stays here.
      void PatRevealDialog.reveal(created, { container: host.revealContainer ?? host.renderRoot, strings: host.strings });
      created = null;
      this.#options.changed?.({ updated: meta });
      host.dispatchEvent(new PatTokenSavedEvent({ mode: 'regenerate', token: meta }));
    } else if (action === 'end-grace') {
      this.#options.changed?.({ updated: await provider.endGrace!(id) });
      this.#options.announce(s.graceEnded);
    } else {
      const updated = action === 'disable' ? await requireOperation(provider, 'disableToken')(id) : await requireOperation(provider, 'enableToken')(id, confirm);
      this.#options.changed?.({ updated });
    }
  }

  async run(action: TokenAction, ids: string[], source: 'menu' | 'bulk' | 'keyboard'): Promise<void> {
    const host = this.#host;
    if (ids.length === 0) return;
    if (!host.dispatchEvent(new PatRequestActionEvent({ action, ids, source }))) return;
    const s = this.#options.text();
    if (action === 'copy-id') {
      await this.#copyId(ids[0]!, s);
      host.dispatchEvent(new PatTokenActionEvent({ action, ids, handled: true }));
      return;
    }
    const provider = host.provider;
    const dialog = this.#options.dialog();
    const question = await this.#question(action, ids, s);
    // A regenerate's pick: a grace period, or (over the lifetime policy) a compliant expiry, fixed once.
    const grace = (choice: string | undefined): RegenerateAnswer => {
      if (action !== 'regenerate' || !choice) return {};
      if (choice.startsWith(EXPIRY)) return { expiresAt: daysFromNow(Number(choice.slice(EXPIRY.length))) };
      const seconds = Number(choice);
      return seconds > 0 ? { gracePeriodSeconds: seconds } : {};
    };
    const viaProvider =
      provider &&
      (action === 'delete' || action === 'disable' || action === 'enable' || action === 'regenerate' || (action === 'end-grace' && provider.endGrace));
    if (!viaProvider) {
      // The host (or the manager) carries it out; destructive ones are still confirmed here.
      let choice: string | undefined;
      if (DESTRUCTIVE_ACTIONS.has(action)) {
        const answer = await dialog.ask(question);
        if (!answer.confirmed) return;
        choice = answer.choice;
      }
      host.dispatchEvent(new PatTokenActionEvent({ action, ids, handled: false, ...grace(choice) }));
      return;
    }
    let picked: RegenerateAnswer = {};
    try {
      // One dialog: the question, plus the password when the server wants it (disable never does).
      const withPassword = action !== 'disable' && action !== 'end-grace' && passwordWanted(provider, this.#options.capabilities(), host.passwordRequired);
      const done = await confirmThenRun(
        dialog,
        question,
        { provider, withPassword, passwordHelp: s.confirmPasswordHelp, askFirst: DESTRUCTIVE_ACTIONS.has(action) },
        (confirm, choice) => {
          picked = grace(choice);
          return this.#change(action, ids, provider, confirm, picked);
        },
      );
      if (done === CANCELLED) return;
      host.dispatchEvent(new PatTokenActionEvent({ action, ids, handled: true, ...picked }));
    } catch (error) {
      const { code, message } = messageOf(error);
      this.#options.announce(message);
      host.dispatchEvent(new PatErrorEvent(code, message));
    }
  }
}
