/**
 * Changes to users (admins): create, rename, deactivate / reactivate, new password, roles. The
 * server never loses its last active System Admin, and nobody deactivates their own account.
 */
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { publicId } from '../auth/credentials.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Caller } from '../auth/principal.ts';
import { ROLE_SYSTEM_ADMIN, ROLE_SYSTEM_USER } from '../catalog/catalog.ts';
import { conflictAsProblem, problems } from '../http/problems.ts';
import type { UserRecord } from '../store/store.ts';

function checkRoles(ctx: AppContext, roles: string[]): string[] {
  const unknown = roles.filter((r) => !ctx.catalog.isRole(r));
  if (unknown.length) throw problems.field('roles', `Unknown role: ${unknown.slice(0, 5).join(', ')}.`);
  return [...new Set(roles)];
}

/** Never leave the server without an active System Admin. */
/**
 * The friendly early refusal; the store checks again as it writes (`KEEP_AN_ADMIN`), so two admins
 * removing each other at the same moment cannot both pass (docs/security.md rule 27).
 */
async function keepAnAdmin(ctx: AppContext, user: UserRecord, losesAdmin: boolean): Promise<void> {
  if (losesAdmin && user.active && user.roles.includes(ROLE_SYSTEM_ADMIN) && (await ctx.store.countActiveUsersWithRole(ROLE_SYSTEM_ADMIN)) <= 1) {
    throw problems.conflict('This is the last active System Admin; make another user an admin first.');
  }
}

const KEEP_AN_ADMIN = { keep_active_role: ROLE_SYSTEM_ADMIN };

async function existingUser(ctx: AppContext, id: string): Promise<UserRecord> {
  const user = await ctx.store.getUser(id);
  if (!user) throw problems.notFound('That user');
  return user;
}

export interface NewUserRequest {
  username: string;
  display_name: string;
  password: string;
  roles?: string[];
}

/** A new person (default role: System User). */
export async function createUser(ctx: AppContext, caller: Caller, body: NewUserRequest): Promise<UserRecord> {
  const roles = checkRoles(ctx, body.roles ?? [ROLE_SYSTEM_USER]);
  if (await ctx.store.getUserByUsername(body.username)) throw problems.conflict(`The username "${body.username}" is taken.`);
  const id = publicId('usr');
  const passwordHash = await hashPassword(body.password);
  return conflictAsProblem(() =>
    ctx.store.createUser(
      { id, username: body.username, display_name: body.display_name, kind: 'person', password_hash: passwordHash, roles, created_at: nowIso(ctx) },
      auditEntry(ctx, caller, 'user.created', { owner_id: id, detail: { username: body.username, roles: roles.join(' ') } }),
    ),
  );
}

export interface UserChange {
  display_name?: string;
  active?: boolean;
  password?: string;
}

export async function updateUser(ctx: AppContext, caller: Caller, id: string, body: UserChange): Promise<UserRecord> {
  const user = await existingUser(ctx, id);
  if (body.active === false && user.id === caller.principal.user.id) throw problems.conflict('You cannot deactivate your own account.');
  await keepAnAdmin(ctx, user, body.active === false);
  const action = body.active === false && user.active ? 'user.deactivated' : body.active === true && !user.active ? 'user.reactivated' : 'user.updated';
  const fields = Object.keys(body).join(' ');
  const updated = await ctx.store.updateUser(
    user.id,
    { display_name: body.display_name, active: body.active, password_hash: body.password === undefined ? undefined : await hashPassword(body.password) },
    auditEntry(ctx, caller, action, { owner_id: user.id, detail: { username: user.username, fields } }),
    body.active === false && user.roles.includes(ROLE_SYSTEM_ADMIN) ? KEEP_AN_ADMIN : undefined,
  );
  if (!updated) throw problems.notFound('That user');
  return updated;
}

/** Sets exactly these roles. */
export async function setRoles(ctx: AppContext, caller: Caller, id: string, requested: string[]): Promise<UserRecord> {
  const user = await existingUser(ctx, id);
  const roles = checkRoles(ctx, requested);
  await keepAnAdmin(ctx, user, !roles.includes(ROLE_SYSTEM_ADMIN));
  const updated = await ctx.store.setUserRoles(
    user.id,
    roles,
    auditEntry(ctx, caller, 'user.roles_changed', { owner_id: user.id, detail: { username: user.username, roles: roles.join(' '), previous: user.roles.join(' ') } }),
    user.roles.includes(ROLE_SYSTEM_ADMIN) && !roles.includes(ROLE_SYSTEM_ADMIN) ? KEEP_AN_ADMIN : undefined,
  );
  if (!updated) throw problems.notFound('That user');
  return updated;
}
