/**
 * The reference server's provider in Chromium against the real server web-test-runner started: the same contract
 * cases as under Node, through the browser's fetch and CORS.
 */
import { expect } from '@open-wc/testing';
import { ProviderError } from '../../../../lib/errors.ts';
import { ReferenceServerProvider } from '../../../../lib/providers/reference-server/provider.ts';
import { testEnv } from '../../support/browser-env.ts';
import { describe, it } from '../../../support/mocha.ts';
import { referenceServerContractCases } from './contract.ts';

describe('ReferenceServerProvider against a real server (Chromium)', () => {
  for (const c of referenceServerContractCases) {
    it(c.name, async () => c.run(await testEnv()));
  }

  it('cookie mode, same origin (as the server console): HttpOnly session, CSRF header, no Authorization, real operations', async () => {
    const { adminPassword } = await testEnv();
    const seen: RequestInit[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push(init ?? {});
      return fetch(input, init);
    };
    // The runner proxies /api/v1 to the test server, so this origin is the server's origin.
    const provider = new ReferenceServerProvider({ baseUrl: location.origin, sessionMode: 'cookie', fetch: recording });
    const signedIn = await provider.signIn({ kind: 'password', username: 'admin', password: adminPassword });
    expect(signedIn.credential).to.equal('');
    expect(document.cookie).to.not.contain('pks_');
    const created = await provider.createToken({ name: `cookie-${Date.now()}`, scopes: [] }, { password: adminPassword, acknowledge_admin_token: true });
    expect((await provider.getToken(created.token.id)).name).to.equal(created.token.name);
    await provider.deleteToken(created.token.id, { password: adminPassword });
    for (const init of seen) {
      const headers = new Headers(init.headers);
      expect(init.credentials).to.equal('same-origin');
      expect(headers.get('x-patkit-csrf')).to.equal('1');
      expect(headers.get('authorization')).to.equal(null);
    }
    await provider.signOut();
    let code = '';
    try {
      await provider.currentUser();
    } catch (error) {
      code = (error as { code?: string }).code ?? '';
    }
    expect(code).to.equal('unauthorized');
  });

  it('cookie mode from another origin is refused by the server (csrf_failed), the cookie never sent', async () => {
    const { serverUrl, adminPassword } = await testEnv();
    const provider = new ReferenceServerProvider({ baseUrl: serverUrl, sessionMode: 'cookie' });
    let error: ProviderError | undefined;
    try {
      await provider.signIn({ kind: 'password', username: 'admin', password: adminPassword });
    } catch (e) {
      error = e as ProviderError;
    }
    expect(error).to.be.instanceOf(ProviderError);
    expect(error?.code).to.equal('forbidden');
    expect(error?.serverCode).to.equal('csrf_failed');
  });
});
