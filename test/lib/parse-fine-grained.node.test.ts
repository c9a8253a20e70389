/**
 * Boundary shape checks for the fine-grained token fields (resources, IP allow-list, not-before,
 * templates, approval) and the resource and template answers: pure parsers, run under Node.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProviderError } from '../../lib/errors.ts';
import { parseOrganization } from '../../lib/parse-org.ts';
import { parseResourcePage, parseResourceTypeList, parseTemplateList } from '../../lib/parse-resources.ts';
import { parseServerSettings, parseTokenMeta } from '../../lib/parse.ts';

const TOKEN = {
  id: 'tok_1',
  owner: { kind: 'user', id: 'u1', username: 'alice', display_name: 'Alice' },
  name: 'ci',
  description: '',
  created_at: '2026-01-01T00:00:00.000Z',
  created_by: null,
  updated_at: null,
  expires_at: '2026-12-01T00:00:00.000Z',
  scopes: ['tokens:read'],
  status: 'pending',
  last_used_at: null,
  last_used_ip: null,
  last4: 'abcd',
};

const APPROVAL = {
  state: 'denied',
  justification: 'deploys',
  requested_at: '2026-01-01T00:00:00.000Z',
  decided_at: '2026-01-02T00:00:00.000Z',
  decided_by: { id: 'usr_a', username: 'admin' },
  reason: 'too broad',
};

function badResponse(fn: () => unknown, field: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ProviderError && e.code === 'bad_response' && field.test(e.message));
}

describe('fine-grained token fields', () => {
  test('every field the contract names is read, and a stray field inside is dropped', () => {
    const parsed = parseTokenMeta(
      {
        ...TOKEN,
        status: 'denied',
        resources: [{ type: 'project', id: 'p1', name: 'Project One', secret: 'x' }, { type: 'organization', id: 'org_1' }],
        allowed_ips: ['203.0.113.0/24', '2001:db8::/32'],
        not_before: '2026-02-01T00:00:00.000Z',
        template_id: 'tpl_1',
        approval: { ...APPROVAL, internal: 1 },
        lifetime_exceeds_policy: true,
      },
      'token',
    );
    assert.equal(parsed.status, 'denied');
    assert.deepEqual(parsed.resources, [{ type: 'project', id: 'p1', name: 'Project One' }, { type: 'organization', id: 'org_1' }]);
    assert.deepEqual(parsed.allowed_ips, ['203.0.113.0/24', '2001:db8::/32']);
    assert.equal(parsed.not_before, '2026-02-01T00:00:00.000Z');
    assert.equal(parsed.template_id, 'tpl_1');
    assert.deepEqual(parsed.approval, APPROVAL);
    assert.equal(parsed.lifetime_exceeds_policy, true);
  });

  test('null approval, not_before and template_id read as null; absent fields stay absent', () => {
    const parsed = parseTokenMeta({ ...TOKEN, approval: null, not_before: null, template_id: null, resources: [], allowed_ips: [] }, 't');
    assert.equal(parsed.approval, null);
    assert.equal(parsed.not_before, null);
    assert.equal(parsed.template_id, null);
    assert.deepEqual(parsed.resources, []);
    const plain = parseTokenMeta(TOKEN, 't');
    for (const key of ['resources', 'allowed_ips', 'not_before', 'template_id', 'approval', 'lifetime_exceeds_policy']) {
      assert.equal(key in plain, false, `${key} is absent where the server does not send it`);
    }
  });

  test('mistyped fine-grained fields are named', () => {
    badResponse(() => parseTokenMeta({ ...TOKEN, status: 'waiting' }, 'token'), /token\.status/);
    badResponse(() => parseTokenMeta({ ...TOKEN, resources: [{ type: 'project' }] }, 'token'), /token\.resources\[0\]\.id/);
    badResponse(() => parseTokenMeta({ ...TOKEN, allowed_ips: '10.0.0.0/8' }, 'token'), /token\.allowed_ips/);
    badResponse(() => parseTokenMeta({ ...TOKEN, not_before: 'soon' }, 'token'), /token\.not_before/);
    badResponse(() => parseTokenMeta({ ...TOKEN, approval: { ...APPROVAL, state: 'maybe' } }, 'token'), /token\.approval\.state/);
    badResponse(() => parseTokenMeta({ ...TOKEN, approval: { ...APPROVAL, requested_at: null } }, 'token'), /token\.approval\.requested_at/);
    badResponse(() => parseTokenMeta({ ...TOKEN, lifetime_exceeds_policy: 'yes' }, 'token'), /token\.lifetime_exceeds_policy/);
  });

  test('settings carry token_approval where the server has it, and only a known value', () => {
    const base = { enable_personal_access_tokens: true, require_password_confirmation: false, default_lifetime_days: 30, max_lifetime_days: 0, allow_no_expiry: true };
    assert.equal('token_approval' in parseServerSettings(base, 's'), false);
    assert.equal(parseServerSettings({ ...base, token_approval: 'non_admins' }, 's').token_approval, 'non_admins');
    badResponse(() => parseServerSettings({ ...base, token_approval: 'some' }, 's'), /s\.token_approval/);
  });

  test('organisations carry their token policies where the server sends them', () => {
    const org = { id: 'org_1', name: 'Acme', created_at: null, role: 'admin', can_manage_tokens: true };
    assert.equal('require_token_approval' in parseOrganization(org, 'o'), false);
    const parsed = parseOrganization({ ...org, require_token_approval: true, max_token_lifetime_days: null }, 'o');
    assert.equal(parsed.require_token_approval, true);
    assert.equal(parsed.max_token_lifetime_days, null);
    badResponse(() => parseOrganization({ ...org, max_token_lifetime_days: '30' }, 'o'), /o\.max_token_lifetime_days/);
  });
});

describe('resources and templates', () => {
  test('resource types, resource pages and templates parse', () => {
    assert.deepEqual(parseResourceTypeList({ items: [{ id: 'organization', name: 'Organization' }] }, 'types'), [{ id: 'organization', name: 'Organization' }]);
    const page = parseResourcePage(
      { items: [{ type: 'project', id: 'p1', name: 'One', org_id: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: null }], next_cursor: 'c2' },
      'resources',
    );
    assert.equal(page.next_cursor, 'c2');
    assert.deepEqual(page.items[0], { type: 'project', id: 'p1', name: 'One', org_id: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: null });
    const [template] = parseTemplateList(
      {
        items: [{ id: 'tpl_1', name: 'Edit DNS', description: 'd', scopes: ['a'], expires_in_days: 30, resources: [{ type: 'project', id: 'p1', name: 'One' }], allowed_ips: ['10.0.0.0/8'], created_at: null, updated_at: null }],
      },
      'templates',
    );
    assert.deepEqual(template, {
      id: 'tpl_1', name: 'Edit DNS', description: 'd', scopes: ['a'], expires_in_days: 30,
      resources: [{ type: 'project', id: 'p1', name: 'One' }], allowed_ips: ['10.0.0.0/8'], created_at: null, updated_at: null,
    });
  });

  test('bad resource and template answers are named', () => {
    badResponse(() => parseResourceTypeList({ items: [{ id: 'x' }] }, 'types'), /types\.items\[0\]\.name/);
    badResponse(() => parseResourcePage({ items: [{ type: 'p', id: 'p1', name: 'n', org_id: 5 }], next_cursor: null }, 'r'), /r\.items\[0\]\.org_id/);
    const tpl = { id: 'tpl_1', name: 'n', description: '', scopes: [], expires_in_days: null, resources: [], allowed_ips: [], created_at: null, updated_at: null };
    badResponse(() => parseTemplateList({ items: [{ ...tpl, expires_in_days: 0 }] }, 't'), /t\.items\[0\]\.expires_in_days/);
    badResponse(() => parseTemplateList({ items: [{ ...tpl, scopes: 'a' }] }, 't'), /t\.items\[0\]\.scopes/);
    badResponse(() => parseTemplateList({ items: [{ ...tpl, id: '' }] }, 't'), /t\.items\[0\]\.id/);
  });
});
