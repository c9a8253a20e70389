/**
 * Token requests for approvers: list them, approve one, deny one with a reason. Each decision
 * refreshes the count of requests still waiting, and with it the badge.
 */
import { requireOperation } from '../../../lib/providers/require-operation.ts';
import { updateBadge } from '../badge.ts';
import type { BackgroundContext } from '../context.ts';
import { refreshRequestCount, setRequestCount } from '../requests.ts';
import type { Handlers } from './handler.ts';

export type RequestMessage = 'requests.list' | 'requests.approve' | 'requests.deny';

/** After a decision (made or refused: another approver may have been first), the count as the server has it now. */
async function recount(bg: BackgroundContext, serverId: string): Promise<void> {
  await refreshRequestCount(bg, serverId).catch(() => undefined);
  await updateBadge(bg).catch(() => undefined);
}

export function requestHandlers(bg: BackgroundContext): Handlers<RequestMessage> {
  return {
    'requests.list': async ({ serverId, state, cursor }) => {
      const page = await bg.call(serverId, (p) => requireOperation(p, 'listTokenRequests')({ ...(state ? { state } : {}), ...(cursor ? { cursor } : {}) }));
      // A complete listing of what waits is the count: the badge follows what the popup shows.
      if ((state ?? 'pending') === 'pending' && !cursor && !page.next_cursor) {
        await setRequestCount(bg, serverId, page.items.length);
        await updateBadge(bg).catch(() => undefined);
      }
      return page;
    },
    'requests.approve': async ({ serverId, tokenId }) => {
      try {
        return await bg.call(serverId, (p) => requireOperation(p, 'approveTokenRequest')(tokenId));
      } finally {
        await recount(bg, serverId);
      }
    },
    'requests.deny': async ({ serverId, tokenId, reason }) => {
      try {
        return await bg.call(serverId, (p) => requireOperation(p, 'denyTokenRequest')(tokenId, reason));
      } finally {
        await recount(bg, serverId);
      }
    },
  };
}
