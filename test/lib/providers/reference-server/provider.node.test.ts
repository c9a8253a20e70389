/**
 * The reference server's provider under Node 24 against a real patkit server (child process, fresh data dir):
 * the shared contract cases, plus what only Node can observe here (cookie mode's request shape).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ReferenceServerProvider } from '../../../../lib/providers/reference-server/provider.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { referenceServerContractCases } from './contract.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer({ enablePats: true });
});

after(async () => {
  await server?.stop();
});

describe('ReferenceServerProvider against a real server (Node)', () => {
  for (const c of referenceServerContractCases) {
    test(c.name, () => c.run({ serverUrl: server.url, adminPassword: server.adminPassword }));
  }

  test('bearer mode sends Authorization, never cookies, never the credential in a URL', async () => {
    const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
    const recording: typeof fetch = (input, init) => {
      seen.push({ url: String(input), init });
      return fetch(input, init);
    };
    const provider = new ReferenceServerProvider({ baseUrl: server.url, fetch: recording });
    const { credential } = await provider.signIn({ kind: 'password', username: 'admin', password: server.adminPassword });
    await provider.listTokens({ text: 'x' });
    const list = seen.at(-1);
    assert.equal(new Headers(list?.init?.headers).get('authorization'), `Bearer ${credential}`);
    assert.equal(list?.init?.credentials, 'omit');
    assert.ok(seen.every((s) => !s.url.includes(credential)));
    assert.ok(seen.every((s) => !s.url.includes(server.adminPassword)), 'the password went in a body, not a URL');
  });

  test('cookie mode: same-origin credentials, the CSRF header, no Authorization, no credential handed to script', async () => {
    // Node's fetch has no cookie jar: this one plays the browser's part for the session cookie.
    let cookie = '';
    const seen: RequestInit[] = [];
    const jar: typeof fetch = async (input, init) => {
      seen.push(init ?? {});
      const headers = new Headers(init?.headers);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(input, { ...init, headers });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0] ?? '';
      return response;
    };
    const provider = new ReferenceServerProvider({ baseUrl: server.url, sessionMode: 'cookie', fetch: jar });
    const signedIn = await provider.signIn({ kind: 'password', username: 'admin', password: server.adminPassword });
    assert.equal(signedIn.credential, '', 'script never sees the cookie credential');
    assert.ok(cookie !== '', 'the server set a session cookie');
    const created = await provider.createToken({ name: 'cookie-made', scopes: [] }, { password: server.adminPassword, acknowledge_admin_token: true });
    assert.equal(created.token.name, 'cookie-made');
    for (const init of seen) {
      const headers = new Headers(init.headers);
      assert.equal(init.credentials, 'same-origin');
      assert.equal(headers.get('x-patkit-csrf'), '1');
      assert.equal(headers.get('authorization'), null);
    }
    await provider.signOut();
    await assert.rejects(provider.currentUser(), (e: unknown) => (e as { code?: string }).code === 'unauthorized');
  });
});
