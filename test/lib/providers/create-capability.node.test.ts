/**
 * `capabilities.create`: every provider says before any wizard whether the signed-in user may
 * create tokens, and why not (the popup withholds "New token" and shows the reason).
 * Run: `npm run test:lib`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServerSettings, User } from '../../../lib/model.ts';
import { mattermostCapabilities } from '../../../lib/providers/mattermost/index.ts';
import { npmRegistryCapabilities } from '../../../lib/providers/npm-registry/index.ts';
import { referenceServerCapabilities } from '../../../lib/providers/reference-server/capabilities.ts';

const user = (roles: string[], permissions: string[]): User => ({
  id: 'usr_1', username: 'alice', display_name: 'Alice', active: true, kind: 'person', roles, permissions, created_at: null,
});
const settings = (on: boolean): ServerSettings => ({
  enable_personal_access_tokens: on, require_password_confirmation: true, default_lifetime_days: 30, max_lifetime_days: 0, allow_no_expiry: true,
});

test('patkit: only System Admins and holders of the token role may create; PATs off blocks everyone', () => {
  assert.deepEqual(referenceServerCapabilities(settings(true), user(['user_access_token'], ['tokens:read', 'tokens:write'])).create, { allowed: true, reason: null });
  assert.equal(referenceServerCapabilities(settings(true), user(['system_admin'], [])).create.allowed, true);
  const noRole = referenceServerCapabilities(settings(true), user(['system_user'], ['tokens:read', 'tokens:write'])).create;
  assert.equal(noRole.allowed, false);
  assert.match(noRole.reason ?? '', /may not create personal access tokens.*An admin can grant it the role/);
  const off = referenceServerCapabilities(settings(false), user(['system_admin'], [])).create;
  assert.equal(off.allowed, false);
  assert.match(off.reason ?? '', /turned off on this server/);
  assert.equal(referenceServerCapabilities(null, null).create.allowed, true, 'unknown before sign-in');
});

test('Mattermost: the create_user_access_token permission decides', () => {
  const version = { major: 10, minor: 0, patch: 0 } as Parameters<typeof mattermostCapabilities>[0];
  assert.equal(mattermostCapabilities(version, null, user(['system_user', 'system_user_access_token'], ['create_user_access_token'])).create.allowed, true);
  const denied = mattermostCapabilities(version, null, user(['system_user'], ['read_user_access_token'])).create;
  assert.equal(denied.allowed, false);
  assert.match(denied.reason ?? '', /personal access token role/);
});

test('npm: every signed-in registry account may create (the registry asks its password)', () => {
  assert.deepEqual(npmRegistryCapabilities().create, { allowed: true, reason: null });
});
