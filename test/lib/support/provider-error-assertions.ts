/**
 * Node-side assertions on the typed error family: a promise must reject with a {@link ProviderError}
 * of a given code (and, where asked, a message that matches).
 */
import assert from 'node:assert/strict';
import { ProviderError } from '../../../lib/errors.ts';

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
