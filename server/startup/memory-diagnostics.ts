/**
 * `PATKIT_DIAG_MEMORY=1` (off unless set): once a second, one line on stderr with the process's RSS
 * and V8 heap, for `bench/soak.bench.ts`. `heapUsedMin` is the least heap in use seen over the second
 * (sampled every 100 ms): the heap just after a collection, i.e. close to what is really retained,
 * which the raw `heapUsed` (garbage included) hides. Reads counters only; changes nothing.
 */
import { getHeapStatistics } from 'node:v8';

export const MEMORY_DIAG_PREFIX = 'patkit diag memory ';

export interface MemorySample {
  /** Milliseconds since the diagnostics started. */
  t: number;
  rss: number;
  heapUsed: number;
  heapUsedMin: number;
  heapTotal: number;
  external: number;
}

/** The value of PATKIT_DIAG_MEMORY that turns the diagnostics on. */
export function memoryDiagnosticsWanted(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

/** Starts the sampling (timers that never keep the process alive); returns the function that stops it. */
export function startMemoryDiagnostics(write: (line: string) => void, everyMs = 1_000, sampleMs = 100): () => void {
  const started = performance.now();
  let min = Infinity;
  const sampler = setInterval(() => {
    min = Math.min(min, getHeapStatistics().used_heap_size);
  }, sampleMs);
  const reporter = setInterval(() => {
    const usage = process.memoryUsage();
    const sample: MemorySample = {
      t: Math.round(performance.now() - started),
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      heapUsedMin: Math.min(min, usage.heapUsed),
      heapTotal: usage.heapTotal,
      external: usage.external,
    };
    min = Infinity;
    write(MEMORY_DIAG_PREFIX + JSON.stringify(sample));
  }, everyMs);
  sampler.unref();
  reporter.unref();
  return () => {
    clearInterval(sampler);
    clearInterval(reporter);
  };
}

/** The samples in a server's output (the bench's side of the line format above). */
export function parseMemorySamples(output: string): MemorySample[] {
  const samples: MemorySample[] = [];
  for (const line of output.split('\n')) {
    const at = line.indexOf(MEMORY_DIAG_PREFIX);
    if (at >= 0) samples.push(JSON.parse(line.slice(at + MEMORY_DIAG_PREFIX.length)) as MemorySample);
  }
  return samples;
}
