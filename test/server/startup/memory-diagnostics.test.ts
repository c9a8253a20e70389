/**
 * The memory diagnostics the soak bench reads: off unless PATKIT_DIAG_MEMORY asks for them, one
 * parseable line per interval, and a server started without the variable prints none.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memoryDiagnosticsWanted, parseMemorySamples, startMemoryDiagnostics } from '../../../server/startup/memory-diagnostics.ts';
import { killAllServers, spawnServer } from '../../support/spawn-server.ts';

after(killAllServers);

test('only "1" or "true" turns the memory diagnostics on', () => {
  for (const value of [undefined, '', '0', 'false', 'yes']) assert.equal(memoryDiagnosticsWanted(value), false, String(value));
  for (const value of ['1', 'true']) assert.equal(memoryDiagnosticsWanted(value), true, value);
});

test('each line carries the RSS and the least heap in use over the interval, and stopping ends the lines', async () => {
  const lines: string[] = [];
  const stop = startMemoryDiagnostics((line) => lines.push(line), 60, 10);
  // Garbage for the young generation, so the counts have collections to show.
  const keep: unknown[] = [];
  for (let i = 0; i < 40; i++) {
    keep.length = 0;
    for (let j = 0; j < 20_000; j++) keep.push({ j, s: `x${j}` });
    await new Promise((r) => setTimeout(r, 5));
  }
  stop();
  const count = lines.length;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(lines.length, count, 'no line after stop');
  const samples = parseMemorySamples(`other output\n${lines.join('\n')}\n`);
  assert.ok(samples.length >= 2, `${samples.length} samples`);
  for (const s of samples) {
    assert.ok(s.rss > 0 && s.heapUsed > 0 && s.heapTotal >= s.heapUsed);
    assert.ok(s.heapUsedMin > 0 && s.heapUsedMin <= s.heapUsed);
    assert.ok(s.newSpace > 0 && s.heapLimit > s.heapTotal, `young generation ${s.newSpace}, limit ${s.heapLimit}`);
  }
  const last = samples.at(-1)!;
  assert.ok(last.gc.minor > 0 && last.gc.minorMs >= 0, `collections counted: ${JSON.stringify(last.gc)}`);
  assert.ok(samples.every((s, i) => i === 0 || s.gc.minor >= samples[i - 1]!.gc.minor), 'the counts are cumulative');
});

test('a server prints the lines with PATKIT_DIAG_MEMORY=1 and none without it', async () => {
  for (const [value, wanted] of [['1', true], ['', false]] as const) {
    const dataDir = await mkdtemp(join(tmpdir(), 'patkit-diag-'));
    try {
      const server = await spawnServer({ dataDir, env: { PATKIT_DIAG_MEMORY: value, PATKIT_ADMIN_PASSWORD: 'diag-admin-password' } });
      await new Promise((r) => setTimeout(r, 2_500));
      await server.stop();
      const samples = parseMemorySamples(server.stderr());
      assert.equal(samples.length > 0, wanted, `PATKIT_DIAG_MEMORY="${value}": ${server.output()}`);
      assert.doesNotMatch(server.stdout(), /patkit diag/, 'never on stdout, whose first line other tools wait for');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
});
