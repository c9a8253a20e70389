/**
 * Reports of leaked credentials (GitHub's credential revocation shape, no credential needed): every
 * matching token is disabled. Every report counts against the reporter's IP, and the answer is the
 * same whatever matched, so a report tells the reporter nothing about what exists.
 */
import type { AppContext } from '../app-context.ts';
import { credentialKind, digestCredential } from '../auth/credentials.ts';
import { Problem } from '../http/problems.ts';

export const LEAK_REPORT_ACCEPTED = { message: 'Thank you. Any of these credentials that are tokens of this server are now disabled.' };

export async function reportLeakedCredentials(ctx: AppContext, ip: string, credentials: string[]): Promise<void> {
  // Counted in the shared counters on PostgreSQL, so several instances give no more reports.
  const wait = await ctx.leakReports.retryAfter(ip, null);
  if (wait > 0) throw new Problem(429, 'rate_limited', `Too many reports from this address. Try again in ${wait} seconds.`, { retryAfter: wait });
  await ctx.leakReports.fail(ip, null);
  const digests = [...new Set(credentials)].filter((c) => credentialKind(c) === 'pat').map((c) => digestCredential(ctx.pepper, c));
  if (digests.length) await ctx.store.reportLeakedTokens(digests, new Date(ctx.now()).toISOString(), ip);
}
