/**
 * The pieces both stores share: the dialect-filled listings bind exactly the parameters they number,
 * rows of either backend map to the same records, and the layering holds (the contracts and shared
 * pieces import no backend; neither backend imports the other).
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { auditListSql, tokenListSql, userListSql, type SqlDialect, type Statement } from '../../../server/store/query-pieces.ts';
import { stored, toToken, toUser } from '../../../server/store/row-mapping.ts';
import { SQLITE_DIALECT } from '../../../server/store/sqlite/sqlite-database.ts';
import { POSTGRES_DIALECT } from '../../../server/store/postgres/postgres-database.ts';

const DIALECTS: [string, SqlDialect, RegExp][] = [
  ['SQLite', SQLITE_DIALECT, /\?(\d+)/g],
  ['PostgreSQL', POSTGRES_DIALECT, /\$(\d+)/g],
];

/** The parameter numbers a statement refers to, without repeats, in ascending order. */
function numbers(statement: Statement, pattern: RegExp): number[] {
  return [...new Set([...statement.sql.matchAll(pattern)].map((m) => Number(m[1])))].sort((a, b) => a - b);
}

describe('shared query pieces', () => {
  for (const [name, dialect, pattern] of DIALECTS) {
    test(`${name}: every listing numbers exactly the parameters it binds`, () => {
      const statements = [
        tokenListSql(dialect, {
          owner_user_id: 'u1',
          text: '50%_off',
          status: 'active',
          sort: 'name',
          order: 'desc',
          after: ['b', 'tok_2'],
          limit: 20,
          now: '2026-01-01T00:00:00.000Z',
          unused_before: '2025-10-01T00:00:00.000Z',
        }),
        tokenListSql(dialect, { owner_user_id: null, text: null, status: null, sort: 'created_at', order: 'asc', after: null, limit: 5, now: 'x' }),
        userListSql(dialect, { text: 'ann', after: 'ann', limit: 10 }),
        auditListSql(dialect, { token_id: 't', user_id: 'u', action: 'token.created', before: 99, limit: 10 }),
      ];
      for (const statement of statements) {
        assert.deepEqual(numbers(statement, pattern), statement.params.map((_, i) => i + 1), statement.sql);
      }
      // The user filter names one parameter twice rather than binding it twice.
      const audit = auditListSql(dialect, { token_id: null, user_id: 'u', action: null, before: null, limit: 1 });
      assert.deepEqual(audit.params, ['u', 1]);
      // LIKE wildcards in the search text are matched literally.
      assert.ok(statements[0]!.params.includes('%50\\%\\_off%'));
    });
  }

  test('rows from either backend map to the same records', () => {
    const base = {
      id: 'tok_1',
      last4: 'abcd',
      owner_kind: 'user',
      owner_user_id: 'u1',
      owner_scope_id: null,
      owner_scope_name: null,
      name: 'ci',
      description: '',
      created_at: '2026-01-01T00:00:00.000Z',
      created_by_id: 'u1',
      created_by_username: 'ann',
      updated_at: '2026-01-01T00:00:00.000Z',
      expires_at: null,
      scopes: 'read write',
      last_used_at: null,
      last_used_ip: null,
      previous_last4: 'wxyz',
      previous_valid_until: '2026-01-02T00:00:00.000Z',
      recent_uses: JSON.stringify([{ ip: '10.0.0.1', at: '2026-01-01T00:00:00.000Z' }]),
      owner_username: 'ann',
      owner_display_name: 'Ann',
    };
    const fromSqlite = toToken({ ...base, disabled: 1 });
    const fromPostgres = toToken({ ...base, disabled: true });
    assert.deepEqual(fromSqlite, fromPostgres);
    assert.equal(fromSqlite.disabled, true);
    assert.deepEqual(fromSqlite.scopes, ['read', 'write']);
    assert.deepEqual(fromSqlite.previous, { last4: 'wxyz', valid_until: '2026-01-02T00:00:00.000Z' });
    const user = { id: 'u1', username: 'ann', display_name: 'Ann', kind: 'person', created_at: 'x', roles: 'viewer admin' };
    assert.deepEqual(toUser({ ...user, active: 0 }), toUser({ ...user, active: false }));
    assert.deepEqual(toUser({ ...user, active: 1 }).roles, ['admin', 'viewer']);
    assert.deepEqual([stored(1), stored(true), stored(0), stored(false), stored(null)], [true, true, false, false, false]);
  });

  test('contracts and shared pieces import no backend; neither backend imports the other', async () => {
    const root = new URL('../../../server/store/', import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const offenders: string[] = [];
    for (const file of files) {
      const source = await readFile(new URL(file, root), 'utf8');
      const imports = [...source.matchAll(/^(?:import|export)[^;]*? from '([^']+)'/gms)].map((m) => m[1]!);
      const folder = file.includes('/') ? file.slice(0, file.indexOf('/')) : '';
      for (const target of imports) {
        const backend = /(?:^|\/)(sqlite|postgres)\//.exec(target)?.[1] ?? (target.startsWith('./') && folder ? folder : null);
        if (folder === '' && backend && file !== 'migrate-to-postgres.ts') offenders.push(`${file} -> ${target}`);
        if (folder !== '' && backend && backend !== folder) offenders.push(`${file} -> ${target}`);
      }
    }
    assert.ok(files.length > 20, `read ${files.length} files`);
    assert.deepEqual(offenders, []);
  });
});
