/**
 * "Revoke a leaked token": the secret is recognised by its prefix, then sent once, to the place
 * it belongs and nowhere else: GitHub's revocation API for GitHub tokens (after the user granted
 * api.github.com from the popup's click), else the chosen configured server of the matching
 * kind, by that provider's own means. It is never stored, cached or logged (errors carry no value).
 */
import { ProviderError, UnsupportedOperation } from '../../../lib/errors.ts';
import { reportToGitHub } from '../../../lib/github-revoke.ts';
import { GITHUB_API_PERMISSION, recognizeSecret, type SecretKind } from '../../../lib/leaked.ts';
import type { LeakedSecretResult } from '../../../lib/model.ts';
import type { TokenProvider } from '../../../lib/provider.ts';
import type { LeakedRevokeAnswer } from '../../../extension/messaging/protocol.ts';
import type { BackgroundContext } from '../context.ts';
import { patchCache } from '../token-listing.ts';
import type { Handlers } from './handler.ts';

function invalid(field: string, message: string, short: string): ProviderError {
  return new ProviderError('validation_failed', message, { fieldErrors: [{ field, message: short }] });
}

async function reportGitHubSecret(bg: BackgroundContext, kind: SecretKind, secret: string, serverId: string | undefined): Promise<LeakedRevokeAnswer> {
  if (serverId !== undefined) throw invalid('serverId', 'GitHub tokens go to GitHub, not to a configured server.', 'Not for GitHub tokens');
  const granted = await bg.browser.permissions.contains({ origins: [GITHUB_API_PERMISSION] });
  if (!granted) throw new ProviderError('forbidden', 'patkit may not contact api.github.com yet. Try again and allow it when the browser asks.', { serverCode: 'github_permission' });
  const result = await reportToGitHub([secret], { baseUrl: await bg.githubApi() });
  return { outcome: result.outcome, token: null, kind: kind.id, target: 'github', serverName: null };
}

async function revokeOnServer(bg: BackgroundContext, kind: SecretKind, secret: string, serverId: string | undefined): Promise<LeakedRevokeAnswer> {
  if (serverId === undefined) throw invalid('serverId', `Choose the ${kind.target} server this token belongs to.`, 'Required');
  const server = await bg.server(serverId);
  if (server.kind !== kind.target) {
    throw invalid('serverId', `That is a ${kind.label}; ${server.name} is not a ${kind.target} server.`, 'Wrong kind of server');
  }
  await bg.requireOrigin(server.baseUrl);
  const { provider, signedIn } = await bg.provider(server.id);
  if (!provider.revokeLeakedSecret) throw new UnsupportedOperation('revoke a leaked token', server.name);
  // npm looks the token up among the account's tokens: that needs the sign-in. patkit's report
  // endpoint and GitLab's self-revoke need none.
  const run = (p: TokenProvider): Promise<LeakedSecretResult> => p.revokeLeakedSecret!(secret);
  const result = kind.target === 'npm' || signedIn ? await bg.call(server.id, run).catch((e: unknown) => {
    if (!signedIn && e instanceof ProviderError && e.code === 'unauthorized') throw new ProviderError('unauthorized', `Sign in to ${server.name} first: npm finds the token among your own tokens.`);
    throw e;
  }) : await run(provider);
  // The leaked value was the credential patkit signed in with: that sign-in is over.
  if ((await bg.vault.getCredential(server.id))?.credential === secret) await bg.forgetCredential(server.id);
  const token = result.token;
  if (result.outcome === 'revoked' && token) {
    await patchCache(bg, server.id, (items) => (kind.target === 'npm' ? items.filter((t) => t.id !== token.id) : items.map((t) => (t.id === token.id ? token : t))));
  }
  return { outcome: result.outcome, token, kind: kind.id, target: kind.target, serverName: server.name };
}

export function leakedHandlers(bg: BackgroundContext): Handlers<'leaked.revoke'> {
  return {
    'leaked.revoke': async (req) => {
      const recognised = recognizeSecret(req.secret);
      if (!recognised.ok) throw invalid('secret', recognised.message, recognised.message);
      const { kind, secret } = recognised;
      if (kind.target === 'github') return reportGitHubSecret(bg, kind, secret, req.serverId);
      return revokeOnServer(bg, kind, secret, req.serverId);
    },
  };
}
