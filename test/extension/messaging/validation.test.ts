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
});
