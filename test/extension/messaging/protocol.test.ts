/** The protocol's pure checks and the expiry rules. Run: `npm run test:ext-unit`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { badgeText, calendarDaysUntil, expiringSoon, notificationMessage } from '../../../entrypoints/background/expiry.ts';
import { validateRequest } from '../../../extension/messaging/validation.ts';
import { checkBaseUrl, checkMatchPattern, originPermission } from '../../../extension/url-patterns.ts';
import { meta } from '../../entrypoints/background/fake-provider.ts';

describe('base URLs', () => {
  test('https anywhere, http only on loopback; normalised without a trailing slash', () => {
    assert.equal(checkBaseUrl('https://tokens.example.com/'), 'https://tokens.example.com');
    assert.equal(checkBaseUrl('https://example.com/patkit/'), 'https://example.com/patkit');
    assert.equal(checkBaseUrl('http://127.0.0.1:8787'), 'http://127.0.0.1:8787');
    assert.equal(checkBaseUrl('http://localhost:3000/'), 'http://localhost:3000');
    assert.equal(checkBaseUrl('http://[::1]:8787'), 'http://[::1]:8787');
    for (const bad of ['http://tokens.example.com', 'http://127.0.0.2', 'ftp://example.com', 'javascript:alert(1)', 'example.com', 'https://a:b@example.com', 'https://example.com/?token=x', 'https://example.com/#x', '']) {
      assert.throws(() => checkBaseUrl(bad), (e: Error & { code?: string }) => e.code === 'validation_failed', bad);
    }
  });

  test('console patterns name one host', () => {
    assert.equal(checkMatchPattern('https://console.example.com/admin/*'), 'https://console.example.com/admin/*');
    assert.equal(checkMatchPattern('https://*.example.com/*'), 'https://*.example.com/*');
    for (const bad of ['<all_urls>', 'https://*/*', '*://example.com/*', 'file:///etc/*', 'https://example.com']) {
      assert.throws(() => checkMatchPattern(bad), /must look like/, bad);
    }
  });

  test('the permission asked for names scheme and host, never a port (Firefox refuses a pattern with one)', () => {
    assert.equal(originPermission('http://127.0.0.1:8811'), 'http://127.0.0.1/*');
    assert.equal(originPermission('http://localhost:8787/patkit'), 'http://localhost/*');
    assert.equal(originPermission('https://mattermost.example.com:8065'), 'https://mattermost.example.com/*');
    assert.equal(originPermission('https://tokens.example.com'), 'https://tokens.example.com/*');
    assert.equal(originPermission('http://[::1]:8787'), 'http://[::1]/*');
    assert.equal(originPermission('https://console.example.com:8443/admin/*'), 'https://console.example.com/*');
    assert.equal(originPermission('https://*.example.com/*'), 'https://*.example.com/*');
    assert.throws(() => originPermission('ftp://example.com'), /http/);
  });

  test('validated payloads are clean copies', () => {
    const { payload } = validateRequest({ patkit: 1, type: 'tokens.create', payload: { serverId: 's1', draft: { name: 'n', scopes: ['a'] } } });
    assert.deepEqual(payload, { serverId: 's1', draft: { name: 'n', scopes: ['a'] } });
    assert.throws(() => validateRequest({ patkit: 1, type: 'toString', payload: {} }));
    assert.throws(() => validateRequest({ patkit: 1, type: 'tokens.create', payload: { serverId: 's1', draft: { name: 'n', extra: { ['a'.repeat(65)]: 1 } } } }));
  });
});

describe('expiry rules', () => {
  const now = Date.parse('2026-11-23T12:00:00.000Z');
  const inDays = (d: number): string => new Date(now + d * 86_400_000).toISOString();

  test('counts active tokens inside the window only', () => {
    const tokens = [
      meta('a', { expires_at: inDays(0.5) }),
      meta('b', { expires_at: inDays(7) }),
      meta('c', { expires_at: inDays(7.01) }),
      meta('d', { expires_at: inDays(-0.1) }),
      meta('e', { expires_at: inDays(1), status: 'disabled' }),
      meta('f'),
    ];
    assert.deepEqual(expiringSoon(tokens, 7, now).map((t) => t.id), ['a', 'b']);
  });

  test('badge text', () => {
    assert.equal(badgeText(0), '');
    assert.equal(badgeText(7), '7');
    assert.equal(badgeText(150), '99+');
  });

  test('the notification names at most five tokens, soonest first', () => {
    const entries = Array.from({ length: 7 }, (_, i) => ({ server: 'Work', token: meta(`t${i}`, { name: `token ${i}`, expires_at: inDays(7 - i) }) }));
    const text = notificationMessage(entries, now);
    const lines = text.split('\n');
    assert.equal(lines.length, 6);
    assert.equal(lines[0], 'token 6 (Work) — tomorrow');
    assert.equal(lines[5], 'and 2 more');
  });

  test('days until expiry are calendar days: tomorrow evening is "tomorrow", not "in 2 days"', () => {
    const at = (day: number, hour: number): number => new Date(2026, 11, day, hour, 0, 0).getTime();
    const nine = at(1, 9);
    assert.equal(calendarDaysUntil(at(1, 23), nine), 0, 'later today');
    assert.equal(calendarDaysUntil(at(2, 18), nine), 1, '33 hours away is still tomorrow');
    assert.equal(calendarDaysUntil(at(2, 1), at(1, 23)), 1, 'two hours away, after midnight, is tomorrow');
    assert.equal(calendarDaysUntil(at(3, 1), nine), 2);
    const entries = [{ server: 'Work', token: meta('t', { name: 'ci', expires_at: new Date(at(2, 18)).toISOString() }) }];
    assert.equal(notificationMessage(entries, nine), 'ci (Work) — tomorrow');
  });
});
