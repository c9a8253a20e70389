/**
 * The built manifests: what the production builds ask for (no host permission, no content script
 * in the manifest, no test page shipped) and the one line the e2e build adds. Builds all three.
 * Run: `npm run test:e2e`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { buildExtension, E2E_BUILD, PROD_BUILD } from './harness.ts';

before(() => {
  buildExtension('production');
  buildExtension('firefox');
  buildExtension('e2e');
});

test('the production manifest asks for no host permission and no loopback allowance (docs/security.md rules 17, 18)', () => {
  const manifest = JSON.parse(readFileSync(`${PROD_BUILD}/manifest.json`, 'utf8'));
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.host_permissions, undefined);
  assert.ok(!JSON.stringify(manifest.permissions).includes('<all_urls>'));
  assert.equal(manifest.content_security_policy, undefined, 'default CSP');
  assert.deepEqual(manifest.externally_connectable, { ids: [], matches: [] });
  assert.ok(manifest.optional_host_permissions.includes('https://*/*'));
  assert.equal(manifest.content_scripts, undefined, 'content scripts are registered at run time only');
  assert.equal(existsSync(`${PROD_BUILD}/bench-baseline.html`), false, 'the benchmark page is not shipped');
  const firefox = JSON.parse(readFileSync(`${PROD_BUILD}/../firefox-mv3/manifest.json`, 'utf8'));
  assert.equal(firefox.manifest_version, 3, 'Firefox gets Manifest V3 too');
  assert.equal(firefox.browser_specific_settings.gecko.id, 'patkit@patkit.dev');
  assert.equal(firefox.host_permissions, undefined);
  assert.ok(firefox.optional_host_permissions.includes('http://127.0.0.1/*'), 'loopback servers (any port) can be granted in Firefox');
  const e2e = JSON.parse(readFileSync(`${E2E_BUILD}/manifest.json`, 'utf8'));
  assert.deepEqual(e2e.host_permissions, ['http://127.0.0.1/*', 'http://localhost/*', 'https://api.github.com/*'], 'only the test build declares loopback (and GitHub, whose prompt a headless browser cannot answer)');
  for (const m of [manifest, firefox]) assert.ok(m.optional_host_permissions.includes('https://api.github.com/*'), 'GitHub is an optional permission, asked for at the moment of a report');
});
