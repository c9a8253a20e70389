/** A user as the API shows it: its record with the permissions its roles grant now. */
import type { User } from '../../lib/model.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { UserRecord } from '../store/store.ts';

export function userDto(ctx: { catalog: Catalog }, user: UserRecord): User {
  return {
    id: user.id,
    username: user.username,
    display_name: user.display_name,
    active: user.active,
    kind: user.kind,
    roles: user.roles,
    permissions: ctx.catalog.permissionsOf(user.roles),
    created_at: user.created_at,
  };
}
