/** Waiting, deterministically, for the leak reports a test sent: they are processed off the request path. */
import type { Harness } from '../helpers.ts';

/** Resolves once every leak report the server accepted so far has been processed (docs/security.md rule 33). */
export function settleLeakReports(h: Harness): Promise<void> {
  return h.app.ctx.leakReportQueue.settled();
}
