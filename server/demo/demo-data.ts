/** Demo data for `npm start` (`--demo`): PATs on, user `alice` without the token role, example tokens. */
import { ROLE_SYSTEM_ADMIN, ROLE_SYSTEM_USER, ROLE_TOKEN_CREATOR } from '../catalog/catalog.ts';
import type { AppContext } from '../app-context.ts';
import { digestCredential, generateToken, last4, publicId } from '../auth/credentials.ts';
import { hashPassword } from '../auth/passwords.ts';

export const DEMO_USER = { username: 'alice', password: 'alice-demo-password' };
const DAY_MS = 86_400_000;

export interface DemoInfo {
  username: string;
  password: string;
  /** Whether alice holds the token role now (an admin may have granted it since the first start). */
  canCreateTokens: boolean;
}

/** Idempotent: the data is created once per data dir; later starts only keep PATs enabled. */
export async function seedDemo(ctx: AppContext): Promise<DemoInfo> {
  await seedDemoData(ctx);
  const alice = await ctx.store.getUserByUsername(DEMO_USER.username);
  const canCreateTokens = !!alice?.roles.some((r) => r === ROLE_TOKEN_CREATOR || r === ROLE_SYSTEM_ADMIN);
  return { ...DEMO_USER, canCreateTokens };
}

async function seedDemoData(ctx: AppContext): Promise<void> {
  const { store } = ctx;
  const at = () => new Date(ctx.now()).toISOString();
  const system = (action: string, detail: Record<string, string | number | boolean | null>, owner: string | null = null) => ({
    action,
    actor: null,
    token_id: null,
    owner_id: owner,
    ip: null,
    at: at(),
    detail: { ...detail, source: 'demo' },
  });
  if (!(await store.getSettings()).enable_personal_access_tokens) {
    await store.updateSettings({ enable_personal_access_tokens: true }, system('settings.updated', { enable_personal_access_tokens: true }));
  }
  if ((await store.getFlag('demo_seeded')) !== null) return;

  if (!(await store.getUserByUsername(DEMO_USER.username))) {
    const id = publicId('usr');
    await store.createUser(
      { id, username: DEMO_USER.username, display_name: 'Alice Example', kind: 'person', password_hash: await hashPassword(DEMO_USER.password), roles: [ROLE_SYSTEM_USER], created_at: at() },
      system('user.created', { username: DEMO_USER.username }, id),
    );
  }
  const admin = await store.getUserByUsername('admin');
  if (admin) {
    const examples = [
      { name: 'CI deploy', description: 'Used by the deploy pipeline', scopes: ['tokens:read', 'tokens:write'], days: 90 as number | null, age: 0 },
      { name: 'Monitoring', description: 'Host app backend: validates tokens', scopes: ['tokens:introspect'], days: 30, age: 0 },
      // Created long ago and never used, so the tour's "Unused for" filter and "Disable unused…" find it.
      { name: 'Read-only reporting', description: 'Weekly token report', scopes: ['tokens:read', 'users:read', 'settings:read'], days: 7, age: 120 },
    ];
    for (const example of examples) {
      // The secrets of example tokens are never shown: they exist to be listed and managed.
      const secret = generateToken();
      const id = publicId('tok');
      await store.insertToken(
        {
          id,
          digest: digestCredential(ctx.pepper, secret),
          last4: last4(secret),
          owner_kind: 'user',
          owner_user_id: admin.id,
          owner_scope_id: null,
          owner_scope_name: null,
          name: example.name,
          description: example.description,
          created_at: new Date(ctx.now() - example.age * DAY_MS).toISOString(),
          created_by_id: admin.id,
          expires_at: example.days === null ? null : new Date(ctx.now() + example.days * DAY_MS).toISOString(),
          scopes: example.scopes,
        },
        { ...system('token.created', { name: example.name }, admin.id), token_id: id },
      );
    }
  }
  await store.setFlag('demo_seeded', at());
}
