/**
 * The patkit provider's organisation and group operations against a real server with demo data
 * (alice: organization user of "Example Org", admin of its group "Platform team").
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PatkitError } from '../../lib/errors.ts';
import { parseGroup, parseOrganization } from '../../lib/parse-org.ts';
import { PatkitProvider } from '../../lib/providers/patkit.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer({ demo: true, inProcess: true });
});

after(async () => {
  await server?.stop();
});

async function signedIn(username: string, password: string): Promise<PatkitProvider> {
  const provider = new PatkitProvider({ baseUrl: server.url });
  await provider.signIn({ kind: 'password', username, password });
  await provider.refreshCapabilities();
  return provider;
}

describe('PatkitProvider: organisation and group tokens', () => {
  test('a group admin lists, creates (admin role), revokes and deletes the group’s tokens', async () => {
    const alice = await signedIn('alice', 'alice-demo-password');
    assert.equal(alice.capabilities.orgTokens, true);
    const orgs = await alice.listOrganizations();
    assert.equal(orgs.length, 1);
    assert.equal(orgs[0]!.name, 'Example Org');
    assert.equal(orgs[0]!.role, 'user');
    assert.equal(orgs[0]!.can_manage_tokens, false);
    const groups = await alice.listGroups(orgs[0]!.id);
    assert.equal(groups.length, 1);
    const group = groups[0]!;
    assert.equal(group.role, 'admin');
    assert.equal(group.can_manage_tokens, true);
    const owner = { kind: 'group' as const, id: group.id, org_id: group.org_id, name: group.name };

    const created = await alice.createScopedToken(owner, { name: 'deploy bot', admin_role: true }, { password: 'alice-demo-password' });
    assert.match(created.secret, /^pat_[0-9A-Za-z]{36}$/);
    assert.equal(created.token.owner.kind, 'group');
    assert.equal(created.token.owner.scope_id, group.id);
    assert.deepEqual([...created.token.scopes].sort(), [`group:${group.id}:admin`, `group:${group.id}:user`]);

    const listed = await alice.listScopedTokens(owner);
    assert.deepEqual(listed.map((t) => t.id), [created.token.id]);
    assert.ok(!JSON.stringify(listed).includes(created.secret));

    assert.equal((await alice.disableToken(created.token.id)).status, 'disabled');
    assert.equal((await alice.listScopedTokens(owner))[0]!.status, 'disabled');
    await alice.deleteToken(created.token.id, { password: 'alice-demo-password' });
    assert.deepEqual(await alice.listScopedTokens(owner), []);
  });

  test('an organisation user may not list the organisation’s tokens: a typed forbidden error', async () => {
    const alice = await signedIn('alice', 'alice-demo-password');
    const [org] = await alice.listOrganizations();
    await assert.rejects(
      alice.listScopedTokens({ kind: 'organization', id: org!.id, name: org!.name }),
      (e: unknown) => e instanceof PatkitError && e.code === 'forbidden',
    );
    await assert.rejects(
      alice.createScopedToken({ kind: 'organization', id: org!.id, name: org!.name }, { name: 'x', admin_role: false }),
      (e: unknown) => e instanceof PatkitError && e.code === 'forbidden',
    );
  });

  test('answers of the wrong shape are bad_response errors that name the field', () => {
    assert.throws(() => parseOrganization({ id: 'o', name: 'n', created_at: null, role: 'owner', can_manage_tokens: true }, 'org'), /org\.role/);
    assert.throws(() => parseGroup({ id: 'g', name: 'n', created_at: null, role: null, can_manage_tokens: true }, 'group'), /group\.org_id/);
    const ok = parseOrganization({ id: 'o', name: 'n', created_at: null, role: null, can_manage_tokens: false, secret: 'x' }, 'org');
    assert.equal('secret' in ok, false);
  });
});
