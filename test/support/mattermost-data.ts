/**
 * The Mattermost stand-in's data: users, tokens and roles as the server keeps them, its ids, and
 * the built-in system roles with the permissions the provider and the tests rely on.
 */
import { randomBytes } from 'node:crypto';

export interface StandInUser {
  id: string;
  username: string;
  password: string;
  email: string;
  first_name: string;
  last_name: string;
  nickname: string;
  roles: string;
  create_at: number;
  update_at: number;
  delete_at: number;
}

export interface StandInToken {
  id: string;
  token: string;
  user_id: string;
  description: string;
  is_active: boolean;
  expires_at: number;
}

export interface StandInRole {
  id: string;
  name: string;
  display_name: string;
  description: string;
  permissions: string[];
  scheme_managed: boolean;
}

/** Mattermost ids: 26 lowercase base32 characters. */
export function mattermostId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(26);
  let out = '';
  for (const b of bytes) out += alphabet[b % 32];
  return out;
}

const TOKEN_PERMS = ['create_user_access_token', 'read_user_access_token', 'revoke_user_access_token'];

export function builtInRoles(): StandInRole[] {
  const role = (name: string, display_name: string, description: string, permissions: string[]): StandInRole => ({
    id: mattermostId(),
    name,
    display_name,
    description,
    permissions,
    scheme_managed: false,
  });
  return [
    role('system_user', 'authentication.roles.global_user.name', 'authentication.roles.global_user.description', ['create_team', 'list_public_teams', 'view_members']),
    role('system_admin', 'authentication.roles.global_admin.name', 'authentication.roles.global_admin.description', [
      'manage_system',
      'edit_other_users',
      'manage_roles',
      ...TOKEN_PERMS,
      'create_post',
      'create_post_public',
    ]),
    role('system_user_access_token', 'authentication.roles.system_user_access_token.name', 'authentication.roles.system_user_access_token.description', TOKEN_PERMS),
    role('system_post_all', 'authentication.roles.system_post_all.name', 'authentication.roles.system_post_all.description', ['create_post']),
    role('system_post_all_public', 'authentication.roles.system_post_all_public.name', 'authentication.roles.system_post_all_public.description', ['create_post_public']),
  ];
}
