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
import type { FailurePolicy } from './throttle.ts';

export interface PasswordConfirmationDeps {
  store: Store;
  passwordFailures: FailurePolicy;
  now: () => number;
}

export async function confirmPassword(deps: PasswordConfirmationDeps, caller: Caller, password: string | undefined, operation: string): Promise<void> {
  if (!(await deps.store.getSettings()).require_password_confirmation) return;
  await checkPassword(deps, caller, password, operation);
}

/** The same re-check whatever the policy says, for the few changes that always need it. */
export async function checkPassword(deps: PasswordConfirmationDeps, caller: Caller, password: string | undefined, operation: string): Promise<void> {
  const { principal, ip } = caller;
  const wait = await deps.passwordFailures.retryAfter(ip, principal.user.id);
  if (wait > 0) throw problems.rateLimited(wait);
  if (password === undefined || password === '') {
    throw new Problem(403, 'password_confirmation_required', `Enter your password to ${operation}.`);
  }
  const user = await deps.store.getUser(principal.user.id);
  const ok = await verifyPassword(password, user?.password_hash ?? null);
  if (!ok) {
    await deps.passwordFailures.fail(ip, principal.user.id);
    await deps.store.appendAudit(auditEntry(deps, caller, 'password.check_failed', { owner_id: principal.user.id, detail: { operation } }));
    throw new Problem(403, 'password_incorrect', 'That password is not correct.');
  }
  await deps.passwordFailures.succeed(principal.user.id);
}
