/**
 * Demo organisation for `npm start` (`--demo`): "Example Org" with the group "Platform team"; alice is
 * an organization user and the group's admin, so she manages the group's access tokens (and the
 * admin, as System Admin, everything). No example tokens: their technical users would crowd the demo's
 * user list. Idempotent, with its own flag so data dirs seeded before organisations existed get it too.
 */
import type { AppContext } from '../app-context.ts';
import { publicId } from '../auth/credentials.ts';
import { DEMO_USER } from './demo-data.ts';
import type { AuditEntry } from '../store/store.ts';

export const DEMO_ORG = { name: 'Example Org', group: 'Platform team' };

export async function seedDemoOrgs(ctx: AppContext): Promise<void> {
  const { store } = ctx;
  if ((await store.getFlag('demo_orgs_seeded')) !== null) return;
  const at = () => new Date(ctx.now()).toISOString();
  const system = (action: string, detail: AuditEntry['detail'], owner: string | null = null, token: string | null = null): AuditEntry => ({
    action,
    actor: null,
    token_id: token,
    owner_id: owner,
    ip: null,
    at: at(),
    detail: { ...detail, source: 'demo' },
  });
  const orgId = publicId('org');
  const groupId = publicId('grp');
  await store.orgs.createOrg({ id: orgId, name: DEMO_ORG.name, created_at: at() }, system('org.created', { org_id: orgId, name: DEMO_ORG.name }));
  await store.orgs.createGroup(
    { id: groupId, org_id: orgId, name: DEMO_ORG.group, created_at: at() },
    system('group.created', { org_id: orgId, group_id: groupId, name: DEMO_ORG.group }),
  );
  const alice = await store.getUserByUsername(DEMO_USER.username);
  if (alice) {
    await store.orgs.setMember('organization', orgId, alice.id, 'user', at(), system('org.member_added', { org_id: orgId, role: 'user' }, alice.id));
    await store.orgs.setMember('group', groupId, alice.id, 'admin', at(), system('group.member_added', { group_id: groupId, role: 'admin' }, alice.id));
  }
  await store.setFlag('demo_orgs_seeded', at());
}
