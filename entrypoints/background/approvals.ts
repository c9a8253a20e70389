/**
 * Token approval as the toolbar shows it. Pure functions: which of the user's own requests were
 * decided since the last listing (for the requester's notification), the notification's words,
 * and the toolbar title when approvers have requests waiting beside expiring tokens.
 */
import type { TokenMeta } from '../../lib/model.ts';
import type { Say } from './expiry.ts';

const english: Say = (_key, _subs, text) => text;

/**
 * Tokens whose request was pending in `before` and is decided (approved or denied) in `after`.
 * A token seen for the first time already decided is not news: nothing was waiting for it here.
 */
export function decidedSince(before: TokenMeta[], after: TokenMeta[]): TokenMeta[] {
  const wasPending = new Set(before.filter((t) => t.approval?.state === 'pending').map((t) => t.id));
  return after.filter((t) => wasPending.has(t.id) && (t.approval?.state === 'approved' || t.approval?.state === 'denied'));
}

/** The notification a requester gets when a request is decided: who decided, and the reason of a denial. */
export function decisionNotification(token: TokenMeta, server: string, say: Say = english): { title: string; message: string } {
  const by = token.approval?.decided_by?.username ?? '';
  if (token.approval?.state === 'approved') {
    return {
      title: say('notifyRequestApprovedTitle', [token.name], `Token request approved: ${token.name}`),
      message: by
        ? say('notifyRequestApprovedBy', [token.name, server, by], `${token.name} (${server}) was approved by ${by}. It works now.`)
        : say('notifyRequestApproved', [token.name, server], `${token.name} (${server}) was approved. It works now.`),
    };
  }
  const reason = token.approval?.reason ?? '';
  return {
    title: say('notifyRequestDeniedTitle', [token.name], `Token request denied: ${token.name}`),
    message: say('notifyRequestDenied', [token.name, server, reason], `${token.name} (${server}) was denied: ${reason}`),
  };
}

/** The toolbar title: what the badge's number counts (expiring tokens, requests awaiting approval, or both). */
export function actionTitle(expiring: number, days: number, pending: number, say: Say = english): string {
  const d = String(days);
  if (pending === 0) {
    return expiring === 0
      ? say('actionTitle', [], 'patkit — personal access tokens')
      : say('actionTitleExpiring', [String(expiring), d], `patkit — ${expiring} token(s) expire within ${d} days`);
  }
  if (expiring === 0) return say('actionTitleRequests', [String(pending)], `patkit — ${pending} token request(s) await your approval`);
  return say(
    'actionTitleRequestsExpiring',
    [String(pending), String(expiring), d],
    `patkit — ${pending} token request(s) await your approval; ${expiring} token(s) expire within ${d} days`,
  );
}
