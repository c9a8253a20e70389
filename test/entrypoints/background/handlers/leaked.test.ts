/**
 * Revoking a pasted leaked token: to the chosen server of its kind or to GitHub, never stored;
 * bad input reaches no server.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import { BackgroundService } from '../../../../entrypoints/background/service.ts';
import { EXT, OPTIONS, PANEL, addSignedInServer, ask, cache, dump, granted, makeServiceApis, ok, resetBackground, server, useService } from '../harness.ts';

beforeEach(resetBackground);

describe('leaked secrets', () => {
  const leaked = `pat_${'Lk9'.repeat(12)}`;

  test('a patkit token goes to the chosen patkit server\u2019s report, trimmed, with no sign-in; nothing is stored', async () => {
    granted.add('http://127.0.0.1/*');
    const view = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787/' }, OPTIONS);
    const answer = await ok('leaked.revoke', { secret: `  ${leaked}\n`, serverId: view.id });
    assert.deepEqual(answer, { outcome: 'reported', token: null, kind: 'patkit', target: 'patkit', serverName: 'Local' });
    assert.deepEqual(server.reported, [leaked]);
    const stored = JSON.stringify({ local: await fakeBrowser.storage.local.get(null), session: await fakeBrowser.storage.session.get(null), cache: [...cache.data] });
    assert.ok(!stored.includes(leaked), 'the leaked value is in no storage and no cache');
  });

  test('bad input changes nothing and reaches no server: unrecognised, wrong kind of server, no server, origin not granted, from the panel', async () => {
    const serverId = await addSignedInServer();
    const before = await dump();
    const cases: Array<[unknown, string, RegExp]> = [
      [{ secret: 'hunter2hunter2', serverId }, 'validation_failed', /Not recognised.*Known kinds/],
      [{ secret: `pat_${'a'.repeat(10)}`, serverId }, 'validation_failed', /too short/],
      [{ secret: `glpat-${'a'.repeat(20)}`, serverId }, 'validation_failed', /GitLab personal access token; Local is not a gitlab server/],
      [{ secret: leaked }, 'validation_failed', /Choose the patkit server/],
      [{ secret: leaked, serverId: 'srv_gone' }, 'not_found', /not configured/],
      [{ secret: `ghp_${'a'.repeat(36)}`, serverId }, 'validation_failed', /GitHub tokens go to GitHub/],
      [{ secret: 'x'.repeat(1000), serverId }, 'validation_failed', /at most/],
      [{ secret: leaked, serverId, extra: 1 }, 'validation_failed', /not a known field/],
      [{ secret: 42, serverId }, 'validation_failed', /must be a string/],
    ];
    for (const [payload, code, message] of cases) {
      const answer = await ask('leaked.revoke', payload);
      assert.equal(answer.ok, false, JSON.stringify(payload));
      assert.equal(answer.error.code, code, JSON.stringify(answer.error));
      assert.match(answer.error.message, message);
    }
    granted.delete('http://127.0.0.1/*');
    const refused = await ask('leaked.revoke', { secret: leaked, serverId });
    assert.equal(refused.error.code, 'forbidden');
    granted.add('http://127.0.0.1/*');
    granted.add(`${EXT}/*`);
    const panel = await ask('leaked.revoke', { secret: leaked, serverId }, PANEL);
    assert.equal(panel.error.code, 'forbidden');
    assert.deepEqual(server.reported, []);
    assert.equal(await dump(), before);
  });

  test('a GitHub token goes to GitHub only once api.github.com is granted; the exact call (loopback stand-in: no network here)', async () => {
    const seen: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];
    const { createServer } = await import('node:http');
    const gh = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((done) => gh.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(gh.address() as { port: number }).port}`;
    try {
      useService(new BackgroundService({ browser: makeServiceApis(), providers: server.registry(), cache, githubApi: async () => url }));
      const ghp = `ghp_${'Gh7'.repeat(12)}`;
      const refused = await ask('leaked.revoke', { secret: ghp });
      assert.equal(refused.error.code, 'forbidden');
      assert.match(refused.error.message, /api\.github\.com/);
      assert.equal(seen.length, 0, 'nothing sent without the permission');
      granted.add('https://api.github.com/*');
      assert.deepEqual(await ok('leaked.revoke', { secret: ghp }), { outcome: 'reported', token: null, kind: 'github_classic', target: 'github', serverName: null });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.path, '/credentials/revoke');
      assert.equal(seen[0]!.headers['x-github-api-version'], '2022-11-28');
      assert.deepEqual(JSON.parse(seen[0]!.body), { credentials: [ghp] });
      assert.deepEqual(server.reported, [], 'no configured server saw it');
    } finally {
      await new Promise((done) => gh.close(done));
    }
  });
});
