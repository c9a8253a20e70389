/**
 * The package as a host app gets it (`npm run test:kit-package`, after `npm run build:kit`):
 * `npm pack` of dist/kit, installed from the tarball into a fresh host project in a temp folder
 * (lit, react, react-dom, their types, typescript and vite from the npm cache where it has them),
 * then
 *   (a) strict `tsc` on a host using `.provider`, a typed event detail and createElement typing,
 *       and a second file of deliberate misuses that must fail, each on its marked line;
 *   (b) a React 19 TSX host rendering `<pat-token-manager>` that type-checks;
 *   (c) `vite build` of that host;
 *   (d) the built host in Chromium against the real reference server (bearer mode across
 *       origins): create a token through the UI, see the secret revealed once, see it listed.
 * Nothing is mocked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { CHROME_FLAGS, CHROME_PATH } from '../support/chromium.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { HOST_FILES, docsLanguageExamples, docsNpmExample } from './consumer-host.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const KIT = join(ROOT, 'dist', 'kit');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };

let work = '';
let host = '';
let tarball = '';

function run(command: string, args: string[], cwd: string): { status: number; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** A host tool run on this test's Node (24), like `npx` in the host would. */
const hostTool = (relativeBin: string, args: string[]): { status: number; output: string } => run(process.execPath, [join(host, 'node_modules', relativeBin), ...args], host);

const tsconfig = (include: string[]): string =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      jsx: 'react-jsx',
      strict: true,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      // The host checks the package's own .d.ts files too, not just its use of them.
      skipLibCheck: false,
      types: [],
    },
    include,
  });

before(async () => {
  assert.ok(existsSync(join(KIT, 'package.json')), 'dist/kit is not built: run `npm run build:kit` first (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'patkit-consumer-'));
  host = join(work, 'host');
  const pack = run('npm', ['pack', KIT, '--pack-destination', work, '--json'], ROOT);
  assert.equal(pack.status, 0, pack.output);
  tarball = join(work, (JSON.parse(pack.output.slice(pack.output.indexOf('['))) as Array<{ filename: string }>)[0]!.filename);
  mkdirSync(host);
  for (const [file, text] of Object.entries(HOST_FILES)) {
    mkdirSync(join(host, file, '..'), { recursive: true });
    writeFileSync(join(host, file), text);
  }
  writeFileSync(join(host, 'tsconfig.json'), tsconfig(['src']));
  writeFileSync(join(host, 'tsconfig.misuse.json'), tsconfig(['misuse']));
  writeFileSync(join(host, 'tsconfig.manager-only.json'), tsconfig(['manager-only']));
  writeFileSync(
    join(host, 'package.json'),
    JSON.stringify({
      name: 'patkit-consumer-host',
      private: true,
      type: 'module',
      dependencies: { patkit: `file:${tarball}`, react: '^19.0.0', 'react-dom': '^19.0.0' },
      devDependencies: {
        '@types/react': '^19.0.0',
        '@types/react-dom': '^19.0.0',
        typescript: rootPackage.devDependencies.typescript,
        vite: rootPackage.devDependencies.vite,
      },
      overrides: { rollup: '4.67.4' },
    }),
  );
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], host);
  assert.equal(install.status, 0, install.output);
});

