/**
 * The organisation and group tokens a signed-in user can manage, grouped by organisation / group,
 * for the popup. Only levels where the server says `can_manage_tokens` are asked for their tokens, so
 * a plain member's popup makes no request that would be refused.
 */
import { ProviderError } from '../../../lib/errors.ts';
import type { TokenProvider } from '../../../lib/provider.ts';
import type { ScopedTokenGroup } from '../../../extension/messaging/protocol.ts';
import type { BackgroundContext } from '../context.ts';
import type { Handlers } from './handler.ts';

export async function scopedTokenGroups(provider: TokenProvider): Promise<ScopedTokenGroup[]> {
  if (!provider.listOrganizations || !provider.listGroups || !provider.listScopedTokens) return [];
  let orgs;
  try {
    orgs = await provider.listOrganizations();
  } catch (error) {
    // e.g. a technical user's token: it may not list organisations; there is simply nothing to show.
    if (error instanceof ProviderError && error.code === 'forbidden') return [];
    throw error;
  }
  const groups: ScopedTokenGroup[] = [];
  for (const org of orgs) {
    if (org.can_manage_tokens) {
      const owner = { kind: 'organization' as const, id: org.id, name: org.name };
      groups.push({ owner, label: org.name, tokens: await provider.listScopedTokens(owner) });
    }
    for (const group of await provider.listGroups(org.id)) {
      if (!group.can_manage_tokens) continue;
      const owner = { kind: 'group' as const, id: group.id, org_id: org.id, name: group.name };
      groups.push({ owner, label: `${org.name} / ${group.name}`, tokens: await provider.listScopedTokens(owner) });
    }
  }
  return groups;
}

export function orgTokenHandlers(bg: BackgroundContext): Handlers<'orgs.tokens'> {
  return {
    'orgs.tokens': ({ serverId }) => bg.call(serverId, (p) => scopedTokenGroups(p)),
  };
}
