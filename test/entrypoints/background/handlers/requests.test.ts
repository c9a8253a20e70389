/**
 * Token requests in the background: approvers see the waiting requests on the badge (with a title
 * saying so), approve or deny from the popup, and requesters get a notification when a request of
 * theirs is decided. Against the fake provider (no server here); the real server: test/e2e/approval.test.ts.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import { REQUEST_COUNTS_KEY } from '../../../../entrypoints/background/requests.ts';
import type { TokenMeta } from '../../../../lib/model.ts';
import { OPTIONS, PANEL, addSignedInServer, ask, bg, clock, dump, ok, resetBackground, server, titles } from '../harness.ts';
import { meta } from '../fake-provider.ts';

beforeEach(resetBackground);

const request = (id: string, name = id): TokenMeta =>
  meta(id, {
    name,
    status: 'pending',
    approval: { state: 'pending', justification: 'for CI', requested_at: '2026-11-23T08:00:00.000Z', decided_at: null, decided_by: null, reason: null },
  });
const badge = (): Promise<string> => fakeBrowser.action.getBadgeText({});
/** What the browser answers for a colour set as `#rrggbb`: RGBA bytes. */
const hex = (color: string): number[] => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)).concat(255);

describe('token requests', () => {
  test('an approver sees the waiting requests on the badge at sign-in, with a title that says so', async () => {
    server.requests = [request('tok_r1'), request('tok_r2')];
    await addSignedInServer();
    assert.equal(await badge(), '2');
    assert.equal(titles.at(-1), 'patkit — 2 token request(s) await your approval');
  });

  test('requests and expiring tokens add up; the title names both', async () => {
    server.requests = [request('tok_r1')];
    server.tokens = [meta('tok_soon', { expires_at: new Date(clock + 2 * 86_400_000).toISOString() })];
    await addSignedInServer();
    assert.equal(await badge(), '2');
    assert.equal(titles.at(-1), 'patkit — 1 token request(s) await your approval; 1 token(s) expire within 7 days');
    // Amber while a token runs out, blue when only requests wait.
    assert.deepEqual(await fakeBrowser.action.getBadgeBackgroundColor({}), hex('#b45309'));
    server.tokens = [];
    await bg.onAlarm('patkit:refresh');
    assert.equal(await badge(), '1');
    assert.deepEqual(await fakeBrowser.action.getBadgeBackgroundColor({}), hex('#1d4ed8'));
  });

  test('someone who approves nothing (403) has no request count and no error', async () => {
    server.approver = false;
    server.requests = [request('tok_r1')];
    const serverId = await addSignedInServer();
    assert.equal(await badge(), '');
    await bg.onAlarm('patkit:refresh');
    assert.equal(await badge(), '');
    const answer = await ask('requests.list', { serverId });
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, 'forbidden');
  });

  test('the refresh alarm counts every page of waiting requests', async () => {
    await addSignedInServer();
    server.requestPageSize = 2;
    server.requests = [request('a'), request('b'), request('c'), request('d'), request('e')];
    await bg.onAlarm('patkit:refresh');
    assert.equal(await badge(), '5');
  });

  test('approve and deny from the popup: the server decides, the badge counts down', async () => {
    server.requests = [request('tok_r1', 'ci'), request('tok_r2', 'wide')];
    const serverId = await addSignedInServer();
    const listed = await ok('requests.list', { serverId, state: 'pending' });
    assert.deepEqual(listed.items.map((t: TokenMeta) => t.id), ['tok_r1', 'tok_r2']);
    const approved = await ok('requests.approve', { serverId, tokenId: 'tok_r1' });
    assert.equal(approved.approval.state, 'approved');
    assert.equal(await badge(), '1');
    const denied = await ok('requests.deny', { serverId, tokenId: 'tok_r2', reason: 'Use the ci template.' });
    assert.equal(denied.approval.reason, 'Use the ci template.');
    assert.equal(await badge(), '');
    assert.equal(titles.at(-1), 'patkit — personal access tokens');
    // Deciding twice: the server's 409 comes back as it is, the count stays right.
    const again = await ask('requests.approve', { serverId, tokenId: 'tok_r1' });
    assert.equal(again.ok, false);
    assert.equal(again.error.code, 'conflict');
    assert.equal(await badge(), '');
  });

  test('a denial needs a reason; bad input is refused before the server is asked and changes nothing', async () => {
    server.requests = [request('tok_r1')];
    const serverId = await addSignedInServer();
    const before = await dump();
    server.calls = [];
    for (const payload of [
      { serverId, tokenId: 'tok_r1' },
      { serverId, tokenId: 'tok_r1', reason: '' },
      { serverId, tokenId: 'tok_r1', reason: '   ' },
      { serverId, tokenId: 'tok_r1', reason: 'x'.repeat(501) },
      { serverId, tokenId: 'tok_r1', reason: 'ok', extra: true },
    ]) {
      const answer = await ask('requests.deny', payload);
      assert.equal(answer.ok, false, JSON.stringify(payload));
      assert.equal(answer.error.code, 'validation_failed');
    }
    assert.equal((await ask('requests.list', { serverId, state: 'all' })).error.code, 'validation_failed');
    assert.deepEqual(server.calls, []);
    assert.equal(await dump(), before);
    assert.equal(server.requests[0]!.approval!.state, 'pending');
  });

  test('the console panel may not decide requests', async () => {
    server.requests = [request('tok_r1')];
    const serverId = await addSignedInServer();
    const answer = await ask('requests.approve', { serverId, tokenId: 'tok_r1' }, PANEL);
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, 'forbidden');
    assert.equal(server.requests[0]!.approval!.state, 'pending');
  });

  test('the requester is notified once when a request is decided (approved, or denied with the reason)', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [request('tok_mine', 'deploy-bot'), request('tok_other', 'wide')];
    await ok('tokens.list', { serverId });
    assert.deepEqual(Object.keys(fakeBrowser.notifications.getAllCreateOptions()), [], 'nothing decided yet');
    server.requests = server.tokens;
    await ok('requests.approve', { serverId, tokenId: 'tok_mine' });
    await ok('requests.deny', { serverId, tokenId: 'tok_other', reason: 'Too broad.' });
    await bg.onAlarm('patkit:refresh');
    const notes = fakeBrowser.notifications.getAllCreateOptions();
    assert.equal(notes['patkit-request-tok_mine']?.title, 'Token request approved: deploy-bot');
    assert.equal(notes['patkit-request-tok_mine']?.message, 'deploy-bot (Local) was approved by admin. It works now.');
    assert.equal(notes['patkit-request-tok_other']?.message, 'wide (Local) was denied: Too broad.');
    await fakeBrowser.notifications.clear('patkit-request-tok_mine');
    await fakeBrowser.notifications.clear('patkit-request-tok_other');
    await bg.onAlarm('patkit:refresh');
    assert.deepEqual(Object.keys(fakeBrowser.notifications.getAllCreateOptions()), [], 'not again');
  });

  test('signing out forgets the server\'s request count', async () => {
    server.requests = [request('tok_r1')];
    const serverId = await addSignedInServer();
    assert.equal(await badge(), '1');
    await ok('auth.signOut', { serverId }, OPTIONS);
    assert.equal(await badge(), '');
    assert.deepEqual((await fakeBrowser.storage.local.get(REQUEST_COUNTS_KEY))[REQUEST_COUNTS_KEY], {});
  });

  test('the wizard\'s lookups go through: templates, resource types, resources by type and text', async () => {
    const serverId = await addSignedInServer();
    assert.deepEqual((await ok('server.templates', { serverId })).map((t: { id: string }) => t.id), ['tpl_ci']);
    assert.deepEqual(await ok('server.resourceTypes', { serverId }), [{ id: 'organization', name: 'Organization' }]);
    assert.equal((await ok('server.resources', { serverId, query: { type: 'organization', q: 'Ac', limit: 20 } })).items[0].id, 'org_1');
    assert.deepEqual((await ok('server.resources', { serverId, query: { q: 'zzz' } })).items, []);
    const bad = await ask('server.resources', { serverId, query: { limit: 1000 } });
    assert.equal(bad.error.code, 'validation_failed');
  });
});