after(() => {
  // PATKIT_KEEP_HOST=1 keeps the host project for a look (its path is printed).
  if (process.env.PATKIT_KEEP_HOST) console.log(`host project kept in ${host}`);
  else if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball is the package: every export target, LICENSE, README, manifest; no install scripts; lit its only dependency', () => {
  const listing = run('tar', ['tzf', tarball], work);
  assert.equal(listing.status, 0, listing.output);
  const files = new Set(listing.output.trim().split('\n').map((f) => f.replace(/^package\//, '')));
  const pkg = JSON.parse(readFileSync(join(host, 'node_modules', 'patkit', 'package.json'), 'utf8')) as Record<string, unknown> & {
    exports: Record<string, string | Record<string, string>>;
    dependencies: Record<string, string>;
    sideEffects: string[];
  };
  for (const file of ['package.json', 'LICENSE', 'README.md', 'custom-elements.json', 'patkit-kit.js', 'loader.js']) assert.ok(files.has(file), `${file} is in the tarball`);
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    for (const [condition, file] of Object.entries(typeof target === 'string' ? { default: target } : target)) {
      assert.ok(files.has(file.replace(/^\.\//, '')), `exports[${subpath}].${condition} = ${file} is in the tarball`);
    }
    if (typeof target !== 'string' && !subpath.endsWith('.json')) assert.ok(target.types, `exports[${subpath}] has types`);
  }
  for (const file of files) assert.doesNotMatch(file, /^(server|entrypoints|test|bench|scripts|lib|components|console)\//, `${file} does not belong in the package`);
  assert.equal(pkg.name, 'patkit');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.license, 'MIT');
  assert.ok(pkg.version && pkg.engines, 'version and engines');
  assert.equal(pkg.scripts, undefined, 'no scripts, so nothing runs on install');
  assert.deepEqual(Object.keys(pkg.dependencies), ['lit']);
  assert.ok(!pkg.sideEffects.some((f) => f.includes('.component')), 'no .component file in sideEffects');
  // What the host got: patkit and lit, nothing of the server's stack.
  for (const name of ['fastify', 'typebox', 'pino', 'ajv-formats', '@lit-labs/virtualizer', 'wxt']) {
    assert.ok(!existsSync(join(host, 'node_modules', name)), `${name} is not installed into the host`);
  }
});

/** `file(line,col): error TSxxxx` lines of a tsc run. */
function tscErrors(output: string): Array<{ file: string; line: number; code: string; text: string }> {
  return [...output.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map((m) => ({ file: m[1]!, line: Number(m[2]), code: m[3]!, text: m[4]! }));
}

test('(a)+(b) strict tsc type-checks the host: .provider, typed event details, createElement, React 19 JSX', () => {
  const tsc = hostTool('typescript/bin/tsc', ['-p', 'tsconfig.json']);
  assert.equal(tsc.status, 0, `tsc failed:\n${tsc.output}`);
});

test('(a) importing only patkit/token-manager types every tag it defines (document.createElement(\'pat-token-list\').tokens)', () => {
  const tsc = hostTool('typescript/bin/tsc', ['-p', 'tsconfig.manager-only.json']);
  assert.equal(tsc.status, 0, `tsc failed:\n${tsc.output}`);
});

test('(a)+(b) each deliberate misuse fails to type-check, on its line and with its code', () => {
  const tsc = hostTool('typescript/bin/tsc', ['-p', 'tsconfig.misuse.json']);
  assert.notEqual(tsc.status, 0, 'the misuses must not type-check');
  const expected: string[] = [];
  for (const file of readdirSync(join(host, 'misuse'))) {
    readFileSync(join(host, 'misuse', file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = /MUST-FAIL (TS\d+)/.exec(line)?.[1];
        if (code) expected.push(`misuse/${file}:${i + 1} ${code}`);
      });
  }
  const actual = tscErrors(tsc.output).map((e) => `${e.file.replace(/\\/g, '/')}:${e.line} ${e.code}`);
  assert.deepEqual([...new Set(actual)].sort(), expected.sort(), `tsc output:\n${tsc.output}`);
});

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function serveStatic(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      r({ server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    }),
  );
}

test('(c)+(d) vite builds the host; in Chromium it creates a token through the UI against the reference server; the npm example of the docs lists it', async () => {
  const dist = join(host, 'dist');
  const site = await serveStatic(dist);
  let patkit: TestServer | null = null;
  const profile = mkdtempSync(join(tmpdir(), 'patkit-consumer-chrome-'));
  const browser = await puppeteer.launch({ executablePath: CHROME_PATH, headless: true, pipe: true, args: [...CHROME_FLAGS, `--user-data-dir=${profile}`] });
  try {
    // Another origin than the host page: bearer mode with CORS, as the docs' npm example.
    patkit = await startTestServer({ enablePats: true, env: { PATKIT_CORS_ORIGINS: site.origin } });
    // What the docs' "your backend" does: a bearer session, handed to the page in a meta tag.
    const session = await fetch(`${patkit.url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: patkit.adminPassword, mode: 'bearer' }),
    });
    assert.equal(session.status, 201);
    const { credential } = (await session.json()) as { credential: string };
    const example = docsNpmExample();
    const script = example.replace("'https://tokens.example.com'", JSON.stringify(patkit.url));
    assert.notEqual(script, example, 'the example names the token server as in the docs');
    // The TypeScript example runs as a module of its own (Vite compiles it), after any locale example.
    writeFileSync(join(host, 'src', 'readme-npm.ts'), script);
    const npm = '<script type="module" src="/src/readme-npm.ts"></script>';
    writeFileSync(
      join(host, 'readme.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8" /><meta name="patkit-credential" content="${credential}" /><title>docs example</title></head>
<body><pat-token-manager></pat-token-manager>${npm}</body></html>\n`,
    );
    const [german, french] = docsLanguageExamples();
    for (const [file, lang, example] of [['readme-de.html', 'en', german], ['readme-fr.html', 'fr', french]] as const) {
      writeFileSync(
        join(host, file),
        `<!doctype html><html lang="${lang}"><head><meta charset="utf-8" /><meta name="patkit-credential" content="${credential}" /><title>docs example</title></head>
<body><pat-token-manager></pat-token-manager><script type="module">\n${example}\n</script>${npm}</body></html>\n`,
      );
    }
    const vite = hostTool('vite/bin/vite.js', ['build']);
    assert.equal(vite.status, 0, `vite build failed:\n${vite.output}`);
    assert.ok(existsSync(join(dist, 'index.html')) && existsSync(join(dist, 'readme.html')));

  const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${site.origin}/?server=${encodeURIComponent(patkit.url)}&password=${encodeURIComponent(patkit.adminPassword)}`);
    const tokenName = `consumer ${Date.now().toString(36)}`;
    await page.waitForSelector('pat-token-manager >>> [part="create"]:not([disabled])', { timeout: 15_000 });
    const click = async (selector: string): Promise<void> => {
      const element = await page.waitForSelector(selector, { visible: true, timeout: 10_000 });
      await element!.click();
    };
    await click('pat-token-manager >>> [part="create"]');
    const name = await page.waitForSelector('pat-token-manager >>> pat-create-wizard >>> input[name=name]', { visible: true, timeout: 10_000 });
    await name!.type(tokenName);
    for (let step = 0; step < 8; step += 1) {
      if (await page.$('pat-token-manager >>> pat-create-wizard >>> [part="admin-confirm"]')) {
        await click('pat-token-manager >>> pat-create-wizard >>> [part="admin-confirm"]');
        break;
      }
      const password = await page.$('pat-token-manager >>> pat-create-wizard >>> input[type=password]');
      if (password && !(await password.evaluate((el) => (el as HTMLInputElement).value))) await password.type(patkit.adminPassword);
      const submit = await page.$('pat-token-manager >>> pat-create-wizard >>> [part="submit"]');
      if (submit) {
        await submit.click();
        await page.waitForSelector('pat-token-manager >>> pat-reveal-dialog >>> [part="secret"], pat-token-manager >>> pat-create-wizard >>> [part="admin-confirm"]', { timeout: 10_000 });
        continue;
      }
      const scope = await page.$('pat-token-manager >>> pat-create-wizard >>> [part="scope-list"] input[type=checkbox]');
      if (scope && !(await scope.evaluate((el) => (el as HTMLInputElement).checked))) await scope.click();
      await click('pat-token-manager >>> pat-create-wizard >>> [part="next"]');
    }
    const secretEl = await page.waitForSelector('pat-token-manager >>> pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
    const secret = (await secretEl!.evaluate((el) => el.textContent ?? '')).trim();
    assert.match(secret, /^pat_[0-9A-Za-z]{36}$/, 'the new secret is revealed');
    // React's onpat-token-saved prop received the typed event.
    await page.waitForFunction((name) => document.querySelector('#saved')?.textContent === name, { timeout: 5_000 }, tokenName);
    // Close asks "did you copy it?"; acknowledging removes the secret.
    await click('pat-token-manager >>> pat-reveal-dialog >>> [part="close"]');
    await click('pat-token-manager >>> pat-reveal-dialog >>> [part="acknowledge"]');
    await page.waitForFunction(() => !document.querySelector('pat-token-manager')?.shadowRoot?.querySelector('pat-reveal-dialog'), { timeout: 5_000 });
    const listed = await page.waitForFunction(
      (name) =>
        [...(document.querySelector('pat-token-manager')?.shadowRoot?.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [])].some((row) =>
          row.textContent?.includes(name),
        ),
      { timeout: 10_000 },
      tokenName,
    );
    assert.ok(await listed.jsonValue(), 'the new token is listed');
    assert.equal(pageErrors.length, 0, pageErrors.join('\n'));

    // The docs' npm example, built by the host's Vite: signed in by the credential, it lists the token.
    const readmePage = await browser.newPage();
    readmePage.on('pageerror', (error) => pageErrors.push(`readme.html: ${String(error)}`));
    await readmePage.goto(`${site.origin}/readme.html`);
    await readmePage.waitForSelector('pat-token-manager >>> [part="create"]:not([disabled])', { timeout: 15_000 });
    await readmePage.waitForFunction(
      (name) =>
        [...(document.querySelector('pat-token-manager')?.shadowRoot?.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [])].some((row) =>
          row.textContent?.includes(name),
        ),
      { timeout: 10_000 },
      tokenName,
    );
    assert.equal(pageErrors.length, 0, pageErrors.join('\n'));

    // The docs' Languages examples on the same page: German (the snippet sets <html lang="de">),
    // and the host's own French locale on a lang="fr" page. Strings and dates in the same language.
    const listText = (p: typeof page, selector: string): Promise<string> =>
      p.$eval(`pat-token-manager >>> pat-token-list >>> ${selector}`, (el) => el.textContent?.trim() ?? '');
    for (const [file, create, refresh, count] of [
      ['readme-de.html', 'Token erstellen', 'Aktualisieren', /^\d+ Tokens?$/],
      ['readme-fr.html', 'Create token', 'Actualiser', /^\d+ jetons?$/],
    ] as const) {
      const p = await browser.newPage();
      p.on('pageerror', (error) => pageErrors.push(`${file}: ${String(error)}`));
      await p.goto(`${site.origin}/${file}`);
      await p.waitForFunction(
        (name) =>
          [...(document.querySelector('pat-token-manager')?.shadowRoot?.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [])].some((row) =>
            row.textContent?.includes(name),
          ),
        { timeout: 10_000 },
        tokenName,
      );
      assert.equal(await p.$eval('pat-token-manager >>> [part="create"]', (el) => el.textContent?.trim()), create, `${file}: the Create button`);
      assert.equal(await listText(p, '[part="refresh"]'), refresh, `${file}: the list's Refresh`);
      assert.match(await listText(p, '.count'), count, `${file}: the plural-aware count`);
      // The new token's row: created today, dated in the page's language (as Intl formats it there).
      const row = await p.evaluate(
        (name) =>
          [...(document.querySelector('pat-token-manager')?.shadowRoot?.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [])]
            .map((r) => r.textContent ?? '')
            .find((t) => t.includes(name)) ?? '',
        tokenName,
      );
      const today = await p.evaluate(() => new Intl.DateTimeFormat(document.documentElement.lang, { year: 'numeric', month: 'short', day: 'numeric' }).format(Date.now()));
      assert.ok(row.includes(today), `${file}: the row shows today as ${today}: ${row}`);
      if (file === 'readme-de.html') assert.ok(row.includes('Nicht verwendet') && !row.includes('Not used'), `${file}: German beside the German date: ${row}`);
      await p.close();
    }
    assert.equal(pageErrors.length, 0, pageErrors.join('\n'));
  } finally {
    await browser.close();
    await patkit?.stop();
    site.server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
