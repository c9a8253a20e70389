/**
 * What a server lets the signed-in user do, asked of the server now. Some providers only know this
 * once they have fetched the user (Mattermost: roles and the admin features come from the user's
 * permissions), and a provider rebuilt after a service-worker restart starts without it.
 */
import type { ProviderCapabilities } from '../../lib/provider.ts';
import type { BackgroundContext } from './context.ts';

/** The server's current answer when signed in; the provider's last known value otherwise or when the server cannot say. */
export async function currentCapabilities(bg: BackgroundContext, serverId: string): Promise<ProviderCapabilities> {
  const { provider, signedIn } = await bg.provider(serverId);
  if (!signedIn) return provider.capabilities;
  return bg.call(serverId, (p) => p.refreshCapabilities()).catch((): ProviderCapabilities => provider.capabilities);
}
