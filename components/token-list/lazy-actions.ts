/**
 * The list's row, bulk and keyboard actions (shared/token-actions.ts: confirm-then-run, the password
 * question, the provider's errors) are a chunk of their own, fetched on the first action, so a page
 * that only shows tokens does not pay for them up front.
 */
import { PatErrorEvent } from '../shared/events.ts';
import { messageOf } from '../shared/format.ts';
import { defineLazy, type ClassLoader } from '../shared/register.ts';
import type { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import type { TokenActions, TokenActionsHost, TokenActionsOptions } from '../shared/token-actions.ts';

/** The actions' options, with the reveal dialog's loader (defined as `<pat-reveal-dialog>` on the first regenerate). */
export type LazyActionsOptions = Omit<TokenActionsOptions, 'revealDialog'> & { revealDialog: ClassLoader<typeof PatRevealDialog> };

/** `run(action, ids, source)`, its TokenActions made on first use; a failed fetch is said like any failure, and retried next time. */
export function lazyActions(host: TokenActionsHost, lazy: LazyActionsOptions): TokenActions['run'] {
  const options: TokenActionsOptions = { ...lazy, revealDialog: () => defineLazy('pat-reveal-dialog', lazy.revealDialog) };
  let actions: Promise<TokenActions> | null = null;
  return (action, ids, source) => {
    if (!actions) {
      actions = import('../shared/token-actions.ts').then(({ TokenActions }) => new TokenActions(host, options));
      actions.catch(() => (actions = null));
    }
    return actions.then(
      (loaded) => loaded.run(action, ids, source),
      (error: unknown) => {
        const { code, message } = messageOf(error);
        options.announce(message);
        host.dispatchEvent(new PatErrorEvent(code, message));
      },
    );
  };
}

