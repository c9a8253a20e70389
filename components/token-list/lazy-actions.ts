/**
 * The list's later part (later.ts: the confirmation, the actions, the row menu and keyboard, "Disable
 * unused…", the details view, the reveal dialog): fetched once, when the list is idle after its
 * first render or on first need; the confirmation is defined as `<pat-confirm-dialog>` (where the
 * name is free) before anything that may ask it runs.
 */
import { PatErrorEvent } from '../shared/events.ts';
import { messageOf } from '../shared/format.ts';
import { defineLazy, type ClassLoader } from '../shared/register.ts';
import type { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import type { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import type { TokenActions, TokenActionsHost, TokenActionsOptions } from '../shared/token-actions.ts';

export type Later = typeof import('./later.ts');

let later: Promise<Later> | null = null;
/** The later part once it has arrived (the row menu renders from it). */
export let laterLoaded: Later | null = null;

/** Fetches the later part (once; retried after a failed fetch) and defines the confirmation from it. */
export function loadLater(confirmDialog: ClassLoader<typeof PatConfirmDialog>): Promise<Later> {
  later ??= import('./later.ts').then(async (parts) => {
    if (!customElements.get('pat-confirm-dialog')) await defineLazy('pat-confirm-dialog', confirmDialog);
    return (laterLoaded = parts);
  });
  later.catch(() => (later = null));
  return later;
}

/** Runs `load` when the browser is idle (soon after the first render; at most 2 s later on a busy page). */
export function whenIdle(load: () => unknown): void {
  const run = (): void => void Promise.resolve().then(load).catch(() => undefined);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 1);
}

/** The actions' options, with the loaders of the reveal dialog (defined on the first regenerate) and of the confirmation. */
export type LazyActionsOptions = Omit<TokenActionsOptions, 'revealDialog'> & {
  revealDialog: ClassLoader<typeof PatRevealDialog>;
  confirmDialog: ClassLoader<typeof PatConfirmDialog>;
};

/** `run(action, ids, source)`, its TokenActions made on first use; a failed fetch is said like any failure, and retried next time. */
export function lazyActions(host: TokenActionsHost, lazy: LazyActionsOptions): TokenActions['run'] {
  const { confirmDialog, ...rest } = lazy;
  const options: TokenActionsOptions = { ...rest, revealDialog: () => defineLazy('pat-reveal-dialog', lazy.revealDialog) };
  let actions: TokenActions | null = null;
  return (action, ids, source) =>
    loadLater(confirmDialog).then(
      (parts) => (actions ??= new parts.TokenActions(host, { ...options, text: () => ({ ...parts.confirmStrings, ...options.text() }) })).run(action, ids, source),
      (error: unknown) => {
        const { code, message } = messageOf(error);
        options.announce(message);
        host.dispatchEvent(new PatErrorEvent(code, message));
      },
    );
}
