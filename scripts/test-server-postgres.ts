/**
 * `npm run test:server:postgres`: the whole server suite against the PostgreSQL store. Starts one
 * real PostgreSQL cluster for the run (test/support/postgres.ts: initdb + pg_ctl as the postgres
 * user, temp dir, free loopback port), runs node:test with PATKIT_TEST_STORE=postgres (every harness
 * gets its own new database on it), then stops the cluster and removes its directory.
 */
import { spawn } from 'node:child_process';
import { startPostgres } from '../test/support/postgres.ts';

const cluster = await startPostgres();
let code = 1;
try {
  const files = process.argv.slice(2);
  // The same per-test timeout as `npm run test:server`: a hang fails that test by name.
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=120000', '--test-force-exit', ...(files.length ? files : ['test/server/**/*.test.ts'])], {
    stdio: 'inherit',
    env: { ...process.env, PATKIT_TEST_STORE: 'postgres', PATKIT_TEST_POSTGRES_URL: cluster.url },
  });
  code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
} finally {
  await cluster.stop();
}
process.exit(code);
