/**
 * Servers and sessions: the configured servers, signing in and out, and what a server offers
 * (capabilities, scope catalogue, settings). The options page sends most of these.
 */
import { ProviderError } from '../../../lib/errors.ts';
import type { User } from '../../../lib/model.ts';
import type { ServerView, SignInRequest } from '../../../extension/messaging/protocol.ts';
import type { StoredServer } from '../../../extension/settings.ts';
import { updateBadge } from '../badge.ts';
import { currentCapabilities } from '../capabilities.ts';
import type { BackgroundContext } from '../context.ts';
import { refreshRequestCount, setRequestCount } from '../requests.ts';
import { listTokens } from '../token-listing.ts';
import type { Handlers } from './handler.ts';
import { syncPanelScripts } from './panels.ts';
import { requireOperation } from '../../../lib/providers/require-operation.ts';

export type ServerMessage =
  | 'providers.list'
  | 'servers.list'
  | 'servers.save'
  | 'servers.remove'
  | 'auth.signIn'
  | 'auth.signOut'
  | 'auth.status'
  | 'server.capabilities'
  | 'server.scopes'
  | 'server.settings';

/** docs/security.md rule 23: signing out or removing a server clears its cache and its credentials. */
async function forgetServerData(bg: BackgroundContext, serverId: string): Promise<void> {
  await bg.forgetCredential(serverId);
  await bg.vault.clearPendingFor(serverId);
  await bg.cache.clear(serverId);
  await setRequestCount(bg, serverId, 0);
  bg.dropProvider(serverId);
  await updateBadge(bg).catch(() => {});
}

async function signIn(bg: BackgroundContext, request: SignInRequest): Promise<ServerView> {
  const server = await bg.server(request.serverId);
  await bg.requireOrigin(server.baseUrl);
  const { provider } = await bg.provider(server.id);
  const credentials =
    request.kind === 'password'
      ? { kind: 'password' as const, username: request.username, password: request.password, remember: request.keepSignedIn, ...(request.otp ? { otp: request.otp } : {}) }
      : { kind: 'token' as const, token: request.token };
  const signedIn = await bg.reach(server.id, () => provider.signIn(credentials));
  provider.setCredential(signedIn.credential);
  await provider.refreshCapabilities().catch(() => undefined);
  await bg.vault.setCredential(server.id, { credential: signedIn.credential, user: signedIn.user, expiresAt: signedIn.expires_at }, request.keepSignedIn);
  bg.adoptSignedIn(server.id, provider);
  // Fill the cache and the badge now, not at the next alarm (up to 30 minutes later).
  await refreshRequestCount(bg, server.id).catch((e) => console.warn(`patkit: token requests of ${server.name} not counted`, e));
  await listTokens(bg, server.id, undefined).catch((e) => console.warn(`patkit: first refresh of ${server.name} failed`, e));
  return bg.view(server);
}

async function signOut(bg: BackgroundContext, serverId: string): Promise<ServerView> {
  const server = await bg.server(serverId);
  const entry = bg.liveProvider(serverId);
  if (entry?.signedIn) {
    // Best effort: ending the server session must not keep the local credential alive.
    await entry.provider.signOut().catch(() => undefined);
  }
  await forgetServerData(bg, serverId);
  return bg.view(server);
}

/** Asks the server who is signed in (a renamed user shows the new name); a dead session says so. */
async function status(bg: BackgroundContext, serverId: string): Promise<ServerView> {
  const server = await bg.server(serverId);
  const { signedIn } = await bg.provider(serverId);
  if (signedIn) {
    try {
      const user: User = await bg.call(serverId, (p) => p.currentUser());
      const stored = await bg.vault.getCredential(serverId);
      if (stored) await bg.vault.setCredential(serverId, { ...stored, user }, stored.keep);
    } catch (error) {
      if (!(error instanceof ProviderError) || !['offline', 'unauthorized', 'forbidden'].includes(error.code)) throw error;
    }
  }
  return bg.view(server);
}

async function saveServer(bg: BackgroundContext, req: { id?: string; name: string; kind: string; baseUrl: string }): Promise<ServerView> {
  const known = bg.providers.descriptors().some((d) => d.kind === req.kind);
  if (!known) throw new ProviderError('validation_failed', `kind: no provider named ${req.kind}`, { fieldErrors: [{ field: 'kind', message: 'unknown provider' }] });
  await bg.requireOrigin(req.baseUrl);
  let saved: StoredServer | undefined;
  await bg.updateSettings(async (settings) => {
    if (req.id !== undefined) {
      const existing = settings.servers.find((s) => s.id === req.id);
      if (!existing) throw new ProviderError('not_found', 'That server is not configured any more.');
      const changedTarget = existing.baseUrl !== req.baseUrl || existing.kind !== req.kind;
      Object.assign(existing, { name: req.name, kind: req.kind, baseUrl: req.baseUrl });
      saved = existing;
      // A credential belongs to one server: a new address or kind needs a new sign-in.
      if (changedTarget) await forgetServerData(bg, existing.id);
    } else {
      saved = { id: bg.newId('srv_'), name: req.name, kind: req.kind, baseUrl: req.baseUrl };
      settings.servers.push(saved);
    }
  });
  return bg.view(saved as StoredServer);
}

export function serverHandlers(bg: BackgroundContext): Handlers<ServerMessage> {
  return {
    'providers.list': async () => bg.providers.descriptors(),
    'servers.list': async () => Promise.all((await bg.settings()).servers.map((s) => bg.view(s))),
    'servers.save': (req) => saveServer(bg, req),
    'servers.remove': async ({ serverId }) => {
      await bg.server(serverId);
      await forgetServerData(bg, serverId);
      const settings = await bg.updateSettings((s) => {
        s.servers = s.servers.filter((x) => x.id !== serverId);
        s.panels = s.panels.filter((p) => p.serverId !== serverId);
      });
      await syncPanelScripts(bg, settings.panels).catch(() => {});
      return null;
    },
    'auth.signIn': (req) => signIn(bg, req),
    'auth.signOut': ({ serverId }) => signOut(bg, serverId),
    'auth.status': ({ serverId }) => status(bg, serverId),
    'server.capabilities': ({ serverId }) => currentCapabilities(bg, serverId),
    'server.scopes': ({ serverId }) => bg.call(serverId, (p) => p.scopeCatalog()),
    'server.settings': ({ serverId }) => bg.call(serverId, (p) => requireOperation(p, 'getSettings')()),
  };
}
