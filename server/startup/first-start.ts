/**
 * What start-up does to the data before serving: create `admin` on first start, reset its password
 * on request, turn PATs on, seed the demo data.
 */
import type { AppContext } from '../app-context.ts';
import { publicId, randomBase62 } from '../auth/credentials.ts';
import { hashPassword } from '../auth/passwords.ts';
import { ROLE_SYSTEM_ADMIN, ROLE_SYSTEM_USER } from '../catalog/catalog.ts';
import { seedDemo } from '../demo/demo-data.ts';
import { seedDemoOrgs } from '../demo/demo-orgs.ts';
import type { ServerOptions, StartupInfo } from '../server-options.ts';
import { ConflictError, type AuditEntry, type NewUser, type Store } from '../store/store.ts';

/**
 * Creates `admin` on first start. Instances starting together on one new database race here; the
 * loser finds the winner's admin (its own generated password is then never valid, so not reported).
 */
async function createFirstAdmin(store: Store, user: NewUser, audit: AuditEntry): Promise<boolean> {
  try {
    await store.createUser(user, audit);
    return true;
  } catch (error) {
    if (error instanceof ConflictError && (await store.getUserByUsername('admin'))) return false;
    throw error;
  }
}

function startupAudit(action: string, ownerId: string | null, at: string, detail: AuditEntry['detail']): AuditEntry {
  return { action, actor: null, token_id: null, owner_id: ownerId, ip: null, at, detail };
}

async function setUpAdmin(ctx: AppContext, options: ServerOptions, info: StartupInfo): Promise<void> {
  const { store } = ctx;
  const existing = await store.getUserByUsername('admin');
  const at = new Date(ctx.now()).toISOString();
  if (!existing) {
    const password = options.adminPassword || randomBase62(20);
    const id = publicId('usr');
    const created = await createFirstAdmin(
      store,
      { id, username: 'admin', display_name: 'Administrator', kind: 'person', password_hash: await hashPassword(password), roles: [ROLE_SYSTEM_ADMIN, ROLE_SYSTEM_USER], created_at: at },
      startupAudit('user.created', id, at, { username: 'admin', first_start: true }),
    );
    if (created && !options.adminPassword) info.generatedAdminPassword = password;
    info.createdAdmin = created;
  } else if (options.resetAdminPassword) {
    const password = options.adminPassword || randomBase62(20);
    if (!options.adminPassword) info.generatedAdminPassword = password;
    await store.updateUser(
      existing.id,
      { password_hash: await hashPassword(password) },
      startupAudit('user.password_reset', existing.id, at, { username: 'admin', source: 'command_line' }),
    );
    info.resetAdminPassword = true;
  }
}

/** Prepares the data for serving; closes the store when any step fails. */
export async function prepareData(ctx: AppContext, options: ServerOptions): Promise<StartupInfo> {
  const { store } = ctx;
  const info: StartupInfo = { store, generatedAdminPassword: null, createdAdmin: false, resetAdminPassword: false, demo: null };
  try {
    await setUpAdmin(ctx, options, info);
    if (options.enablePats && !(await store.getSettings()).enable_personal_access_tokens) {
      await store.updateSettings(
        { enable_personal_access_tokens: true },
        startupAudit('settings.updated', null, new Date(ctx.now()).toISOString(), { enable_personal_access_tokens: true, source: 'startup' }),
      );
    }
    if (options.demo) {
      info.demo = await seedDemo(ctx);
      await seedDemoOrgs(ctx);
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  return info;
}
