/**
 * `npm test`: every suite of the project, in order, each through `npm run` so it runs on Node 24.
 * Prints each suite's outcome and one closing line `tests: N passed, N failed, N skipped` for CI.
 * Each suite has a time limit: a suite still running then is killed (its whole process group) and
 * counted as failed, by name, so a hang ends the run instead of holding it open.
 * Suites: server (node:test over real HTTP, once on SQLite and once on a real PostgreSQL cluster),
 * lib under Node, the kit build, the kit package (packed, installed into a temp host, type-checked,
 * built, run), the documentation site (built from the package, every page and live example in
 * real Chromium), browser tests (components, cache and providers in real Chromium), the extension
 * build, the Firefox build through Mozilla's linter (`web-ext lint`, fails on any error), the visual
 * regression suite (kit components, console and extension screens against committed baseline PNGs
 * in real Chromium), end-to-end tests in real Chromium and real Firefox.
 */
import { spawn } from 'node:child_process';

interface Step {
  name: string;
  script: string;
  /** Counts passed/failed/skipped from the runner's summary lines. */
  counts: boolean;
  /** Minutes before the suite is killed and counted as failed. */
  limit: number;
}

const steps: Step[] = [
  { name: 'typecheck', script: 'typecheck', counts: false, limit: 5 },
  { name: 'server (SQLite)', script: 'test:server', counts: true, limit: 20 },
  { name: 'server (PostgreSQL)', script: 'test:server:postgres', counts: true, limit: 30 },
  { name: 'lib (Node)', script: 'test:lib', counts: true, limit: 15 },
  { name: 'kit build', script: 'build:kit', counts: false, limit: 5 },
  { name: 'kit package (consumer, manifest)', script: 'test:kit-package', counts: true, limit: 20 },
  { name: 'documentation site (build, pages, live examples, API page)', script: 'test:docs', counts: true, limit: 5 },
  { name: 'browser', script: 'test:browser', counts: true, limit: 30 },
  { name: 'extension unit', script: 'test:ext-unit', counts: true, limit: 10 },
  { name: 'extension build', script: 'build:ext', counts: false, limit: 10 },
  { name: 'Firefox build + Mozilla lint (web-ext)', script: 'lint:firefox', counts: false, limit: 10 },
  { name: 'visual regression (screens vs baselines)', script: 'test:visual', counts: true, limit: 6 },
  { name: 'end-to-end', script: 'test:e2e', counts: true, limit: 40 },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];

interface Outcome {
  code: number;
  output: string;
  /** The suite ran past its limit and was killed. */
  timedOut: boolean;
}

/** The running suite's process group, so Ctrl-C or a time limit ends everything it started. */
let current: number | undefined;

/** A suite's limit in minutes; `PATKIT_TEST_STEP_MINUTES` overrides every limit (e.g. to try one). */
function limitOf(step: Step): number {
  return Number(process.env.PATKIT_TEST_STEP_MINUTES) || step.limit;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function run(step: Step): Promise<Outcome> {
  return new Promise((resolve) => {
    // Its own process group (detached): a time limit kills the suite and every server and browser it started.
    const child = spawn('npm', ['run', '--silent', step.script], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child.pid;
    let output = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n=== ${step.name}: still running after ${limitOf(step)} min: killed ===`);
      if (child.pid !== undefined) killGroup(child.pid);
    }, limitOf(step) * 60_000);
    const onData = (chunk: Buffer, target: NodeJS.WriteStream): void => {
      output += chunk.toString();
      target.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => onData(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => onData(c, process.stderr));
    child.on('close', (code) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code: timedOut ? 124 : (code ?? 1), output, timedOut });
    });
  });
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * node:test's spec reporter ends with `ℹ pass N` / `ℹ fail N` / `ℹ cancelled N` / `ℹ skipped N` (a
 * test past its timeout is cancelled: a failure here); web-test-runner with `N passed, N failed`
 * and `, N skipped` when there are any. node:test leaves a skipped suite (a store-specific one on
 * the other store) out of `skipped`, so skips are counted from their own lines (`﹣ name # reason`,
 * or TAP's `# SKIP`): a skipped suite counts one.
 */
export function countsFrom(output: string): Counts {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const sum = (label: string): number => [...plain.matchAll(new RegExp(`^[ℹ#] ${label} (\\d+)$`, 'gm'))].reduce((total, m) => total + Number(m[1]), 0);
  if (/^[ℹ#] pass \d+$/m.test(plain)) {
    const skipLines = (plain.match(/^\s*﹣ .* # /gm)?.length ?? 0) + (plain.match(/^\s*ok \d+ - .* # SKIP\b/gm)?.length ?? 0);
    return { passed: sum('pass'), failed: sum('fail') + sum('cancelled'), skipped: Math.max(sum('skipped'), skipLines) };
  }
  const wtr = [...plain.matchAll(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)].at(-1);
  if (wtr) return { passed: Number(wtr[1]), failed: Number(wtr[2]), skipped: Number(wtr[3] ?? 0) };
  return { passed: 0, failed: 0, skipped: 0 };
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (current !== undefined) killGroup(current);
      process.exit(130);
    });
  }
  for (const step of steps) {
    if (only.length > 0 && !only.includes(step.script)) continue;
    console.log(`\n=== ${step.name} (npm run ${step.script}) ===`);
    const started = Date.now();
    const { code, output, timedOut } = await run(step);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (step.counts) {
      const c = countsFrom(output);
      passed += c.passed;
      failed += c.failed;
      skipped += c.skipped;
      if (code !== 0 && c.failed === 0) failed += 1;
    } else if (code !== 0) {
      failed += 1;
    }
    if (code !== 0) failures.push(timedOut ? `${step.name} (killed after ${limitOf(step)} min)` : step.name);
    const outcome = code === 0 ? 'ok' : timedOut ? `FAILED (killed: over its ${limitOf(step)} min limit)` : `FAILED (exit ${code})`;
    console.log(`=== ${step.name}: ${outcome} in ${seconds}s ===`);
  }

  console.log('');
  if (failures.length > 0) console.log(`Failed suites: ${failures.join(', ')}`);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failures.length > 0 ? 1 : 0);
}

if (import.meta.main) await main();
