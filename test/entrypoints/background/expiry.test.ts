/** Which tokens count as expiring soon, the badge text, the notification's lines. Run: `npm run test:ext-unit`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { badgeText, calendarDaysUntil, expiringSoon, notificationMessage } from '../../../entrypoints/background/expiry.ts';
import { meta } from './fake-provider.ts';

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
