/**
 * The reference server's provider's organisation and group operations against a real server with demo data
 * (alice: organization user of "Example Org", admin of its group "Platform team").
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ProviderError } from '../../../../lib/errors.ts';
import { parseGroup, parseMembership, parseOrganization } from '../../../../lib/parse-org.ts';
import { ReferenceServerProvider } from '../../../../lib/providers/reference-server/provider.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer({ demo: true, inProcess: true });
});

after(async () => {
  await server?.stop();
});

async function signedIn(username: string, password: string): Promise<ReferenceServerProvider> {
  const provider = new ReferenceServerProvider({ baseUrl: server.url });
  await provider.signIn({ kind: 'password', username, password });
  await provider.refreshCapabilities();
  return provider;
}

describe('ReferenceServerProvider: organisation and group tokens', () => {
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
      (e: unknown) => e instanceof ProviderError && e.code === 'forbidden',
    );
    await assert.rejects(
      alice.createScopedToken({ kind: 'organization', id: org!.id, name: org!.name }, { name: 'x', admin_role: false }),
      (e: unknown) => e instanceof ProviderError && e.code === 'forbidden',
    );
  });

  test('a System Admin creates an organisation and a group, adds members, sets their role and removes them', async () => {
    const admin = await signedIn('admin', server.adminPassword);
    const alice = await signedIn('alice', 'alice-demo-password');
    const aliceId = (await alice.currentUser()).id;
    const org = await admin.createOrganization('Provider Org');
    assert.equal(org.name, 'Provider Org');
    assert.match(org.id, /^org_/);
    await assert.rejects(admin.createOrganization('Provider Org'), (e: unknown) => e instanceof ProviderError && e.code === 'conflict');
    const group = await admin.createGroup(org.id, 'Provider group');
    assert.equal(group.org_id, org.id);
    assert.deepEqual((await admin.listGroups(org.id)).map((g) => g.id), [group.id]);

    const orgLevel = { kind: 'organization' as const, id: org.id, name: org.name };
    const groupLevel = { kind: 'group' as const, id: group.id, org_id: org.id, name: group.name };
    assert.deepEqual(await admin.listMembers(orgLevel), []);
    const added = await admin.setMember(orgLevel, aliceId, 'user');
    assert.equal(added.role, 'user');
    assert.equal(added.user.username, 'alice');
    assert.equal(added.user.kind, 'person');
    assert.equal((await admin.setMember(orgLevel, aliceId, 'admin')).role, 'admin');
    assert.deepEqual((await admin.listMembers(orgLevel)).map((m) => [m.user.username, m.role]), [['alice', 'admin']]);
    // The change is alice's at once: she now manages the organisation's tokens.
    assert.equal((await alice.listOrganizations()).find((o) => o.id === org.id)?.can_manage_tokens, true);

    await admin.setMember(groupLevel, aliceId, 'user');
    assert.deepEqual((await admin.listMembers(groupLevel)).map((m) => m.role), ['user']);
    await admin.removeMember(groupLevel, aliceId);
    assert.deepEqual(await admin.listMembers(groupLevel), []);
    await admin.removeMember(orgLevel, aliceId);
    assert.equal((await alice.listOrganizations()).some((o) => o.id === org.id), false);
    await assert.rejects(admin.removeMember(orgLevel, aliceId), (e: unknown) => e instanceof ProviderError && e.code === 'not_found');
  });

  test('members may not administer: creating organisations or groups and setting members is forbidden', async () => {
    const alice = await signedIn('alice', 'alice-demo-password');
    const [org] = await alice.listOrganizations();
    const level = { kind: 'organization' as const, id: org!.id, name: org!.name };
    const forbidden = (e: unknown): boolean => e instanceof ProviderError && e.code === 'forbidden';
    await assert.rejects(alice.createOrganization('Mine'), forbidden);
    await assert.rejects(alice.createGroup(org!.id, 'Mine'), forbidden);
    await assert.rejects(alice.setMember(level, (await alice.currentUser()).id, 'admin'), forbidden);
    await assert.rejects(alice.listMembers(level), forbidden);
  });

  test('answers of the wrong shape are bad_response errors that name the field', () => {
    assert.throws(() => parseOrganization({ id: 'o', name: 'n', created_at: null, role: 'owner', can_manage_tokens: true }, 'org'), /org\.role/);
    assert.throws(() => parseGroup({ id: 'g', name: 'n', created_at: null, role: null, can_manage_tokens: true }, 'group'), /group\.org_id/);
    const ok = parseOrganization({ id: 'o', name: 'n', created_at: null, role: null, can_manage_tokens: false, secret: 'x' }, 'org');
    assert.equal('secret' in ok, false);
    const member = { user: { id: 'u', username: 'a', display_name: 'A', kind: 'person' }, role: 'user', created_at: null };
    assert.equal(parseMembership(member, 'm').role, 'user');
    assert.throws(() => parseMembership({ ...member, role: null }, 'member'), /member\.role/);
    assert.throws(() => parseMembership({ ...member, user: { ...member.user, kind: 'robot' } }, 'member'), /member\.user\.kind/);
  });
});
