/**
 * docs/security.md rules 21 and 24 as a test over the kit's and the console's own sources (fetched from the
 * test server): no `unsafeHTML`, `unsafeStatic`, `innerHTML`/`outerHTML`/`insertAdjacentHTML`,
 * `document.write` or extension APIs. Hostile data at runtime is covered by the component tests.
 */
import { expect } from '@open-wc/testing';
import { describe, it } from '../support/mocha.ts';

const SOURCES = [
  'components/index.ts',
  'components/shared/events.ts',
  'components/shared/format.ts',
  'components/shared/strings.ts',
  'components/shared/focus.ts',
  'components/shared/capabilities.ts',
  'components/shared/base.styles.ts',
  ...['token-list', 'create-wizard', 'reveal-dialog', 'role-manager', 'token-manager', 'confirm-dialog'].flatMap((c) => [
    `components/${c}/${c}.ts`,
    `components/${c}/${c}.component.ts`,
    `components/${c}/${c}.styles.ts`,
  ]),
  'console/app.ts',
  'console/main.ts',
];

const FORBIDDEN = [/unsafeHTML/, /unsafeStatic/, /\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\bchrome\.\w/, /\bbrowser\.runtime/];

describe('kit sources (docs/security.md rule 21, 24)', () => {
  it('never turn data into HTML and use no extension API', async () => {
    for (const path of SOURCES) {
      const res = await fetch(`/${path}`);
      expect(res.ok, path).to.equal(true);
      const code = await res.text();
      for (const pattern of FORBIDDEN) expect(pattern.test(code), `${path} matches ${pattern}`).to.equal(false);
    }
  });

  it('binds links only through the http(s) filter', async () => {
    const code = await (await fetch('/components/create-wizard/create-wizard.component.ts')).text();
    const { safeHttpUrl } = await import('../../components/shared/format.ts');
    expect(code).to.contain('safeHttpUrl');
    expect(safeHttpUrl('javascript:alert(1)')).to.equal(undefined);
    expect(safeHttpUrl('data:text/html,<b>x</b>')).to.equal(undefined);
    expect(safeHttpUrl(' https://docs.example.com/x')).to.equal('https://docs.example.com/x');
    expect(safeHttpUrl('//evil.example.com')).to.equal(undefined);
  });
});
