/** Payload validation's output. Run: `npm run test:ext-unit`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateRequest } from '../../../extension/messaging/validation.ts';

describe('validation', () => {
  test('validated payloads are clean copies', () => {
    const { payload } = validateRequest({ patkit: 1, type: 'tokens.create', payload: { serverId: 's1', draft: { name: 'n', scopes: ['a'] } } });
    assert.deepEqual(payload, { serverId: 's1', draft: { name: 'n', scopes: ['a'] } });
    assert.throws(() => validateRequest({ patkit: 1, type: 'toString', payload: {} }));
    assert.throws(() => validateRequest({ patkit: 1, type: 'tokens.create', payload: { serverId: 's1', draft: { name: 'n', extra: { ['a'.repeat(65)]: 1 } } } }));
  });

  test('a fine-grained draft passes whole; each bad field is refused by name', () => {
    const draft = {
      name: 'ci',
      resources: [{ type: 'project', id: 'p1', name: 'Project One' }],
      allowed_ips: ['203.0.113.0/24', '2001:db8::/32'],
      not_before: '2026-12-08T00:00:00.000Z',
      template_id: 'tpl_1',
      justification: 'Nightly deploys',
    };
    const { payload } = validateRequest({ patkit: 1, type: 'tokens.create', payload: { serverId: 's1', draft } });
    assert.deepEqual(payload, { serverId: 's1', draft });
    const refused = (change: Record<string, unknown>): string => {
      try {
        validateRequest({ patkit: 1, type: 'tokens.create', payload: { serverId: 's1', draft: { ...draft, ...change } } });
      } catch (e) {
        return (e as { fieldErrors: Array<{ field: string }> }).fieldErrors[0]!.field;
      }
      return 'accepted';
    };
    assert.equal(refused({ resources: Array.from({ length: 51 }, (_, i) => ({ type: 'project', id: `p${i}` })) }), 'draft.resources');
    assert.equal(refused({ resources: [{ type: 'project' }] }), 'draft.resources[0].id');
    assert.equal(refused({ allowed_ips: ['<script>'] }), 'draft.allowed_ips[0]');
    assert.equal(refused({ not_before: 'tomorrow' }), 'draft.not_before');
    assert.equal(refused({ justification: 'x'.repeat(501) }), 'draft.justification');
    const patch = validateRequest({ patkit: 1, type: 'tokens.update', payload: { serverId: 's1', tokenId: 't1', patch: { allowed_ips: [], not_before: null } } });
    assert.deepEqual(patch.payload, { serverId: 's1', tokenId: 't1', patch: { allowed_ips: [], not_before: null } });
    assert.throws(() => validateRequest({ patkit: 1, type: 'tokens.update', payload: { serverId: 's1', tokenId: 't1', patch: { resources: [] } } }), /resources/);
  });
});
