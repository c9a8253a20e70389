/**
 * Re-checks the caller's password when the server policy asks for it (docs/security.md rule 10), or
 * always for the changes that need it whatever the policy (docs/security.md rule 31);
 * throttled per IP and per account (docs/security.md rule 12), and every failure is audited (docs/security.md rule 13).
 */
import { auditEntry } from '../audit/audit-entry.ts';
import { Problem, problems } from '../http/problems.ts';
import type { Store } from '../store/store.ts';
import { verifyPassword } from './passwords.ts';
import type { Caller } from './principal.ts';
import type { HashGate } from './hash-gate.ts';
import type { FailurePolicy } from './throttle.ts';

export interface PasswordConfirmationDeps {
  store: Store;
  passwordFailures: FailurePolicy;
  passwordHashing: HashGate;
  now: () => number;
}

/**
 * The attempt takes its throttle slot before the hash runs and only a success gives it back, so a
 * burst of guesses cannot all pass the limit (docs/security.md rule 28).
 */
export async function confirmPassword(deps: PasswordConfirmationDeps, caller: Caller, password: string | undefined, operation: string): Promise<void> {
  if (!(await deps.store.getSettings()).require_password_confirmation) return;
  await checkPassword(deps, caller, password, operation);
}

/** The same re-check whatever the policy says, for the few changes that always need it. */
export async function checkPassword(deps: PasswordConfirmationDeps, caller: Caller, password: string | undefined, operation: string): Promise<void> {
  const { principal, ip } = caller;
  const account = principal.user.id;
  if (password === undefined || password === '') {
    const wait = await deps.passwordFailures.retryAfter(ip, account);
    if (wait > 0) throw problems.rateLimited(wait);
    throw new Problem(403, 'password_confirmation_required', `Enter your password to ${operation}.`);
  }
  const leave = deps.passwordHashing.enter(ip, account);
  try {
    const { retryAfter, slots } = await deps.passwordFailures.take(ip, account);
    if (retryAfter > 0) throw problems.rateLimited(retryAfter);
    // A check that could not run (the database is away) is no failed guess: its slot goes back.
    const verified = deps.store
      .getUser(account)
      .then((user) => verifyPassword(password, user?.password_hash ?? null))
      .catch(async (error: unknown) => {
        await deps.passwordFailures.refund(slots);
        throw error;
      });
    if (!(await verified)) {
      await deps.store.appendAudit(auditEntry(deps, caller, 'password.check_failed', { owner_id: account, detail: { operation } }));
      throw new Problem(403, 'password_incorrect', 'That password is not correct.');
    }
    await deps.passwordFailures.succeed(account, slots);
  } finally {
    leave();
  }
}
