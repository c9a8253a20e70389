/**
 * Preconditions a write re-checks on the row it is about to change, inside its own transaction (under
 * the row lock on PostgreSQL, in the one synchronous `BEGIN IMMEDIATE` transaction on SQLite), so no
 * check the caller made earlier can be overtaken by a concurrent change (docs/security.md rule 27).
 * A precondition that no longer holds is a `ConflictError` (a 409 to the client): nothing is written.
 */
import { ConflictError } from './errors.ts';
import type { Row } from './row-mapping.ts';

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}

/** Active at `at`: not disabled and not expired (ISO times compare as text). */
export function activeAt(row: Row, at: string): boolean {
  return !isTrue(row.disabled) && (row.expires_at === null || (row.expires_at as string) > at);
}

/** A grace period is given only to a token that is still active when the new secret is written. */
export function requireActiveForGrace(row: Row, at: string): void {
  if (activeAt(row, at)) return;
  throw new ConflictError(
    'The token was disabled, reported or expired while it was being regenerated: nothing changed. Only an active token keeps its old secret for a grace period.',
    'grace_period_seconds',
  );
}

/** The row is still the version the caller decided on (its `updated_at`), else nothing is written. */
export function requireUnchanged(row: Row, seen: string | undefined): void {
  if (seen === undefined || row.updated_at === seen) return;
  throw new ConflictError('The token changed (disabled, reported, regenerated or edited) while this request was being checked: nothing changed. Read it again.', 'token');
}

/** After a change, `active` users still hold the role it must keep (the last System Admin). */
export function requireRoleKept(active: number, role: string): void {
  if (active > 0) return;
  throw new ConflictError(`No other active user holds the role ${role}: this change would leave none. Give another user the role first.`, 'roles');
}

/** The creator of an organisation or group token is still an admin there (`rows`: their admin memberships found). */
export function requireStillAdmin(rows: number): void {
  if (rows > 0) return;
  throw new ConflictError('Your admin role in this organization or group ended meanwhile: nothing changed.', 'role');
}

/** A token is only written for an owner who is still active. */
export function requireActiveUser(row: Row | undefined, field: string): void {
  if (row !== undefined && isTrue(row.active)) return;
  throw new ConflictError('The account was deactivated or deleted meanwhile: nothing changed.', field);
}

/**
 * A session is written only while its user is active and still has the password hash the sign-in was
 * checked against: a password change or a deactivation ends sessions, and one that lands during the
 * (slow) check must end this one too. `row` is the user's `active` and `same_password`.
 */
export function requireSameSignIn(row: Row | undefined): void {
  requireActiveUser(row, 'username');
  // `same_password`: the database compared the stored hash with the one the sign-in checked.
  if (isTrue(row!.same_password)) return;
  throw new ConflictError('The password was changed while signing in: nothing changed. Sign in again.', 'password');
}
