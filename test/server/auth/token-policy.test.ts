/**
 * The per-use policy check as a pure function (docs/security.md rules 35–37): precedence, lifetime
 * caps, allow-list parsing and matching. The HTTP tests are in test/server/tokens/.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AllowList, lifetimeExceedsPolicy, tokenPolicyRefusal, type TokenUseFacts } from '../../../server/auth/token-policy.ts';
import { normaliseAllowedIps } from '../../../server/tokens/token-policies.ts';
import { governingOrgIds } from '../../../server/tokens/token-policies.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2027-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const policy = { max_days: 365, allow_no_expiry: false, org_max_days: null };

function facts(over: Partial<TokenUseFacts> = {}): TokenUseFacts {
  return { approval_state: null, not_before: null, issued_at: iso(NOW - DAY), expires_at: iso(NOW + 29 * DAY), allowed_ips: '', lifetime_policy: policy, ...over };
}

describe('token policy at use', () => {
  test('approval comes first: denied, then pending, whatever else holds', () => {
    const everything = { not_before: iso(NOW + DAY), allowed_ips: '10.0.0.0/8', expires_at: null };
    assert.equal(tokenPolicyRefusal(facts({ approval_state: 'denied', ...everything }), '127.0.0.1', NOW)?.code, 'token_request_denied');
    assert.equal(tokenPolicyRefusal(facts({ approval_state: 'pending', ...everything }), '127.0.0.1', NOW)?.code, 'token_pending_approval');
    assert.equal(tokenPolicyRefusal(facts({ approval_state: 'approved' }), '127.0.0.1', NOW), null);
    assert.equal(tokenPolicyRefusal(facts(), '127.0.0.1', NOW), null);
    assert.equal(tokenPolicyRefusal(facts({ not_before: iso(NOW + 1) }), '127.0.0.1', NOW)?.code, 'token_not_yet_valid');
    assert.equal(tokenPolicyRefusal(facts({ not_before: iso(NOW) }), '127.0.0.1', NOW), null, 'valid from not_before on');
    assert.equal(tokenPolicyRefusal(facts({ allowed_ips: '10.0.0.0/8' }), '127.0.0.1', NOW)?.code, 'ip_not_allowed');
    assert.equal(tokenPolicyRefusal(facts({ allowed_ips: '10.0.0.0/8' }), null, NOW), null, 'no address (introspection): the host checks');
  });

  test('lifetime against the caps in force: server cap, no expiry, organisation cap, the creation slack', () => {
    const from = iso(NOW);
    assert.equal(lifetimeExceedsPolicy(from, iso(NOW + 30 * DAY), { ...policy, max_days: 7 }), true);
    assert.equal(lifetimeExceedsPolicy(from, iso(NOW + 5 * DAY), { ...policy, max_days: 7 }), false);
    assert.equal(lifetimeExceedsPolicy(from, iso(NOW + 7 * DAY + 30_000), { ...policy, max_days: 7 }), false, 'within the minute creation allows');
    assert.equal(lifetimeExceedsPolicy(from, iso(NOW + 30 * DAY), { ...policy, max_days: 0 }), false, '0 = no server cap');
    assert.equal(lifetimeExceedsPolicy(from, null, { ...policy, allow_no_expiry: false }), true, 'no expiry is endless');
    assert.equal(lifetimeExceedsPolicy(from, null, { ...policy, allow_no_expiry: true }), false, 'allowed while the server allows it');
    assert.equal(lifetimeExceedsPolicy(from, null, { ...policy, allow_no_expiry: true, org_max_days: 90 }), true, 'never by an organisation');
    assert.equal(lifetimeExceedsPolicy(from, iso(NOW + 30 * DAY), { ...policy, org_max_days: 10 }), true);
    assert.equal(lifetimeExceedsPolicy(from, iso(NOW + 9 * DAY), { ...policy, org_max_days: 10 }), false);
    assert.equal(tokenPolicyRefusal(facts({ lifetime_policy: { ...policy, max_days: 7 } }), '127.0.0.1', NOW)?.code, 'token_lifetime_exceeds_policy');
  });

  test('allow-lists: ranges and bare addresses, IPv4 and IPv6, mapped addresses, nothing else', () => {
    const list = new AllowList(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32', '0.0.0.0/32']);
    for (const yes of ['203.0.113.1', '203.0.113.255', '198.51.100.7', '2001:db8::1', '2001:db8:ffff::9', '::ffff:203.0.113.9']) assert.equal(list.allows(yes), true, yes);
    for (const no of ['203.0.114.1', '198.51.100.8', '2001:db9::1', '::1', '127.0.0.1', 'garbage', '']) assert.equal(list.allows(no), false, no);
    assert.equal(new AllowList(['0.0.0.0/0']).allows('8.8.8.8'), true);
    assert.equal(new AllowList(['0.0.0.0/0']).allows('2001:db8::1'), false, 'an IPv4 range never admits IPv6');
    assert.deepEqual(normaliseAllowedIps([' 203.0.113.9/24 ', '2001:DB8::/32', '10.0.0.1', '10.0.0.1']), ['203.0.113.9/24', '2001:db8::/32', '10.0.0.1']);
    for (const bad of ['1', '10.0.0.0/33', '::/129', '10.0.0.0/8/1', '010.0.0.1', 'fe80::1%eth0/64', '10.0.0.0/-1']) {
      assert.throws(() => normaliseAllowedIps([bad]), (e: { errors?: { field: string }[] }) => e.errors?.[0]?.field === 'allowed_ips', bad);
    }
    assert.throws(() => normaliseAllowedIps(Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`)));
  });

  test('the organisations governing a token: its own organisation and those it is bounded to', () => {
    assert.deepEqual(governingOrgIds(null), []);
    assert.deepEqual(governingOrgIds('org_b', [{ type: 'organization', id: 'org_a' }, { type: 'project', id: 'p1' }, { type: 'organization', id: 'org_b' }]), ['org_a', 'org_b']);
  });
});
