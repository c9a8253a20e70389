/** Changing the server settings: the default token lifetime never exceeds the maximum; every change is audited. */
import type { AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import type { Caller } from '../auth/principal.ts';
import { problems } from '../http/problems.ts';
import type { ServerSettings } from '../../lib/model.ts';

export async function updateSettings(ctx: AppContext, caller: Caller, patch: Partial<ServerSettings>): Promise<ServerSettings> {
  const next = { ...(await ctx.store.getSettings()), ...patch };
  if (next.max_lifetime_days > 0 && next.default_lifetime_days > next.max_lifetime_days) {
    throw problems.field('default_lifetime_days', 'The default lifetime cannot be longer than the maximum lifetime.');
  }
  const detail: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) detail[key] = value as string | number | boolean | null;
  return ctx.store.updateSettings(patch, auditEntry(ctx, caller, 'settings.updated', { detail }));
}
