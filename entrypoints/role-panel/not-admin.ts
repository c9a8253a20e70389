/**
 * What the role panel says to an account that may neither manage roles nor see every user's
 * tokens. It follows the server's capabilities, not its kind: where the account may create its own
 * tokens it is sent to the popup; where the server says it may not (a Mattermost account without
 * the personal access token role), the server's reason is shown instead of a promise the popup
 * cannot keep.
 */
import type { User } from '../../lib/model.ts';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import { t } from '../../extension/i18n.ts';

export function notAdminNotice(user: User | null, serverName: string, capabilities: ProviderCapabilities): string {
  const who = user?.display_name || user?.username || t('panelThisAccount');
  if (capabilities.create.allowed) return t('panelNotAdmin', who, serverName);
  const reason = capabilities.create.reason;
  return reason ? `${t('panelNotAdminNoCreate', who, serverName)} ${reason}` : t('panelNotAdminNoCreate', who, serverName);
}
