/**
 * `PATKIT_DIAG_MEMORY=1` (off unless set): once a second, one line on stderr with the process's RSS
 * and V8 heap, for `bench/soak.bench.ts`. `heapUsedMin` is the least heap in use seen over the second
 * (sampled every 100 ms): the heap just after a collection, i.e. close to what is really retained,
 * which the raw `heapUsed` (garbage included) hides. Collections are counted too (from the `gc`
performance entries, cumulative since the start), with the young generation's size: V8 sizes it from
the heap limit, so a capped heap also has a small young generation and collects far more often.
Reads counters only; changes nothing.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

export const MEMORY_DIAG_PREFIX = 'patkit diag memory ';

export interface MemorySample {
  /** Milliseconds since the diagnostics started. */
  t: number;
  rss: number;
  heapUsed: number;
  heapUsedMin: number;
  heapTotal: number;
  external: number;
  /** Collections since the diagnostics started: minor (scavenges), major (mark-compact). */
  gc: { minor: number; minorMs: number; major: number; majorMs: number };
  /** The young generation's current size (`new_space`), and V8's heap limit. */
  newSpace: number;
  heapLimit: number;
}

/** The value of PATKIT_DIAG_MEMORY that turns the diagnostics on. */
export function memoryDiagnosticsWanted(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

/** Starts the sampling (timers that never keep the process alive); returns the function that stops it. */
export function startMemoryDiagnostics(write: (line: string) => void, everyMs = 1_000, sampleMs = 100): () => void {
  const started = performance.now();
  let min = Infinity;
  const gc = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minor++;
        gc.minorMs += entry.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.major++;
        gc.majorMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
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
      gc: { minor: gc.minor, minorMs: Math.round(gc.minorMs), major: gc.major, majorMs: Math.round(gc.majorMs) },
      newSpace: getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0,
      heapLimit: getHeapStatistics().heap_size_limit,
    };
    min = Infinity;
    write(MEMORY_DIAG_PREFIX + JSON.stringify(sample));
  }, everyMs);
  sampler.unref();
  reporter.unref();
  return () => {
    clearInterval(sampler);
    clearInterval(reporter);
    observer.disconnect();
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
