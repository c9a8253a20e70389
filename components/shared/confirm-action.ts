/**
 * One confirmation per token change: the question and, when the server wants it, the password in
 * the same dialog. Shared by the list and the wizard so no flow asks twice.
 */
import type { Confirmation } from '../../lib/model.ts';
import type { ProviderCapabilities, TokenProvider } from '../../lib/provider.ts';
import type { ConfirmRequest, PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import { messageOf, needsPassword } from './format.ts';

/**
 * Providers whose server answered `password_confirmation_required` although their capabilities did
 * not say so (policy not loaded yet, or switched on since): later questions include the password.
 */
const learnedPasswordPolicy = new WeakSet<TokenProvider>();

/** The server behind `provider` asked for the password: include it from now on. */
export function rememberPasswordPolicy(provider: TokenProvider): void {
  learnedPasswordPolicy.add(provider);
}

/** Whether a change through `provider` must carry the caller's password. */
export function passwordWanted(provider: TokenProvider | null, caps: ProviderCapabilities, forced: boolean): boolean {
  // Property mode: the host carries the change out and asks for what its server needs.
  if (!provider) return false;
  return forced || caps.passwordConfirmation === 'always' || learnedPasswordPolicy.has(provider);
}

/** What {@link confirmThenRun} returns when the user said no. */
export const CANCELLED: unique symbol = Symbol('cancelled');

/**
 * Asks `question` (with a password field when `withPassword`), then runs `change` with the answer
 * (the password, and the value picked for the question's `choice`, which a password retry keeps).
 * Only when the server still refuses for the password (policy unknown up front, or a wrong
 * password) does it ask again, for the password alone and saying why; the provider is remembered
 * so its next question includes the password at once. Other errors are thrown to the caller.
 */
export async function confirmThenRun<T>(
  dialog: PatConfirmDialog,
  question: ConfirmRequest,
  options: { provider: TokenProvider; withPassword: boolean; passwordHelp: string; askFirst?: boolean },
  change: (confirm: Confirmation | undefined, choice: string | undefined) => Promise<T>,
): Promise<T | typeof CANCELLED> {
  let password: string | undefined;
  let choice: string | undefined;
  // A harmless change (enable without a password policy) runs without a question.
  if (options.askFirst !== false || options.withPassword) {
    const first = await dialog.ask({ ...question, password: options.withPassword });
    if (!first.confirmed) return CANCELLED;
    password = first.password;
    choice = first.choice;
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      const result = await change(password === undefined ? undefined : { password }, choice);
      dialog.settle();
      return result;
    } catch (error) {
      if (!needsPassword(error) || attempt >= 3) {
        dialog.settle();
        throw error;
      }
      rememberPasswordPolicy(options.provider);
      const { code, message } = messageOf(error);
      const again = await dialog.ask({
        title: question.title,
        body: options.passwordHelp,
        confirmLabel: question.confirmLabel,
        password: true,
        ...(code === 'password_incorrect' ? { passwordError: message } : {}),
        ...(question.danger ? { danger: true } : {}),
      });
      if (!again.confirmed) return CANCELLED;
      password = again.password;
    }
  }
}
