/**
 * The popup's organisation and group tokens through the background: the `orgs.tokens`
 * message is validated, answers only to extension pages, groups tokens per organisation / group and
 * asks only for the levels the user manages. Run: `npm run test:ext-unit`.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import type { BrowserApis } from '../../../../entrypoints/background/browser-apis.ts';
import { scopedTokenGroups } from '../../../../entrypoints/background/handlers/org-tokens.ts';
import { BackgroundService } from '../../../../entrypoints/background/service.ts';
import { validateRequest } from '../../../../extension/messaging/validation.ts';
import type { MetadataCacheLike } from '../../../../extension/metadata-cache.ts';
import { ProviderError } from '../../../../lib/errors.ts';
import type { Group, Organization, TokenMeta } from '../../../../lib/model.ts';
import type { ScopedOwner, TokenProvider } from '../../../../lib/provider.ts';
import { FakeServer, meta } from '../fake-provider.ts';
import { OPTIONS, PANEL, POPUP } from '../harness.ts';

const org = (id: string, can: boolean): Organization => ({ id, name: `Org ${id}`, created_at: null, role: can ? 'admin' : 'user', can_manage_tokens: can });
const group = (id: string, orgId: string, can: boolean): Group => ({ id, org_id: orgId, name: `Group ${id}`, created_at: null, role: can ? 'admin' : null, can_manage_tokens: can });

/** The org part of a provider: two organisations, A managed, B only through its group g2. */
function orgMethods(calls: string[]): Pick<TokenProvider, 'listOrganizations' | 'listGroups' | 'listScopedTokens'> {
  return {
    listOrganizations: async () => [org('A', true), org('B', false)],
    listGroups: async (orgId: string) => (orgId === 'A' ? [group('g1', 'A', false)] : [group('g2', 'B', true)]),
    listScopedTokens: async (owner: ScopedOwner): Promise<TokenMeta[]> => {
      calls.push(`${owner.kind}:${owner.id}`);
      return [meta(`tok_${owner.id}`, { owner: { kind: owner.kind, id: `usr_t_${owner.id}`, username: 't', display_name: 't', scope_id: owner.id, scope_name: owner.name } })];
    },
  };
}

describe('scopedTokenGroups', () => {
  test('one group per organisation / group the user manages, and only those are asked', async () => {
    const calls: string[] = [];
    const groups = await scopedTokenGroups(orgMethods(calls) as TokenProvider);
    assert.deepEqual(
      groups.map((g) => [g.owner.kind, g.label, g.tokens.map((t) => t.id)]),
      [
        ['organization', 'Org A', ['tok_A']],
        ['group', 'Org B / Group g2', ['tok_g2']],
      ],
    );
    assert.deepEqual(calls, ['organization:A', 'group:g2']);
  });

  test('a provider without organisations, or a credential that may not list them: nothing', async () => {
    assert.deepEqual(await scopedTokenGroups({} as TokenProvider), []);
    const refusing = {
      ...orgMethods([]),
      listOrganizations: async () => {
        throw new ProviderError('forbidden', 'no');
      },
    };
    assert.deepEqual(await scopedTokenGroups(refusing as unknown as TokenProvider), []);
    const offline = {
      ...orgMethods([]),
      listOrganizations: async () => {
        throw new ProviderError('offline', 'gone');
      },
    };
    await assert.rejects(scopedTokenGroups(offline as unknown as TokenProvider), (e: unknown) => e instanceof ProviderError && e.code === 'offline');
  });
});

describe('the orgs.tokens message', () => {
  test('is validated: a server id and nothing else', () => {
    assert.deepEqual(validateRequest({ patkit: 1, type: 'orgs.tokens', payload: { serverId: 'srv_1' } }).payload, { serverId: 'srv_1' });
    for (const payload of [{}, { serverId: '' }, { serverId: 'srv 1' }, { serverId: 'srv_1', orgId: 'A' }, { serverId: 7 }]) {
      assert.throws(() => validateRequest({ patkit: 1, type: 'orgs.tokens', payload }), (e: Error & { code?: string }) => e.code === 'validation_failed', JSON.stringify(payload));
    }
  });

  let bg: BackgroundService;
  let calls: string[];
  beforeEach(() => {
    fakeBrowser.reset();
    const server = new FakeServer();
    calls = [];
    const registry = server.registry();
    const cache: MetadataCacheLike = { read: async () => null, write: async () => {}, clear: async () => {} };
    const browser = {
      runtime: fakeBrowser.runtime,
      storage: fakeBrowser.storage,
      action: fakeBrowser.action,
      alarms: fakeBrowser.alarms,
      notifications: fakeBrowser.notifications,
      permissions: { contains: async () => true },
      scripting: { registerContentScripts: async () => {}, getRegisteredContentScripts: async () => [], unregisterContentScripts: async () => {} },
    } as unknown as BrowserApis;
    let n = 0;
    bg = new BackgroundService({
      browser,
      providers: { descriptors: registry.descriptors, create: (kind, config) => ({ ...registry.create(kind, config), ...orgMethods(calls) }) },
      cache,
      now: () => Date.parse('2026-11-23T09:00:00.000Z'),
      newId: (p) => `${p}${++n}`,
    });
  });

  test('the popup gets the grouped tokens of a signed-in server; the console panel may not ask', async () => {
    const saved = await bg.handleMessage({ patkit: 1, type: 'servers.save', payload: { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787/' } }, OPTIONS);
    assert.equal(saved.ok, true, JSON.stringify(saved));
    const serverId = (saved as { value: { id: string } }).value.id;
    const signedIn = await bg.handleMessage(
      { patkit: 1, type: 'auth.signIn', payload: { serverId, kind: 'password', username: 'alice', password: 'correct horse', keepSignedIn: false } },
      OPTIONS,
    );
    assert.equal(signedIn.ok, true, JSON.stringify(signedIn));
    const answer = await bg.handleMessage({ patkit: 1, type: 'orgs.tokens', payload: { serverId } }, POPUP);
    assert.equal(answer.ok, true, JSON.stringify(answer));
    const groups = (answer as { value: Array<{ label: string; tokens: TokenMeta[] }> }).value;
    assert.deepEqual(groups.map((g) => g.label), ['Org A', 'Org B / Group g2']);
    const panel = await bg.handleMessage({ patkit: 1, type: 'orgs.tokens', payload: { serverId } }, PANEL);
    assert.equal(panel.ok, false);
    const bad = await bg.handleMessage({ patkit: 1, type: 'orgs.tokens', payload: { serverId, extra: true } }, POPUP);
    assert.equal(bad.ok, false);
    assert.equal((bad as { error: { code: string } }).error.code, 'validation_failed');
  });
});
