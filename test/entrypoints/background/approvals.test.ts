/** Token approval on the toolbar: decided requests, the decision notification's words, the title. Run: `npm run test:ext-unit`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actionTitle, decidedSince, decisionNotification } from '../../../entrypoints/background/approvals.ts';
import type { TokenMeta } from '../../../lib/model.ts';
import { meta } from './fake-provider.ts';

const requested = { justification: 'deploys', requested_at: '2026-11-23T08:00:00.000Z', decided_at: null, decided_by: null, reason: null };
const pending = (id: string): TokenMeta => meta(id, { status: 'pending', approval: { state: 'pending', ...requested } });
const decided = (id: string, state: 'approved' | 'denied', reason: string | null = null): TokenMeta =>
  meta(id, {
    status: state === 'approved' ? 'active' : 'denied',
    approval: { ...requested, state, decided_at: '2026-11-23T09:00:00.000Z', decided_by: { id: 'usr_admin', username: 'admin' }, reason },
  });

describe('token approval on the toolbar', () => {
  test('only requests pending before and decided now are news', () => {
    const before = [pending('a'), pending('b'), pending('c'), decided('d', 'approved'), meta('e')];
    const after = [decided('a', 'approved'), decided('b', 'denied', 'too broad'), pending('c'), decided('d', 'approved'), meta('e'), decided('f', 'denied', 'no')];
    assert.deepEqual(decidedSince(before, after).map((t) => t.id), ['a', 'b']);
    assert.deepEqual(decidedSince([], after), [], 'a first listing notifies nothing');
  });

  test('the notification says who approved, and why a request was denied', () => {
    const approved = decisionNotification({ ...decided('a', 'approved'), name: 'deploy-bot' }, 'Work');
    assert.equal(approved.title, 'Token request approved: deploy-bot');
    assert.equal(approved.message, 'deploy-bot (Work) was approved by admin. It works now.');
    const denied = decisionNotification({ ...decided('b', 'denied', 'Use the ci template.'), name: 'wide' }, 'Work');
    assert.equal(denied.title, 'Token request denied: wide');
    assert.equal(denied.message, 'wide (Work) was denied: Use the ci template.');
  });

  test('the title names what the badge counts: expiring tokens, requests, or both', () => {
    assert.equal(actionTitle(0, 7, 0), 'patkit — personal access tokens');
    assert.equal(actionTitle(2, 7, 0), 'patkit — 2 token(s) expire within 7 days');
    assert.equal(actionTitle(0, 7, 3), 'patkit — 3 token request(s) await your approval');
    assert.equal(actionTitle(2, 7, 3), 'patkit — 3 token request(s) await your approval; 2 token(s) expire within 7 days');
  });
});
