/** What a new database holds before an administrator changes anything, on either backend. */
import type { ServerSettings as KitSettings } from '../../lib/model.ts';

/** Which new tokens wait for approval (docs/security.md rule 35). */
export type TokenApprovalMode = 'off' | 'non_admins' | 'all';

/** The server's settings: the kit's model and the approval setting. */
export type ServerSettings = KitSettings & { token_approval: TokenApprovalMode };

export const DEFAULT_SETTINGS: ServerSettings = {
  enable_personal_access_tokens: false,
  require_password_confirmation: true,
  default_lifetime_days: 30,
  max_lifetime_days: 365,
  allow_no_expiry: false,
  max_grace_period_seconds: 604_800,
  allow_private_webhook_targets: false,
  token_approval: 'off',
};

/** The stored `settings` rows (JSON values) over the defaults; unknown keys (flags) are ignored. */
export function settingsFromRows(rows: Record<string, unknown>[]): ServerSettings {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    if ((row.key as string) in DEFAULT_SETTINGS) settings[row.key as string] = JSON.parse(row.value as string);
  }
  return settings as unknown as ServerSettings;
}

/** Whether a settings key may be written (flags have their own methods). */
export function isSettingKey(key: string): key is keyof ServerSettings {
  return key in DEFAULT_SETTINGS;
}

/** Flags live in the settings table under this prefix, apart from the settings themselves. */
export const flagKey = (key: string): string => `flag:${key}`;
