/** lib/dates.ts: the one date rule: the same date shape with or without a time, and a zone whenever a time is shown. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDay, formatTime } from '../../lib/dates.ts';

const AT = '2026-12-07T08:20:00.000Z';

test('a time always carries its zone, and the date part is the same shape as a date alone', () => {
  assert.equal(formatDay('en', AT), 'Dec 7, 2026');
  assert.equal(formatTime('en', AT, { timeZone: 'UTC' }), 'Dec 7, 2026, 8:20 AM UTC');
  assert.equal(formatDay('de', AT), '7. Dez. 2026');
  assert.equal(formatTime('de', AT, { timeZone: 'UTC' }), '7. Dez. 2026, 08:20 UTC');
  assert.equal(formatTime('de', AT, { timeZone: 'Europe/Berlin' }), '7. Dez. 2026, 09:20 MEZ');
  assert.equal(formatTime('en', AT, { timeZone: 'UTC', seconds: true }), 'Dec 7, 2026, 8:20:00 AM UTC');
  // The viewer's own zone is named too, whatever it is.
  assert.match(formatTime('en', AT), /^Dec \d, 2026, \d{1,2}:\d\d [AP]M \S+$/);
});

test('a language Intl refuses falls back to English rather than throwing', () => {
  assert.equal(formatDay('not a tag!', AT), 'Dec 7, 2026');
});
