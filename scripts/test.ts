/**
 * `npm test`: every suite of the project, in order, each through `npm run` so it runs on Node 24.
 * Prints each suite's outcome and one closing line `tests: N passed, N failed` for CI.
 * Suites: server (node:test over real HTTP, once on SQLite and once on a real PostgreSQL cluster),
 * lib under Node, the kit build, the kit package (packed, installed into a temp host, type-checked,
 * built, run), browser tests (components, cache and providers in real Chromium), the extension
 * build, the Firefox build through Mozilla's linter (`web-ext lint`, fails on any error), end-to-end
 * tests in real Chromium and real Firefox.
 */
import { spawn } from 'node:child_process';

interface Step {
  name: string;
  script: string;
  /** Counts passed/failed from the runner's summary lines. */
  counts: boolean;
}

const steps: Step[] = [
  { name: 'typecheck', script: 'typecheck', counts: false },
  { name: 'server (SQLite)', script: 'test:server', counts: true },
  { name: 'server (PostgreSQL)', script: 'test:server:postgres', counts: true },
  { name: 'lib (Node)', script: 'test:lib', counts: true },
  { name: 'kit build', script: 'build:kit', counts: false },
  { name: 'kit package (consumer, manifest)', script: 'test:kit-package', counts: true },
  { name: 'browser', script: 'test:browser', counts: true },
  { name: 'extension unit', script: 'test:ext-unit', counts: true },
  { name: 'extension build', script: 'build:ext', counts: false },
  { name: 'Firefox build + Mozilla lint (web-ext)', script: 'lint:firefox', counts: false },
  { name: 'end-to-end', script: 'test:e2e', counts: true },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', step.script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer, target: NodeJS.WriteStream): void => {
      output += chunk.toString();
      target.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => onData(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => onData(c, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** node:test's spec reporter ends with `ℹ pass N` / `ℹ fail N`; web-test-runner with `N passed, N failed`. */
function countsFrom(output: string): { passed: number; failed: number } {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const nodePass = [...plain.matchAll(/^[ℹ#] pass (\d+)$/gm)].map((m) => Number(m[1]));
  const nodeFail = [...plain.matchAll(/^[ℹ#] fail (\d+)$/gm)].map((m) => Number(m[1]));
  if (nodePass.length > 0) {
    return { passed: nodePass.reduce((a, b) => a + b, 0), failed: nodeFail.reduce((a, b) => a + b, 0) };
  }
  const wtr = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  if (wtr) return { passed: Number(wtr[1]), failed: Number(wtr[2]) };
  return { passed: 0, failed: 0 };
}

for (const step of steps) {
  if (only.length > 0 && !only.includes(step.script)) continue;
  console.log(`\n=== ${step.name} (npm run ${step.script}) ===`);
  const started = Date.now();
  const { code, output } = await run(step);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (step.counts) {
    const c = countsFrom(output);
    passed += c.passed;
    failed += c.failed;
    if (code !== 0 && c.failed === 0) failed += 1;
  } else if (code !== 0) {
    failed += 1;
  }
  if (code !== 0) failures.push(step.name);
  console.log(`=== ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds}s ===`);
}

console.log('');
if (failures.length > 0) console.log(`Failed suites: ${failures.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failures.length > 0 ? 1 : 0);
