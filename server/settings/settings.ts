/**
 * Changing the server settings: the default token lifetime never exceeds the maximum; allowing
 * private webhook targets needs a person (docs/security.md rule 31); every change is audited.
 */
import type { AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { checkPassword } from '../auth/password-confirmation.ts';
import type { Caller } from '../auth/principal.ts';
import { Problem, problems } from '../http/problems.ts';
import type { ServerSettings } from '../store/defaults.ts';

/** A settings change, with the caller's password for the changes that need it. */
export type SettingsPatch = Partial<ServerSettings> & { password?: string };

/**
 * Allowing private webhook targets turns the delivery log into a probe of the internal network, so
 * it takes a signed-in session and the password typed again, whatever the password policy; a
 * personal access token (a script) cannot. Turning it off needs nothing more than settings:write.
 * Asked whenever the patch says `true`, not only on a change from off: what the setting is now
 * could change before the write (docs/security.md rule 27).
 */
async function allowPrivateTargetsCheck(ctx: AppContext, caller: Caller, password: string | undefined): Promise<void> {
  if (caller.principal.via === 'pat') {
    throw new Problem(
      403,
      'session_required',
      'Allowing private webhook targets needs a signed-in session and your password: a personal access token cannot turn it on. Sign in to the console to do it.',
    );
  }
  await checkPassword(ctx, caller, password, 'allow private webhook targets');
}

export async function updateSettings(ctx: AppContext, caller: Caller, { password, ...patch }: SettingsPatch): Promise<ServerSettings> {
  if (patch.allow_private_webhook_targets === true) await allowPrivateTargetsCheck(ctx, caller, password);
  const next = { ...(await ctx.store.getSettings()), ...patch };
  if (next.max_lifetime_days > 0 && next.default_lifetime_days > next.max_lifetime_days) {
    throw problems.field('default_lifetime_days', 'The default lifetime cannot be longer than the maximum lifetime.');
  }
  const detail: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) detail[key] = value as string | number | boolean | null;
  return ctx.store.updateSettings(patch, auditEntry(ctx, caller, 'settings.updated', { detail }));
}
