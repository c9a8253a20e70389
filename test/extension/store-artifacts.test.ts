/**
 * The store artifacts: `npm run zip` builds the Chrome and Firefox zips and the sources zip AMO
 * asks for, each with what its store needs. Runs the real WXT zip (a few seconds).
 * Run: `npm run test:ext-unit`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { PANEL_SCRIPT } from '../../entrypoints/background/handlers/panels.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function entries(zip: string): string[] {
  const listed = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  return listed.stdout.split('\n').filter(Boolean);
}

function member(zip: string, name: string): string {
  const out = spawnSync('unzip', ['-p', zip, name], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout;
}

test('npm run zip: Chrome zip, Firefox zip and sources zip, translated manifests, no test page, no secrets', () => {
  const run = spawnSync('npm', ['run', '--silent', 'zip'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const chrome = join(ROOT, `.output/patkit-${version}-chrome.zip`);
  const firefox = join(ROOT, `.output/patkit-${version}-firefox.zip`);
  const sources = join(ROOT, `.output/patkit-${version}-sources.zip`);
  for (const zip of [chrome, firefox]) {
    const names = entries(zip);
    for (const needed of ['manifest.json', 'popup.html', 'options.html', 'role-panel.html', PANEL_SCRIPT, '_locales/en/messages.json', '_locales/de/messages.json']) {
      assert.ok(names.includes(needed), `${zip} has ${needed}`);
    }
    assert.ok(!names.includes('bench-baseline.html'), 'the benchmark page is not shipped');
    const manifest = JSON.parse(member(zip, 'manifest.json'));
    assert.equal(manifest.name, '__MSG_extName__');
    assert.equal(manifest.default_locale, 'en');
    assert.equal(manifest.action.default_title, '__MSG_actionTitle__', 'the toolbar title survives the build');
    assert.equal(manifest.host_permissions, undefined);
  }
  assert.equal(JSON.parse(member(firefox, 'manifest.json')).browser_specific_settings.gecko.id, 'patkit@patkit.dev');
  const source = entries(sources);
  for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'entrypoints/popup/app.ts', 'public/_locales/en/messages.json']) {
    assert.ok(source.includes(needed), `sources have ${needed}`);
  }
  assert.ok(!source.some((n) => n.startsWith('node_modules/') || n.startsWith('.output/') || /\.(db|sqlite)$/.test(n)), 'no dependencies, builds or databases in the sources');
});
