/**
 * docs/security.md rules 21 and 24 as a test over every source file of the kit and the console
 * (components/**, console/**, fetched from the test server): no `unsafeHTML`, `unsafeStatic`, `innerHTML`/`outerHTML`/`insertAdjacentHTML`,
 * `document.write` or extension APIs. Hostile data at runtime is covered by the component tests.
 */
import { expect } from '@open-wc/testing';
import { describe, it } from '../support/mocha.ts';

/**
 * Every file under components/ and console/, listed by the test runner (web-test-runner.config.js),
 * so a new file is scanned without anyone adding it here.
 */
async function kitAndConsoleSources(): Promise<string[]> {
  const res = await fetch('/__patkit/sources.json');
  expect(res.ok, 'the runner lists the sources at /__patkit/sources.json').to.equal(true);
  return (await res.json()) as string[];
}

const FORBIDDEN = [/unsafeHTML/, /unsafeStatic/, /\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\bchrome\.\w/, /\bbrowser\.runtime/];

describe('kit sources (docs/security.md rule 21, 24)', () => {
  it('never turn data into HTML and use no extension API', async () => {
    const sources = await kitAndConsoleSources();
    // The walk finds the files a hand-kept list named, in both folders and at every depth.
    for (const known of ['components/index.ts', 'components/token-list/token-list.component.ts', 'components/shared/events.ts', 'console/main.ts']) {
      expect(sources, `the source listing has ${known}`).to.include(known);
    }
    expect(sources.filter((p) => p.endsWith('.ts')).length, 'TypeScript sources scanned').to.be.greaterThan(50);
    for (const path of sources) {
      const res = await fetch(`/${path}`);
      expect(res.ok, path).to.equal(true);
      const code = await res.text();
      for (const pattern of FORBIDDEN) expect(pattern.test(code), `${path} matches ${pattern}`).to.equal(false);
    }
  });

  it('binds links only through the http(s) filter', async () => {
    // Every file that binds a Lit `href`/`src` from data also passes it through safeHttpUrl.
    const binders: string[] = [];
    for (const path of await kitAndConsoleSources()) {
      if (!path.endsWith('.ts')) continue;
      const code = await (await fetch(`/${path}`)).text();
      if (!/\b(href|src)=\$\{/.test(code)) continue;
      binders.push(path);
      expect(code, `${path} binds a URL`).to.contain('safeHttpUrl(');
    }
    expect(binders, 'the scope documentation link is one such binding').to.include('components/create-wizard/access-step.ts');
    const { safeHttpUrl } = await import('../../components/shared/format.ts');
    expect(safeHttpUrl('javascript:alert(1)')).to.equal(undefined);
    expect(safeHttpUrl('data:text/html,<b>x</b>')).to.equal(undefined);
    expect(safeHttpUrl(' https://docs.example.com/x')).to.equal('https://docs.example.com/x');
    expect(safeHttpUrl('//evil.example.com')).to.equal(undefined);
  });
});
