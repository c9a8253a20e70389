/**
 * Reports of leaked credentials (GitHub's credential revocation shape, no credential needed): every
 * matching token is disabled. Every report takes one use of the reporter's IP quota, and the answer
 * is the same, in the same time, whatever matched (docs/security.md rule 33): the request path does
 * the same work for every report (quota, digests, queue) and the matching and writing happen after
 * the answer, in the `LeakReportQueue`.
 */
import type { AppContext } from '../app-context.ts';
import { credentialKind, digestCredential } from '../auth/credentials.ts';
import { Problem } from '../http/problems.ts';

export const LEAK_REPORT_ACCEPTED = { message: 'Thank you. Any of these credentials that are tokens of this server will be disabled within moments.' };

export async function reportLeakedCredentials(ctx: AppContext, ip: string, credentials: string[]): Promise<void> {
  // One statement takes the use and tests the limit, shared by every instance (docs/security.md rule 28).
  const wait = await ctx.leakReports.take(ip);
  if (wait > 0) throw new Problem(429, 'rate_limited', `Too many reports from this address. Try again in ${wait} seconds.`, { retryAfter: wait });
  const digests = [...new Set(credentials)].filter((c) => credentialKind(c) === 'pat').map((c) => digestCredential(ctx.pepper, c));
  if (!ctx.leakReportQueue.enqueue({ digests, at: new Date(ctx.now()).toISOString(), ip })) {
    throw new Problem(503, 'busy', 'Too many reports are waiting to be processed. Try again in a minute.', { retryAfter: 60 });
  }
}
