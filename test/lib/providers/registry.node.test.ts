/**
 * The provider registry: every kind is listed from static descriptors (the options page's picker)
 * without loading a provider's code, the descriptors match what each provider reports, and
 * `createProvider` loads a provider's module only when a server of that kind is created.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROVIDERS, createProvider, isProviderKind, providerKinds } from '../../../lib/providers/registry.ts';
import { rejectsWith } from '../support/provider-error-assertions.ts';

describe('provider registry', () => {
  test('every kind has a descriptor with a sentence on what it needs, equal to the provider\u2019s own', async () => {
    const kinds = providerKinds().map((d) => d.kind);
    assert.deepEqual(kinds, Object.keys(PROVIDERS));
    for (const d of providerKinds()) {
      assert.ok(d.help.length > 30, `${d.kind} help`);
      assert.ok(d.signIn.length > 0, `${d.kind} sign-in`);
      const provider = await createProvider(d.kind, { baseUrl: 'https://server.example.test' });
      assert.deepEqual(provider.descriptor, d, `${d.kind}: the registry's descriptor is the provider's`);
      assert.ok(isProviderKind(d.kind));
    }
    assert.equal(isProviderKind('toString'), false);
    await rejectsWith(createProvider('toString', { baseUrl: 'https://x.example.test' }), 'validation_failed', /does not know/);
  });

  test('listing the kinds loads no provider module; creating one loads only its own', async () => {
    // A fresh registry module graph in a child process: which provider files got evaluated?
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
        const seen = [];
        const { registerHooks } = await import('node:module');
        registerHooks({ load(url, context, next) { if (url.includes('/lib/providers/')) seen.push(url.split('/lib/providers/')[1]); return next(url, context); } });
        const registry = await import('./lib/providers/registry.ts');
        registry.providerKinds();
        const listed = [...seen];
        await registry.createProvider('gitea', { baseUrl: 'https://git.example.test' });
        console.log(JSON.stringify({ listed, created: seen.filter((f) => !listed.includes(f)) }));
        `,
      ],
      { cwd: new URL('../../../', import.meta.url).pathname, encoding: 'utf8' },
    );
    const { listed, created } = JSON.parse(out.trim().split('\n').at(-1)!) as { listed: string[]; created: string[] };
    const kinds = ['gitea', 'gitlab', 'mattermost', 'npm-registry', 'reference-server'];
    assert.deepEqual(listed.sort(), [...kinds.map((k) => `${k}/descriptor.ts`), 'registry.ts']);
    assert.ok(created.includes('gitea/provider.ts'), `gitea loaded: ${created.join(', ')}`);
    for (const other of kinds.filter((k) => k !== 'gitea')) {
      assert.ok(!created.some((f) => f.startsWith(`${other}/`)), `nothing of ${other} loaded: ${created.join(', ')}`);
    }
  });
});
