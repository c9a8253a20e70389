/**
 * The host project of the consumer test (test/kit-package/consumer.node.test.ts): its files, written
 * into a fresh folder and installed against the packed package.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The kit's examples in docs/guides/languages.md ("The kit"), as written: [German, adding a locale]. */
export function docsLanguageExamples(): [string, string] {
  const page = readFileSync(join(ROOT, 'docs', 'guides', 'languages.md'), 'utf8');
  const start = page.indexOf('## The kit');
  assert.ok(start >= 0, 'languages.md: a section on the kit');
  const section = page.slice(start, page.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/```js test\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.equal(blocks.length, 2, 'languages.md: the German import and a host adding a locale');
  return [blocks[0]!, blocks[1]!];
}

/** The bearer-mode example of docs/getting-started/host-app-kit.md ("With a bundler"), as written (strict TypeScript). */
export function docsNpmExample(): string {
  const page = readFileSync(join(ROOT, 'docs', 'getting-started', 'host-app-kit.md'), 'utf8');
  const start = page.indexOf('### With a bundler');
  assert.ok(start >= 0, 'host-app-kit.md: a section "With a bundler"');
  const block = /```ts test\n([\s\S]*?)```/.exec(page.slice(start))?.[1];
  assert.ok(block, 'host-app-kit.md: a ts example in "With a bundler"');
  return block;
}

/** The typed (```ts, ```tsx) examples of the package's own README (kit-package/README.md), as written. */
export function kitReadmeTypedExamples(): Record<string, string> {
  const readme = readFileSync(join(ROOT, 'kit-package', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```(tsx?)\n([\s\S]*?)```/g)];
  assert.ok(blocks.length >= 3, 'kit-package/README.md: the bearer, React and types examples');
  return Object.fromEntries(blocks.map((m, i) => [`src/kit-readme-${i + 1}.${m[1]}`, m[2]!]));
}

export const HOST_FILES: Record<string, string> = {
  // (a)+(b) the package README's typed examples, word for word, under strict tsc.
  ...kitReadmeTypedExamples(),
  // (a) the docs' "a host adds a locale" example, as written (JavaScript, checked by tsc: checkJs).
  'src/readme-locale.js': docsLanguageExamples()[1],
  // (a) the docs' bearer-mode npm example, as written, under strict tsc (test (c) then runs it).
  'src/readme-npm.ts': docsNpmExample(),
  // (a) plain TypeScript: the typings a host relies on.
  'src/typed.ts': `import 'patkit/token-manager';
import 'patkit/token-list';
import { createPatkitProvider } from 'patkit/provider';
import type { PatTokenSavedEvent } from 'patkit/events';
import type { PatTokenManager, TokenMeta } from 'patkit';

export function wire(baseUrl: string): PatTokenManager {
  const manager = document.createElement('pat-token-manager');
  const typed: PatTokenManager = manager;
  typed.provider = createPatkitProvider({ baseUrl, sessionMode: 'bearer' });
  manager.heading = 'My tokens';
  manager.addEventListener('pat-token-saved', (e) => {
    const id: string = e.detail.token.id;
    const mode: 'create' | 'edit' | 'regenerate' | 'clone' = e.detail.mode;
    console.log(id, mode);
  });
  const list = document.querySelector('pat-token-list');
  if (list) list.tokens = [] as TokenMeta[];
  document.addEventListener('pat-request-action', (e) => {
    if (e.detail.action === 'delete' && e.detail.ids.length > 20) e.preventDefault();
  });
  const onSaved = (e: PatTokenSavedEvent): string => e.detail.token.name;
  void onSaved;
  return manager;
}
`,
  // (a) a host's own read-only provider, from the types and base the package exports.
  'src/own-provider.ts': `import 'patkit/token-list';
import { ProviderError, defineProvider, requireOperation, type Page, type TokenMeta, type TokenProvider, type User } from 'patkit/provider-api';
import { createReferenceServerProvider } from 'patkit/provider';

export function ownProvider(me: User, tokens: TokenMeta[]): TokenProvider {
  return defineProvider({
    descriptor: { kind: 'acme', label: 'Acme', signIn: ['token'], help: 'Acme tokens, read-only.' },
    capabilities: { names: true, create: { allowed: false, reason: 'Create tokens in the Acme console.' } },
    currentUser: () => Promise.resolve(me),
    listTokens: (): Promise<Page<TokenMeta>> => Promise.resolve({ items: tokens, next_cursor: null }),
    getToken: (id: string) => {
      const token = tokens.find((t) => t.id === id);
      return token ? Promise.resolve(token) : Promise.reject(new ProviderError('not_found', 'No such token.'));
    },
  });
}

export function show(me: User, tokens: TokenMeta[]): void {
  const list = document.querySelector('pat-token-list');
  if (list) list.provider = ownProvider(me, tokens);
  const reference: TokenProvider = createReferenceServerProvider({ baseUrl: 'https://tokens.example.com' });
  void requireOperation(reference, 'deleteToken');
}
`,
  // (b) React 19: the tags in JSX, properties and typed event props.
  'src/patkit.d.ts': `import type {} from 'patkit/react';\n`,
  'src/main.tsx': `import 'patkit/token-manager';
import { createPatkitProvider } from 'patkit/provider';
import type { PatTokenManager, TokenProvider } from 'patkit';
import { useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { wire } from './typed.ts';

const params = new URLSearchParams(location.search);

/** Test host only: signs in with a password from the URL; a real host has its own session. */
async function connect(): Promise<TokenProvider> {
  const provider = createPatkitProvider({ baseUrl: params.get('server') ?? '', sessionMode: 'bearer' });
  await provider.signIn({ kind: 'password', username: 'admin', password: params.get('password') ?? '' });
  await provider.refreshCapabilities();
  return provider;
}

function App() {
  const [provider, setProvider] = useState<TokenProvider | null>(null);
  const [saved, setSaved] = useState('');
  // React 19 refs are typed with the tag's class.
  const manager = useRef<PatTokenManager>(null);
  useEffect(() => {
    connect().then(setProvider, (error: unknown) => setSaved(\`connect failed: \${String(error)}\`));
  }, []);
  return (
    <main>
      <pat-token-manager
        ref={manager}
        heading="My tokens"
        provider={provider}
        onpat-token-saved={(e) => setSaved(e.detail.token.name)}
        aria-label="Personal access tokens"
        onClick={(e) => void e.currentTarget}
      />
      <output id="saved">{saved}</output>
    </main>
  );
}

/** Type-checked, not rendered: a callback ref receives the tag's class. */
export const listWithRef = <pat-token-list ref={(list) => void list?.clearSelection()} />;

void wire;
createRoot(document.getElementById('root')!).render(<App />);
`,
  // Deliberate misuses: each marked line must be a type error, and nothing else may be.
  'misuse/misuse.ts': `import 'patkit/token-manager';
import 'patkit/token-list';

const manager = document.createElement('pat-token-manager');
manager.provider = 42; // MUST-FAIL TS2322
manager.addEventListener('pat-token-saved', (e) => {
  console.log(e.detail.token.secret); // MUST-FAIL TS2339
});
document.createElement('pat-token-list').tokens = ['tok_1']; // MUST-FAIL TS2322
`,
  'misuse/misuse-react.tsx': `import type {} from 'patkit/react';

export const a = <pat-token-manager provider={42} />; // MUST-FAIL TS2322
export const b = <pat-token-list onpat-selection-change={(e) => e.detail.nope} />; // MUST-FAIL TS2339
export const c = <pat-token-list owner={7} />; // MUST-FAIL TS2322
export const d = <pat-token-list notAProperty="x" />; // MUST-FAIL TS2322
export const e = <pat-token-list ref={(el: HTMLInputElement | null) => void el} />; // MUST-FAIL TS2322
export const f = <pat-token-manager ref={(el) => void el?.notAMethod()} />; // MUST-FAIL TS2339
`,
  // Only the manager's entry: the tags it defines at run time are typed too (HTMLElementTagNameMap).
  'manager-only/main.ts': `import 'patkit/token-manager';

export function inner(): string[] {
  const list = document.createElement('pat-token-list');
  list.tokens = [];
  const wizard = document.querySelector('pat-create-wizard');
  wizard?.startCreate();
  const reveal = document.createElement('pat-reveal-dialog');
  return [list.owner, String(reveal.isOpen), document.createElement('pat-confirm-dialog').tagName, document.createElement('pat-scoped-token-form').tagName];
}
`,
  'index.html': `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>patkit host</title></head>
  <body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>
</html>
`,
  // The React host, and pages written by the test with the docs' examples: readme.html (the npm
  // example), readme-de.html (German added to it), readme-fr.html (a host's own locale added to it).
  'vite.config.js': `export default {
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { target: 'es2022', rolldownOptions: { input: { main: 'index.html', readme: 'readme.html', de: 'readme-de.html', fr: 'readme-fr.html' } } },
};
`,
};
