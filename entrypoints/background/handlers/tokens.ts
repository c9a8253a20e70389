/**
 * The signed-in user's own tokens: list, create, clone, change, regenerate, end a grace period,
 * disable, enable, delete; and the one pending secret of a token just created or regenerated,
 * held until the page confirms it was copied (docs/security.md rule 19).
 */
import { ProviderError, UnsupportedOperation } from '../../../lib/errors.ts';
import type { CreatedToken } from '../../../lib/model.ts';
import type { BackgroundContext } from '../context.ts';
import { listTokens, patchCache, replaceInCache } from '../token-listing.ts';
import { PENDING_ALARM, PENDING_TTL_MS } from '../vault.ts';
import type { Handlers } from './handler.ts';
import { requireOperation } from '../../../lib/providers/require-operation.ts';

export type TokenMessage =
  | 'tokens.list'
  | 'tokens.create'
  | 'tokens.clone'
  | 'tokens.update'
  | 'tokens.regenerate'
  | 'tokens.endGrace'
  | 'tokens.disable'
  | 'tokens.enable'
  | 'tokens.delete'
  | 'pending.get'
  | 'pending.confirm';

/** A new secret goes to the page that asked and to storage.session; the cache gets metadata. */
async function holdSecret(bg: BackgroundContext, serverId: string, created: CreatedToken): Promise<CreatedToken> {
  await bg.vault.setPending(serverId, created);
  await bg.browser.alarms.create(PENDING_ALARM, { when: bg.now() + PENDING_TTL_MS + 1000 });
  await replaceInCache(bg, serverId, created.token);
  return { token: created.token, secret: created.secret };
}

/** Refuses a grace period the server cannot give before the provider is asked to regenerate. */
function checkGrace(max: number, gracePeriodSeconds: number | undefined): void {
  if (gracePeriodSeconds && gracePeriodSeconds > max) {
    const message = max > 0 ? `The grace period may be at most ${max} seconds on this server.` : 'This server cannot keep the old value working after a regenerate.';
    throw new ProviderError('validation_failed', message, { fieldErrors: [{ field: 'gracePeriodSeconds', message }] });
  }
}

export function tokenHandlers(bg: BackgroundContext): Handlers<TokenMessage> {
  return {
    'tokens.list': ({ serverId, query }) => listTokens(bg, serverId, query),
    'tokens.create': async ({ serverId, draft, confirm }) => {
      const created = await bg.call(serverId, (p) => requireOperation(p, 'createToken')(draft, confirm));
      return holdSecret(bg, serverId, created);
    },
    'tokens.clone': async ({ serverId, tokenId, overrides, confirm }) => {
      const created = await bg.call(serverId, (p) => requireOperation(p, 'cloneToken')(tokenId, overrides, confirm));
      return holdSecret(bg, serverId, created);
    },
    'tokens.update': async ({ serverId, tokenId, patch, confirm }) => {
      const token = await bg.call(serverId, (p) => requireOperation(p, 'updateToken')(tokenId, patch, confirm));
      await replaceInCache(bg, serverId, token);
      return token;
    },
    'tokens.regenerate': async ({ serverId, tokenId, confirm, gracePeriodSeconds, expiresAt }) => {
      const created = await bg.call(serverId, (p) => {
        checkGrace(p.capabilities.rotationGraceMaxSeconds, gracePeriodSeconds);
        const options = { ...(gracePeriodSeconds ? { gracePeriodSeconds } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}) };
        return Object.keys(options).length ? requireOperation(p, 'regenerateToken')(tokenId, confirm, options) : requireOperation(p, 'regenerateToken')(tokenId, confirm);
      });
      await bg.keepRotatedCredential(serverId);
      return holdSecret(bg, serverId, created);
    },
    'tokens.endGrace': async ({ serverId, tokenId }) => {
      const token = await bg.call(serverId, (p) => {
        if (!p.endGrace) throw new UnsupportedOperation('end a grace period', p.descriptor.label);
        return p.endGrace(tokenId);
      });
      await replaceInCache(bg, serverId, token);
      return token;
    },
    'tokens.disable': async ({ serverId, tokenId }) => {
      const token = await bg.call(serverId, (p) => requireOperation(p, 'disableToken')(tokenId));
      await replaceInCache(bg, serverId, token);
      return token;
    },
    'tokens.enable': async ({ serverId, tokenId, confirm }) => {
      const token = await bg.call(serverId, (p) => requireOperation(p, 'enableToken')(tokenId, confirm));
      await replaceInCache(bg, serverId, token);
      return token;
    },
    'tokens.delete': async ({ serverId, tokenId, confirm }) => {
      await bg.call(serverId, (p) => requireOperation(p, 'deleteToken')(tokenId, confirm));
      await patchCache(bg, serverId, (items) => items.filter((t) => t.id !== tokenId));
      await bg.vault.clearPending(tokenId);
      return null;
    },
    'pending.get': () => bg.vault.getPending(),
    'pending.confirm': async ({ tokenId }) => {
      await bg.vault.clearPending(tokenId);
      return null;
    },
  };
}
