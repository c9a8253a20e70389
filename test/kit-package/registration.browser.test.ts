/**
 * What each entry of the built package registers (dist/kit/esm, from `npm run build:kit`, which
 * `npm test` runs before the browser suite): every `.component` entry defines no tag at all, and
 * every plain component entry defines exactly the tags the package README says (REGISTERS in
 * kit-package/components.ts), each page starting with nothing defined. Each import runs in its own
 * iframe, so one entry's registrations cannot hide another's.
 */
import { expect } from '@open-wc/testing';
import { COMPONENTS, REGISTERS } from '../../kit-package/components.ts';
import { describe, it } from '../support/mocha.ts';

const ALL_TAGS = COMPONENTS.map((c) => `pat-${c}`);
/** The host-app guide's "What each entry registers" table. */
const DOCS_PAGE = '/docs/getting-started/host-app-kit.md';

/** Imports `modules` in a fresh iframe and returns which pat-* tags are defined there afterwards. */
async function definedAfter(modules: string[], script = ''): Promise<string[]> {
  return (await run(modules, script)).defined;
}

/** Imports `modules`, runs `script` (module code; may set `window.extra`), reports defined tags and `extra`. */
async function run(modules: string[], script = ''): Promise<{ defined: string[]; extra: unknown }> {
  const res = await fetch(modules[0]!, { method: 'HEAD' });
  if (!res.ok) throw new Error(`${modules[0]} is missing: run \`npm run build:kit\` first (npm test does)`);
  const iframe = document.createElement('iframe');
  const imports = modules.map((m) => `import ${JSON.stringify(m)};`).join('\n');
  iframe.srcdoc = `<!doctype html><script type="module">${imports}\n${script}\nwindow.parent.postMessage({ defined: ${JSON.stringify(ALL_TAGS)}.filter((t) => customElements.get(t)), extra: window.extra ?? null }, '*');</script>`;
  const answer = new Promise<{ defined: string[]; extra: unknown }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer after importing ${modules.join(', ')}`)), 10_000);
    window.addEventListener('message', function onMessage(event: MessageEvent) {
      if (event.source !== iframe.contentWindow) return;
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      resolve(event.data as { defined: string[]; extra: unknown });
    });
  });
  document.body.append(iframe);
  try {
    const { defined, extra } = await answer;
    return { defined: defined.sort(), extra };
  } finally {
    iframe.remove();
  }
}

describe('package entries: what they register', () => {
  for (const name of COMPONENTS) {
    it(`patkit/${name}.component registers nothing`, async () => {
      expect(await definedAfter([`/dist/kit/esm/${name}.component.js`])).to.deep.equal([]);
    });
  }

  it('patkit/events registers nothing', async () => {
    expect(await definedAfter(['/dist/kit/esm/events.js'])).to.deep.equal([]);
  });

  for (const name of COMPONENTS) {
    it(`patkit/${name} registers what the package README and the docs say`, async () => {
      const defined = await definedAfter([`/dist/kit/esm/${name}.js`]);
      // The package README's table is generated from REGISTERS; the docs' table is written by hand.
      expect(defined).to.deep.equal(REGISTERS[name].map((t) => `pat-${t}`).sort());
      const docs = await (await fetch(DOCS_PAGE)).text();
      const row = docs.split('\n').find((line) => line.startsWith(`| \`patkit/${name}\` |`));
      expect(row, `${DOCS_PAGE} has a row for patkit/${name}`).to.be.a('string');
      expect([...row!.matchAll(/<(pat-[a-z-]+)>/g)].map((m) => m[1]).sort()).to.deep.equal(defined);
    });
  }

  it('the bundle defines every tag but <pat-token-details> up front, and fetches that one from its chunk on first use', async () => {
    const script = `
      const kit = await import('/dist/kit/patkit-kit.js');
      const before = !!customElements.get('pat-token-details');
      await kit.loadTokenDetails();
      window.extra = { before, chunk: performance.getEntriesByType('resource').some((e) => /\\/chunks\\/patkit-kit-token-details/.test(e.name)) };`;
    const { defined, extra } = await run(['/dist/kit/patkit-kit.js'], script);
    expect(defined).to.deep.equal([...ALL_TAGS].sort());
    expect(extra).to.deep.equal({ before: false, chunk: true });
  });

  it('the docs say .component and events entries register nothing', async () => {
    const docs = await (await fetch(DOCS_PAGE)).text();
    expect(docs).to.include('| `patkit/<name>.component` (all eight) | nothing: the class only |');
    expect(docs).to.include('| `patkit/events` | nothing:');
  });

  it('a host registers a .component class under its own name, and the plain entry then leaves that class alone', async () => {
    const script = `
      const { PatTokenList } = await import('/dist/kit/esm/token-list.component.js');
      customElements.define('acme-tokens', PatTokenList);
      window.extra = customElements.get('acme-tokens') === PatTokenList;`;
    // Custom elements allow one name per constructor, so a host that names a class itself does not
    // also import that class's plain entry; nothing else gets defined behind its back.
    expect(await run(['/dist/kit/esm/token-list.component.js'], script)).to.deep.equal({ defined: [], extra: true });
  });

  it('a plain entry does not redefine a tag the host already owns', async () => {
    const script = `
      class Mine extends HTMLElement {}
      customElements.define('pat-confirm-dialog', Mine);
      await import('/dist/kit/esm/token-list.js');
      window.extra = customElements.get('pat-confirm-dialog') === Mine;`;
    // The host's define runs before the list entry is imported (events.js is a harmless first import).
    expect(await run(['/dist/kit/esm/events.js'], script)).to.deep.equal({ defined: ['pat-confirm-dialog', 'pat-reveal-dialog', 'pat-token-list'], extra: true });
  });
});
