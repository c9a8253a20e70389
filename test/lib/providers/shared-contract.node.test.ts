/**
 * The contract every built-in provider keeps, run against each server it speaks to (the reference
 * server, and the Mattermost, Gitea and GitLab stand-ins that check every request against the
 * vendored API contracts): sign-in names the user; a created token comes back with its secret once
 * and lists as metadata only; delete takes it off the active list; after sign-out nothing works
 * until the next sign-in; what the capabilities offer exists. Each provider's own suite covers
 * what only its server does.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNoSecret } from '../../../lib/cache/secret-guard.ts';
import type { Confirmation, TokenDraft } from '../../../lib/model.ts';
import type { TokenProvider } from '../../../lib/provider.ts';
import { GiteaProvider } from '../../../lib/providers/gitea/provider.ts';
import { GitLabProvider } from '../../../lib/providers/gitlab/provider.ts';
import { MattermostProvider } from '../../../lib/providers/mattermost/provider.ts';
import { OPERATIONS, requireOperation, supports, type OptionalOperation } from '../../../lib/providers/operations.ts';
import { ReferenceServerProvider } from '../../../lib/providers/reference-server/provider.ts';
import { GiteaStandIn } from '../../support/gitea-server.ts';
import { GitLabStandIn } from '../../support/gitlab-server.ts';
import { MattermostStandIn } from '../../support/mattermost-server.ts';
import { startTestServer } from '../../support/server.ts';
import { rejectsWith } from '../support/provider-error-assertions.ts';

interface Session {
  /** Signed in as `username`, who may create tokens. */
  provider: TokenProvider;
  username: string;
  draft: TokenDraft;
  confirm?: Confirmation;
  stop(): Promise<void>;
}

const PW = 'Shared-contract-pw-1234';

const HARNESSES: Record<string, () => Promise<Session>> = {
  'reference server': async () => {
    const server = await startTestServer({ enablePats: true });
    const provider = new ReferenceServerProvider({ baseUrl: server.url });
    await provider.signIn({ kind: 'password', username: 'admin', password: server.adminPassword });
    await provider.refreshCapabilities();
    return { provider, username: 'admin', draft: { name: 'shared contract', scopes: [] }, confirm: { password: server.adminPassword, acknowledge_admin_token: true }, stop: () => server.stop() };
  },
  Mattermost: async () => {
    const mm = await MattermostStandIn.start({ version: '11.1.0' });
    mm.addUser('alice', PW, 'system_user system_user_access_token');
    const provider = new MattermostProvider({ baseUrl: mm.url, timeoutMs: 5000 });
    await provider.signIn({ kind: 'password', username: 'alice', password: PW });
    await provider.refreshCapabilities();
    return { provider, username: 'alice', draft: { name: 'shared contract', description: 'shared contract' }, stop: () => mm.stop() };
  },
  Gitea: async () => {
    const gitea = await GiteaStandIn.start();
    gitea.addUser('alice', PW);
    const provider = new GiteaProvider({ baseUrl: gitea.url, timeoutMs: 5000 });
    await provider.signIn({ kind: 'password', username: 'alice', password: PW });
    await provider.refreshCapabilities();
    return { provider, username: 'alice', draft: { name: 'shared contract', scopes: ['read:user'] }, confirm: { password: PW }, stop: () => gitea.stop() };
  },
  GitLab: async () => {
    const gl = await GitLabStandIn.start();
    const root = gl.addUser('root', { is_admin: true, name: 'Administrator' });
    const provider = new GitLabProvider({ baseUrl: gl.url, timeoutMs: 5000 });
    await provider.signIn({ kind: 'token', token: gl.addToken(root, 'signin', ['api']).token });
    return { provider, username: 'root', draft: { name: 'shared contract', scopes: ['read_api'] }, stop: () => gl.stop() };
  },
};

describe('every provider keeps the shared contract', () => {
  for (const [server, start] of Object.entries(HARNESSES)) {
    test(server, async () => {
      const { provider: p, username, draft, confirm, stop } = await start();
      try {
        assert.equal((await p.currentUser()).username, username);
        for (const op of Object.keys(OPERATIONS) as OptionalOperation[]) {
          if (supports(p, op)) assert.equal(typeof p[op], 'function', op);
        }
        assert.equal(supports(p, 'createToken'), true, 'this user may create tokens');
        const created = await requireOperation(p, 'createToken')(draft, confirm);
        assert.ok(created.secret.length >= 8, 'the secret comes back once');
        assertNoSecret(created.token);
        assert.ok(!JSON.stringify(created.token).includes(created.secret), 'the metadata does not carry the secret');
        const listed = (await p.listTokens()).items.find((t) => t.id === created.token.id);
        assert.equal(listed?.status, 'active', 'the new token lists as active');
        assertNoSecret(listed);
        assert.equal((await p.getToken(created.token.id)).id, created.token.id);
        await requireOperation(p, 'deleteToken')(created.token.id, confirm);
        const after = (await p.listTokens()).items.find((t) => t.id === created.token.id);
        assert.ok(after === undefined || after.status !== 'active', 'a deleted token is no longer active');
        await p.signOut();
        await rejectsWith(p.listTokens(), 'unauthorized');
      } finally {
        await stop();
      }
    });
  }
});
