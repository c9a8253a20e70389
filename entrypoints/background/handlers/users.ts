/** Users and roles, for an admin: `<pat-role-manager>` in the role panel sends these. */
import type { BackgroundContext } from '../context.ts';
import type { Handlers } from './handler.ts';

export type UserMessage = 'users.list' | 'roles.list' | 'users.setRoles' | 'users.setActive';

export function userHandlers(bg: BackgroundContext): Handlers<UserMessage> {
  return {
    'users.list': ({ serverId, query }) => bg.call(serverId, (p) => p.listUsers(query)),
    'roles.list': ({ serverId }) => bg.call(serverId, (p) => p.listRoles()),
    'users.setRoles': ({ serverId, userId, roles }) => bg.call(serverId, (p) => p.setUserRoles(userId, roles)),
    'users.setActive': ({ serverId, userId, active }) => bg.call(serverId, (p) => p.setUserActive(userId, active)),
  };
}
