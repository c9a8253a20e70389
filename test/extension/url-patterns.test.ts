/** Server addresses, host permissions and console patterns. Run: `npm run test:ext-unit`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkBaseUrl, checkMatchPattern, originPermission } from '../../extension/url-patterns.ts';

describe('base URLs', () => {
  test('https anywhere, http only on loopback; normalised without a trailing slash', () => {
    assert.equal(checkBaseUrl('https://tokens.example.com/'), 'https://tokens.example.com');
    assert.equal(checkBaseUrl('https://example.com/patkit/'), 'https://example.com/patkit');
    assert.equal(checkBaseUrl('http://127.0.0.1:8787'), 'http://127.0.0.1:8787');
    assert.equal(checkBaseUrl('http://localhost:3000/'), 'http://localhost:3000');
    assert.equal(checkBaseUrl('http://[::1]:8787'), 'http://[::1]:8787');
    for (const bad of ['http://tokens.example.com', 'http://127.0.0.2', 'ftp://example.com', 'javascript:alert(1)', 'example.com', 'https://a:b@example.com', 'https://example.com/?token=x', 'https://example.com/#x', '']) {
      assert.throws(() => checkBaseUrl(bad), (e: Error & { code?: string }) => e.code === 'validation_failed', bad);
    }
  });

  test('console patterns name one host', () => {
    assert.equal(checkMatchPattern('https://console.example.com/admin/*'), 'https://console.example.com/admin/*');
    assert.equal(checkMatchPattern('https://*.example.com/*'), 'https://*.example.com/*');
    for (const bad of ['<all_urls>', 'https://*/*', '*://example.com/*', 'file:///etc/*', 'https://example.com']) {
      assert.throws(() => checkMatchPattern(bad), /must look like/, bad);
    }
  });

  test('the permission asked for names scheme and host, never a port (Firefox refuses a pattern with one)', () => {
    assert.equal(originPermission('http://127.0.0.1:8811'), 'http://127.0.0.1/*');
    assert.equal(originPermission('http://localhost:8787/patkit'), 'http://localhost/*');
    assert.equal(originPermission('https://mattermost.example.com:8065'), 'https://mattermost.example.com/*');
    assert.equal(originPermission('https://tokens.example.com'), 'https://tokens.example.com/*');
    assert.equal(originPermission('http://[::1]:8787'), 'http://[::1]/*');
    assert.equal(originPermission('https://console.example.com:8443/admin/*'), 'https://console.example.com/*');
    assert.equal(originPermission('https://*.example.com/*'), 'https://*.example.com/*');
    assert.throws(() => originPermission('ftp://example.com'), /http/);
  });
});
