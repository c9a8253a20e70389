/**
 * `npm run bench`: every benchmark, one after the other. Each prints its figures and exits 1 when
 * one of its budgets is missed; a missed budget does not stop the others from running, and the run
 * exits 1 at the end, naming which missed.
 */
import { spawnSync } from 'node:child_process';

const BENCHES = ['bench:server', 'bench:peer', 'bench:pg-clients', 'bench:cache', 'bench:kit', 'bench:popup'];
const missed: string[] = [];
for (const bench of BENCHES) {
  console.log(`\n=== npm run ${bench} ===`);
  const run = spawnSync('npm', ['run', '-s', bench], { stdio: 'inherit' });
  if (run.status !== 0) missed.push(`${bench} (exit ${run.status ?? run.signal})`);
}
console.log(missed.length === 0 ? '\nbench: every budget met' : `\nbench: missed in ${missed.join(', ')}`);
process.exitCode = missed.length === 0 ? 0 : 1;
