/**
 * `npm start`: the main job on a fresh machine. Builds the component kit (and the admin console
 * that is made of it), the documentation site when it is missing or older than its sources, and
 * the browser extension, then starts the reference server with demo data on the embedded SQLite
 * default and says where everything is (the site is served at `/docs/`).
 *
 * Flags: `--no-build` skips every build (reuse the last ones); anything else is passed to the server.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bannerLines, emptyFacts, readServerLine, type ServerFacts } from './start-banner.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
const serverArgs = args.filter((a) => a !== '--no-build');

function runScript(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run ${script} failed (exit ${code})`))));
  });
}

/** The newest modification time of any file under these paths (0 when none exists). */
function newest(paths: string[]): number {
  let latest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const stat = statSync(p);
    if (stat.isFile()) latest = Math.max(latest, stat.mtimeMs);
    else for (const f of readdirSync(p, { recursive: true, encoding: 'utf8' })) latest = Math.max(latest, statSync(path.join(p, f)).mtimeMs);
  }
  return latest;
}

/** The site is stale when a page source, the site's code or the package it shows is newer than it. */
function docsStale(): boolean {
  const built = path.join(root, 'dist', 'docs', 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['docs', 'docs-site', 'dist/kit/custom-elements.json', 'dist/kit/esm', 'server'].map((p) => path.join(root, p));
  return newest(sources) > statSync(built).mtimeMs;
}

async function build(): Promise<void> {
  console.log('patkit: building the component kit and the admin console…');
  await runScript('build:kit');
  if (docsStale()) {
    console.log('patkit: building the documentation site…');
    await runScript('docs:build');
  }
  console.log('patkit: building the browser extension…');
  await runScript('build:ext');
}

function startServer(): void {
  const child = spawn(process.execPath, [path.join(root, 'server/main.ts'), '--demo', ...serverArgs], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
    env: process.env,
  });
  // The server prints its URL, then the sign-in, then a line starting "Admin console:"; the
  // summary follows that last line and says only what those lines told.
  const facts = emptyFacts();
  let announced = false;
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    process.stdout.write(chunk);
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      readServerLine(facts, line);
      if (!announced && facts.url !== null && facts.complete) {
        announced = true;
        announce(facts.url, facts);
      }
    }
  });
  const stop = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  child.on('close', (code) => process.exit(code ?? 0));
}

function announce(url: string, facts: ServerFacts): void {
  const extension = path.join(root, '.output', 'chrome-mv3');
  const built = existsSync(path.join(extension, 'manifest.json'));
  console.log(bannerLines(url, facts, built ? extension : null).join('\n'));
}

try {
  if (!skipBuild) await build();
  startServer();
} catch (error) {
  console.error(`patkit: ${(error as Error).message}`);
  process.exit(1);
}
