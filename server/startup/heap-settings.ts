/**
 * A check of the V8 heap settings the server was started with. V8 sizes its young generation on its
 * own (up to 64 MB a semi-space on a 64-bit machine, whatever the old-space cap), and a young
 * collection needs room in the old space to promote into: with `--max-old-space-size=128` alone,
 * the old space seldom has that room under load, so V8 runs a full mark-compact where a scavenge
 * would do (measured with `npm run bench:soak`: 27 full collections per 1,000 requests instead of
 * 0.05, 4.7× the CPU per request). Capping the semi-space too (`--max-semi-space-size`, an eighth of
 * the cap) gives the same throughput as no cap. Reads the options only; changes nothing.
 */

/** What V8 reports as its heap limit: the old-space cap plus the young generation (three semi-spaces). */
const SEMI_SPACES = 3;

export interface HeapOptions {
  /** `--max-old-space-size` in MB, when given. */
  oldSpaceMb: number | null;
  /** `--max-semi-space-size` in MB, when given. */
  semiSpaceMb: number | null;
}

/** The heap options among Node's command-line options and NODE_OPTIONS (the later one wins, as in V8). */
export function heapOptions(execArgv: readonly string[], nodeOptions: string | undefined): HeapOptions {
  const options = [...(nodeOptions ?? '').split(/\s+/), ...execArgv];
  const last = (name: string): number | null => {
    let value: number | null = null;
    for (const option of options) {
      const match = new RegExp(`^--${name.replaceAll('-', '[-_]')}=(\\d+)$`).exec(option);
      if (match) value = Number(match[1]);
    }
    return value;
  };
  return { oldSpaceMb: last('max-old-space-size'), semiSpaceMb: last('max-semi-space-size') };
}

/**
 * The advice to print at start, or null: when the old space is capped and the semi-space is not,
 * and V8's young generation (heap limit minus the cap) would want more than an eighth of the cap
 * per semi-space.
 */
export function heapAdvice(options: HeapOptions, heapLimitBytes: number): string | null {
  if (options.oldSpaceMb === null || options.semiSpaceMb !== null) return null;
  const semiSpaceMb = (heapLimitBytes / 2 ** 20 - options.oldSpaceMb) / SEMI_SPACES;
  const wanted = Math.max(1, 2 ** Math.floor(Math.log2(options.oldSpaceMb / 8)));
  if (semiSpaceMb <= wanted) return null;
  return (
    `patkit: the heap is capped at ${options.oldSpaceMb} MB but V8 may grow each young semi-space to ${Math.round(semiSpaceMb)} MB; ` +
    `under load it then runs full collections instead of young ones (several times the CPU per request). ` +
    `Cap the semi-space too: --max-semi-space-size=${wanted} (docs/guides/configuration.md, "Memory").`
  );
}
