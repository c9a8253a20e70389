/**
 * Boundary shape checks and the cache's secret guard, under Node (both are pure and run anywhere).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProviderError } from '../../lib/errors.ts';
import { assertNoSecret, carriesSecret, SecretRefusedError } from '../../lib/cache/secret-guard.ts';
import { parseCreatedToken, parseScopeCatalog, parseTokenMeta, parseUser, pageParser } from '../../lib/parse.ts';

const TOKEN = {
  id: 'tok_1',
  owner: { kind: 'user', id: 'u1', username: 'alice', display_name: 'Alice' },
  name: 'ci',
  description: 'd',
  created_at: '2026-01-01T00:00:00.000Z',
  created_by: { id: 'u1', username: 'alice' },
  updated_at: null,
  expires_at: '2026-12-01T00:00:00.000Z',
  scopes: ['tokens:read'],
  status: 'active',
  last_used_at: null,
  last_used_ip: null,
  last4: 'abcd',
};

function badResponse(fn: () => unknown, field: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ProviderError && e.code === 'bad_response' && field.test(e.message));
}

describe('boundary shape checks', () => {
  test('a good token passes and unknown fields (a stray secret) are dropped', () => {
    const parsed = parseTokenMeta({ ...TOKEN, secret: 'pat_' + 'x'.repeat(36), internal_hash: 'h' }, 'token');
    assert.deepEqual(parsed, TOKEN);
    assert.equal('secret' in parsed, false);
  });

  test('missing and mistyped fields are named', () => {
    const { status: _s, ...noStatus } = TOKEN;
    badResponse(() => parseTokenMeta(noStatus, 'token'), /"token\.status" should be one of active, disabled, expired, pending, denied but is nothing/);
    badResponse(() => parseTokenMeta({ ...TOKEN, scopes: [1] }, 'token'), /token\.scopes\[0\]/);
    badResponse(() => parseTokenMeta({ ...TOKEN, expires_at: 'tomorrow' }, 'token'), /token\.expires_at/);
    badResponse(() => parseTokenMeta({ ...TOKEN, owner: null }, 'token'), /token\.owner/);
    badResponse(() => parseTokenMeta({ ...TOKEN, id: '' }, 'token'), /token\.id/);
    badResponse(() => parseTokenMeta([TOKEN], 'token'), /is a list/);
    badResponse(() => pageParser(parseTokenMeta)({ items: [TOKEN, { ...TOKEN, name: 5 }], next_cursor: null }, 'list'), /list\.items\[1\]\.name/);
    badResponse(() => parseCreatedToken({ token: TOKEN, secret: '' }, 'created'), /created\.secret/);
    badResponse(() => parseUser({ id: 'u', username: 'a', active: 'yes', kind: 'person', roles: [], permissions: [] }, 'user'), /user\.active/);
  });

  test('scope documentation links are http(s) only', () => {
    const catalog = parseScopeCatalog(
      {
        scopes: [
          { id: 'a', group: 'A', description: '', docs_url: 'javascript:alert(1)' },
          { id: 'b', group: 'B', description: '', docs_url: 'https://docs.example.com/b' },
          { id: 'c', group: 'C', description: '', docs_url: null },
        ],
      },
      'catalog',
    );
    assert.deepEqual(catalog.scopes.map((s) => s.docs_url), [null, 'https://docs.example.com/b', null]);
    assert.deepEqual(catalog.presets, []);
  });
});

describe('secret guard', () => {
  test('refuses secret-named fields and token-shaped values anywhere, naming only the path', () => {
    const secret = 'pat_' + 'S'.repeat(36);
    assert.throws(() => assertNoSecret({ ...TOKEN, secret }), SecretRefusedError);
    assert.throws(() => assertNoSecret({ ...TOKEN, token: 'mattermost-raw-token-value' }), SecretRefusedError);
    assert.throws(
      () => assertNoSecret({ ...TOKEN, extra: { nested: [{ note: `copy ${secret}` }] } }),
      (e: unknown) => e instanceof SecretRefusedError && e.path === 'extra.nested[0].note' && !e.message.includes('SSSS'),
    );
    assert.equal(carriesSecret({ ...TOKEN, description: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc' }), true);
    assert.equal(carriesSecret({ ...TOKEN, description: 'npm_' + 'a'.repeat(36) }), true);
  });

  test('passes plain metadata, including empty or null secret-named fields', () => {
    assert.equal(assertNoSecret(TOKEN), TOKEN);
    assert.equal(carriesSecret({ ...TOKEN, extra: { readonly: true, cidr_whitelist: ['10.0.0.0/8'], token: null } }), false);
    assert.equal(carriesSecret({ ...TOKEN, last4: 'pat_' }), false);
  });
});
