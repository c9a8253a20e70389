/**
 * Signing in with username and password: throttled per IP and per account (docs/security.md rule 12),
 * every failure audited (docs/security.md rule 13), a technical user never signs in; a success is a new session whose
 * credential is returned once and stored only as a peppered digest.
 */
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { Problem, problems } from '../http/problems.ts';
import type { UserRecord, UserWithPassword } from '../store/store.ts';
import { digestCredential, generateSessionCredential, publicId } from '../auth/credentials.ts';
import { verifyPassword } from '../auth/passwords.ts';
import type { Principal } from '../auth/principal.ts';

export const SESSION_MS = 12 * 3_600_000;
export const REMEMBERED_SESSION_MS = 30 * 86_400_000;

export interface SignInRequest {
  username: string;
  password: string;
  mode: 'bearer' | 'cookie';
  remember: boolean;
}

export interface SignedIn {
  user: UserRecord;
  credential: string;
  expiresAt: string;
}

/**
 * The password check behind a sign-in. The attempt takes its throttle slot before the hash runs
 * and only a success gives it back, so a burst cannot all pass the limit (docs/security.md rule 28).
 * A name that matches no account is counted under that name, exactly like an account.
 */
async function checkPassword(ctx: AppContext, ip: string, username: string, password: string): Promise<UserWithPassword> {
  const user = await ctx.store.getUserByUsername(username);
  const account = user ? user.id : { name: username };
  const leave = ctx.passwordHashing.enter(ip, user ? user.id : `name:${username.toLowerCase()}`);
  try {
    const { retryAfter, slots } = await ctx.signInFailures.take(ip, account);
    if (retryAfter > 0) throw problems.rateLimited(retryAfter);
    // A hash that could not run is no failed guess: its slot goes back.
    const ok = await verifyPassword(password, user?.kind === 'person' ? user.password_hash : null).catch(async (error: unknown) => {
      await ctx.signInFailures.refund(slots);
      throw error;
    });
    if (ok && user && user.active) {
      await ctx.signInFailures.succeed(account, slots);
      return user;
    }
    const inactive = ok && user !== null && !user.active;
    await ctx.store.appendAudit({
      ...auditEntry(ctx, { principal: null, ip }, 'session.sign_in_failed', { owner_id: user?.id ?? null }),
      detail: { username: username.slice(0, 64), reason: inactive ? 'user_inactive' : 'invalid_credentials' },
    });
    if (inactive) throw new Problem(401, 'user_inactive', 'This account is deactivated.');
    throw new Problem(401, 'invalid_credentials', 'The username or password is not correct.');
  } finally {
    leave();
  }
}

export async function signIn(ctx: AppContext, ip: string, request: SignInRequest): Promise<SignedIn> {
  const user = await checkPassword(ctx, ip, request.username, request.password);
  const credential = generateSessionCredential();
  const expiresAt = new Date(ctx.now() + (request.remember ? REMEMBERED_SESSION_MS : SESSION_MS)).toISOString();
  const principal: Principal = { user, permissions: [], effective: new Set<string>(), via: 'session', tokenId: null, sessionId: null, resources: [] };
  await ctx.store.createSession(
    { id: publicId('ses'), digest: digestCredential(ctx.pepper, credential), user_id: user.id, password_hash: user.password_hash, mode: request.mode, created_at: nowIso(ctx), expires_at: expiresAt },
    auditEntry(ctx, { principal, ip }, 'session.signed_in', { owner_id: user.id, detail: { mode: request.mode } }),
  );
  return { user, credential, expiresAt };
}
