/** Waiting for the leak reports a test sent to be processed (they are, off the request path). */
import type { Harness } from '../helpers.ts';

/** Resolves once every leak report accepted so far has been processed (docs/security.md rule 33). */
export async function settleLeakReports(h: Harness): Promise<void> {
  await (h.app.ctx as { leakReportQueue?: { settled(): Promise<void> } }).leakReportQueue?.settled();
}
