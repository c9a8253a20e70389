/** Users and roles, for an admin: `<pat-role-manager>` in the role panel sends these. */
import type { BackgroundContext } from '../context.ts';
import type { Handlers } from './handler.ts';
import { requireOperation } from '../../../lib/providers/require-operation.ts';

export type UserMessage = 'users.list' | 'roles.list' | 'users.setRoles' | 'users.setActive';

export function userHandlers(bg: BackgroundContext): Handlers<UserMessage> {
  return {
    'users.list': ({ serverId, query }) => bg.call(serverId, (p) => requireOperation(p, 'listUsers')(query)),
    'roles.list': ({ serverId }) => bg.call(serverId, (p) => requireOperation(p, 'listRoles')()),
    'users.setRoles': ({ serverId, userId, roles }) => bg.call(serverId, (p) => requireOperation(p, 'setUserRoles')(userId, roles)),
    'users.setActive': ({ serverId, userId, active }) => bg.call(serverId, (p) => requireOperation(p, 'setUserActive')(userId, active)),
  };
}
