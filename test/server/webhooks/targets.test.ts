/**
 * Webhook targets written as IPv6 forms that wrap an IPv4 address (docs/security.md rule 31), over
 * real HTTP on the store the suite runs against: with `allow_private_webhook_targets` off they are
 * judged by the IPv4 address they wrap, on create, on PATCH, at delivery, and when a host name
 * resolves to one of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolveTarget, TargetRefused } from '../../../server/webhooks/targets.ts';
import { ADMIN_PASSWORD, assertProblem, call, startHarness, type Harness } from '../helpers.ts';

/** IPv6 forms that lead to a private, loopback or metadata IPv4 address (or to one that cannot be told). */
const WRAPPING_PRIVATE = [
  '::ffff:0:7f00:1', // IPv4-translated ::ffff:0:0:0/96 → 127.0.0.1
  '::ffff:0:a01:203', // IPv4-translated → 10.1.2.3
  '::ffff:a9fe:a9fe', // IPv4-mapped → 169.254.169.254
  '::7f00:1', // IPv4-compatible → 127.0.0.1
  '64:ff9b::a9fe:a9fe', // NAT64 well-known prefix → 169.254.169.254
  '64:ff9b:1::7f00:1', // local-use NAT64 → 127.0.0.1
  '64:ff9b:1::a00:1', // local-use NAT64 → 10.0.0.1
  '64:ff9b:1:ab::808:808', // local-use NAT64 with a longer prefix: the IPv4 cannot be told
  '2002:7f00:1::', // 6to4 → 127.0.0.1
  '2002:a9fe:a9fe::1', // 6to4 → 169.254.169.254
  '2002:c0a8:101:1::1', // 6to4 → 192.168.1.1
  '2001::', // Teredo: server 0.0.0.0, client 255.255.255.255
  '2001:0:808:808::80ff:fffe', // Teredo: public server, client 127.0.0.1 (inverted bits)
  '2001:0:a00:1::f7f7:f7f7', // Teredo: server 10.0.0.1, public client 8.8.8.8
];

/** IPv6 forms that lead to a public IPv4 address (8.8.8.8), and a plain public IPv6 address. */
const WRAPPING_PUBLIC = [
  '::ffff:808:808',
  '::ffff:0:808:808',
  '64:ff9b::808:808',
  '64:ff9b:1::808:808',
  '2002:808:808::1',
  '2001:0:808:808::f7f7:f7f7',
  '2606:4700:4700::1111',
];

const REFUSED = /loopback, private or link-local/;

let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, { token: h.admin, ...options });

async function setPrivate(allowed: boolean): Promise<void> {
  const r = await api('PATCH', '/api/v1/settings', { body: { allow_private_webhook_targets: allowed, ...(allowed ? { password: ADMIN_PASSWORD } : {}) } });
  assert.equal(r.status, 200, r.text);
}

async function hookUrls(): Promise<string[]> {
  return (await api('GET', '/api/v1/webhooks')).json.items.map((w: { url: string }) => w.url);
}

before(async () => {
  h = await startHarness({ webhooks: { pollIntervalMs: 30, sweepIntervalMs: 50, retryDelaysMs: [300, 600], timeoutMs: 2_000 } });
});
after(() => h.stop());

describe('IPv6 forms that wrap an IPv4 address', () => {
  test('with allow_private_webhook_targets off, IPv6 forms are judged by the IPv4 they wrap on create and PATCH: private refused, public accepted', async () => {
    const saved = await api('POST', '/api/v1/webhooks', { body: { url: 'https://8.8.8.8/wrapped', events: ['token.disabled'] } });
    assert.equal(saved.status, 201, saved.text);
    const hookId = saved.json.webhook.id as string;
    for (const address of WRAPPING_PRIVATE) {
      const url = `https://[${address}]/hook`;
      const created = await api('POST', '/api/v1/webhooks', { body: { url, events: ['token.disabled'] } });
      assertProblem(created, 400, 'validation_failed');
      assert.equal(created.json.errors[0].field, 'url', url);
      assert.match(created.json.detail, REFUSED, url);
      const patched = await api('PATCH', `/api/v1/webhooks/${hookId}`, { body: { url } });
      assertProblem(patched, 400, 'validation_failed');
      assert.match(patched.json.detail, REFUSED, url);
    }
    assert.deepEqual(await hookUrls(), ['https://8.8.8.8/wrapped'], 'nothing was created or changed');

    for (const address of WRAPPING_PUBLIC) {
      const url = new URL(`https://[${address}]/hook`).toString();
      const created = await api('POST', '/api/v1/webhooks', { body: { url, events: ['token.disabled'] } });
      assert.equal(created.status, 201, `${url}: ${created.text}`);
      assert.equal(created.json.webhook.url, url);
      assert.equal((await api('DELETE', `/api/v1/webhooks/${created.json.webhook.id}`)).status, 204);
      const patched = await api('PATCH', `/api/v1/webhooks/${hookId}`, { body: { url } });
      assert.equal(patched.status, 200, `${url}: ${patched.text}`);
      assert.equal(patched.json.url, url);
    }
    await api('DELETE', `/api/v1/webhooks/${hookId}`);
  });

  test('at delivery: a 6to4 target wrapping loopback, saved while private targets were allowed, is refused once the setting is off', async () => {
    await setPrivate(true);
    const created = await api('POST', '/api/v1/webhooks', { body: { url: 'https://[2002:7f00:1::]:9/hook', events: ['token.disabled'] } });
    assert.equal(created.status, 201, created.text);
    const id = created.json.webhook.id as string;
    await setPrivate(false);
    try {
      assert.equal((await api('POST', `/api/v1/webhooks/${id}/ping`, { body: {} })).status, 202);
      const end = Date.now() + 8_000;
      let attempt: { status_code: number | null; error: string | null } | undefined;
      while (!attempt && Date.now() < end) {
        attempt = (await api('GET', `/api/v1/webhooks/${id}/deliveries`)).json.items[0]?.attempts[0];
        if (!attempt) await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(attempt, 'the attempt was logged');
      assert.equal(attempt.status_code, null);
      assert.match(attempt.error ?? '', REFUSED, 'refused by the check, not by the network');
    } finally {
      await api('DELETE', `/api/v1/webhooks/${id}`);
    }
  });

  test('a host name whose DNS answer is an IPv6 form wrapping a private IPv4 is refused; one wrapping a public IPv4 is reached at that address', async () => {
    // A DNS server that answers with chosen records cannot run here: the resolver is the test's.
    for (const address of WRAPPING_PRIVATE) {
      await assert.rejects(
        resolveTarget('https://hooks.example.test/hook', false, async () => [{ address, family: 6 }]),
        (error: unknown) => error instanceof TargetRefused && error.message.includes(`resolves to ${address}`) && REFUSED.test(error.message),
        address,
      );
      // One private answer among public ones is enough to refuse.
      await assert.rejects(
        resolveTarget('https://hooks.example.test/hook', false, async () => [
          { address: '8.8.8.8', family: 4 },
          { address, family: 6 },
        ]),
        TargetRefused,
        address,
      );
      const allowed = await resolveTarget('https://hooks.example.test/hook', true, async () => [{ address, family: 6 }]);
      assert.equal(allowed.address, address, 'with private targets allowed, the answer is used');
    }
    for (const address of WRAPPING_PUBLIC) {
      const target = await resolveTarget('https://hooks.example.test/hook', false, async () => [{ address, family: 6 }]);
      assert.deepEqual([target.address, target.family], [address, 6]);
    }
  });
});
