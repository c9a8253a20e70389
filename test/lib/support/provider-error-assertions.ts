/**
 * Node-side assertions on the typed error family: a promise must reject with a {@link ProviderError}
 * of a given code (and, where asked, a message that matches); a provider must lack an operation.
 */
import assert from 'node:assert/strict';
import { ProviderError, UnsupportedOperation } from '../../../lib/errors.ts';
import type { TokenProvider } from '../../../lib/provider.ts';
import { requireOperation, supports, type OptionalOperation } from '../../../lib/providers/operations.ts';

export async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected a ${code} error, but it succeeded`);
}

/**
 * The provider leaves these operations out (no method that only refuses), its capabilities do not
 * offer them, and a caller that asks anyway gets the typed {@link UnsupportedOperation}.
 */
export function assertLacks(provider: TokenProvider, operations: OptionalOperation[]): void {
  for (const operation of operations) {
    assert.equal(typeof provider[operation], 'undefined', `${operation} is absent`);
    assert.equal(supports(provider, operation), false, `${operation} is not offered`);
    assert.throws(() => requireOperation(provider, operation), (error: unknown) => {
      assert.ok(error instanceof UnsupportedOperation, String(error));
      assert.equal(error.code, 'unsupported_operation');
      assert.match(error.message, new RegExp(`^${provider.descriptor.label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} servers cannot `));
      return true;
    });
  }
}
