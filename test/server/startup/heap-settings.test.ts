/**
 * The heap-settings check at start: a heap cap without a semi-space cap gets one line of advice on
 * stderr (with it, full collections replace young ones under load: see server/startup/heap-settings.ts),
 * and a server started with both, or with neither, prints none.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { heapAdvice, heapOptions } from '../../../server/startup/heap-settings.ts';
import { killAllServers, spawnServer } from '../../support/spawn-server.ts';

after(killAllServers);

const MB = 2 ** 20;

test('the heap options are read from NODE_OPTIONS and the command line, the later one winning, with either spelling', () => {
  assert.deepEqual(heapOptions([], undefined), { oldSpaceMb: null, semiSpaceMb: null });
  assert.deepEqual(heapOptions([], '--max-old-space-size=128'), { oldSpaceMb: 128, semiSpaceMb: null });
  assert.deepEqual(heapOptions(['--max_semi_space_size=16'], '--max-old-space-size=128 --enable-source-maps'), { oldSpaceMb: 128, semiSpaceMb: 16 });
  assert.deepEqual(heapOptions(['--max-old-space-size=512'], '--max-old-space-size=128'), { oldSpaceMb: 512, semiSpaceMb: null });
  assert.deepEqual(heapOptions(['--max-old-space-size'], '--max-old-space-size=abc'), { oldSpaceMb: null, semiSpaceMb: null });
});

test('advice only for a cap whose semi-space would outgrow an eighth of it, naming a power of two', () => {
  // V8's heap limit is the cap plus three semi-spaces of up to 64 MB.
  assert.match(heapAdvice({ oldSpaceMb: 128, semiSpaceMb: null }, (128 + 192) * MB) ?? '', /capped at 128 MB .* 64 MB.*--max-semi-space-size=16 /);
  assert.match(heapAdvice({ oldSpaceMb: 256, semiSpaceMb: null }, (256 + 192) * MB) ?? '', /--max-semi-space-size=32 /);
  assert.match(heapAdvice({ oldSpaceMb: 100, semiSpaceMb: null }, (100 + 192) * MB) ?? '', /--max-semi-space-size=8 /);
  assert.equal(heapAdvice({ oldSpaceMb: 512, semiSpaceMb: null }, (512 + 192) * MB), null, 'an eighth of 512 MB is room enough');
  assert.equal(heapAdvice({ oldSpaceMb: 128, semiSpaceMb: 16 }, (128 + 48) * MB), null, 'the semi-space is capped already');
  assert.equal(heapAdvice({ oldSpaceMb: null, semiSpaceMb: null }, 4288 * MB), null, 'no cap, no advice');
});

test('a server started with the cap alone prints the advice on stderr; with the semi-space capped too, nothing', async () => {
  for (const [options, wanted] of [['--max-old-space-size=128', true], ['--max-old-space-size=128 --max-semi-space-size=16', false]] as const) {
    const dataDir = await mkdtemp(join(tmpdir(), 'patkit-heap-'));
    try {
      const server = await spawnServer({ dataDir, env: { NODE_OPTIONS: options, PATKIT_ADMIN_PASSWORD: 'heap-admin-password' } });
      await server.stop();
      assert.equal(/--max-semi-space-size=16/.test(server.stderr()), wanted, `NODE_OPTIONS="${options}": ${server.stderr()}`);
      assert.doesNotMatch(server.stdout(), /semi-space/, 'never on stdout, whose first line other tools wait for');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
});
