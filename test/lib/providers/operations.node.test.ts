/**
 * The rule between capabilities and methods, for every built-in provider: a capability that offers
 * an operation comes with the method (no provider offers what it cannot do), and an operation a
 * provider lacks is refused with the typed error naming the server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnsupportedOperation } from '../../../lib/errors.ts';
import { ALWAYS_OFFERED, OPERATIONS, requireOperation, supports, type OptionalOperation } from '../../../lib/providers/operations.ts';
import { createProvider, providerKinds } from '../../../lib/providers/registry.ts';

const gated = (Object.keys(OPERATIONS) as OptionalOperation[]).filter((op) => OPERATIONS[op].offered !== ALWAYS_OFFERED);

test('every optional operation a provider\u2019s capabilities offer has its method', async () => {
  assert.ok(gated.includes('cloneToken') && !gated.includes('deleteToken'), 'capability-gated operations are told apart');
  for (const { kind } of providerKinds()) {
    const provider = await createProvider(kind, { baseUrl: 'https://server.example.test' });
    for (const op of gated) {
      if (OPERATIONS[op].offered(provider.capabilities)) assert.equal(typeof provider[op], 'function', `${kind}: ${op} is offered, so it exists`);
      assert.equal(supports(provider, op), OPERATIONS[op].offered(provider.capabilities) && typeof provider[op] === 'function');
    }
    for (const op of Object.keys(OPERATIONS) as OptionalOperation[]) {
      if (typeof provider[op] === 'function') continue;
      assert.throws(() => requireOperation(provider, op), (e: unknown) => e instanceof UnsupportedOperation && e.message.startsWith(`${provider.descriptor.label} servers cannot `));
    }
  }
});
