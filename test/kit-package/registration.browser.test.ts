/**
 * What each entry of the built package registers (dist/kit/esm, from `npm run build:kit`, which
 * `npm test` runs before the browser suite): every `.component` entry defines no tag at all, and
 * every plain component entry defines exactly the tags the package README says (REGISTERS in
 * kit-package/components.ts), each page starting with nothing defined. Each import runs in its own
 * iframe, so one entry's registrations cannot hide another's.
 */
import { expect } from '@open-wc/testing';
import { BUNDLE_LAZY, COMPONENTS, REGISTERS } from '../../kit-package/components.ts';
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

  it('the bundle defines the list, the manager and the confirmation up front, and each lazy tag from its chunk on first use', async () => {
    const lazy = BUNDLE_LAZY.map((c) => `pat-${c}`);
    const script = `
      const kit = await import('/dist/kit/patkit-kit.js');
      const lazy = ${JSON.stringify(lazy)};
      const before = lazy.filter((t) => customElements.get(t));
      const chunks = () => performance.getEntriesByType('resource').filter((e) => /\\/chunks\\/patkit-kit-/.test(e.name)).length;
      const fetchedUpFront = chunks();
      const classes = [];
      for (const tag of lazy) classes.push((await kit.loadElement(tag)) === customElements.get(tag));
      await kit.loadTokenDetails();
      let refused = '';
      await kit.loadElement('pat-nothing').catch((e) => (refused = String(e)));
      window.extra = { before, fetchedUpFront, lazyTags: [...kit.LAZY_TAGS].sort(), classes, fetched: chunks() > 0, refused };`;
    const { defined, extra } = await run(['/dist/kit/patkit-kit.js'], script);
    expect(defined).to.deep.equal([...ALL_TAGS].sort());
    expect(extra).to.deep.equal({
      before: [],
      fetchedUpFront: 0,
      lazyTags: [...lazy].sort(),
      classes: lazy.map(() => true),
      fetched: true,
      refused: 'Error: patkit: no such tag: pat-nothing',
    });
  });

  it('the bundle defines a lazy tag the page holds (or adds later) without being asked', async () => {
    const script = `
      const kit = await import('/dist/kit/patkit-kit.js');
      await kit.definePageTags();
      const atLoad = !!customElements.get('pat-role-manager');
      document.body.append(document.createElement('pat-create-wizard'));
      await customElements.whenDefined('pat-create-wizard');
      window.extra = { atLoad, upgraded: document.querySelector('pat-create-wizard') instanceof customElements.get('pat-create-wizard') };`;
    const page = ['/dist/kit/esm/events.js'];
    // The role manager is in the page before the bundle runs (events.js is a harmless first import).
    const { extra } = await run(page, `document.body.append(document.createElement('pat-role-manager'));\n${script}`);
    expect(extra).to.deep.equal({ atLoad: true, upgraded: true });
  });

  it('patkit/token-manager: the first Create fetches the wizard (the button busy meanwhile), defines it, then opens it', async () => {
    // MemoryProvider is the in-memory TEST DOUBLE of a token server (test/support/memory-provider.ts).
    const script = `
      const { MemoryProvider } = await import('/test/support/memory-provider.ts');
      const before = ['pat-create-wizard', 'pat-reveal-dialog'].filter((t) => customElements.get(t));
      const el = document.createElement('pat-token-manager');
      el.provider = new MemoryProvider();
      document.body.append(el);
      const until = async (f) => { for (let i = 0; i < 400 && !f(); i++) await new Promise((r) => setTimeout(r, 10)); return f(); };
      const button = () => el.shadowRoot.querySelector('[part="create"]');
      await until(() => button() && !button().disabled);
      button().click();
      await el.updateComplete;
      const busy = button().getAttribute('aria-busy');
      const dialog = el.shadowRoot.querySelector('[part="wizard-dialog"]');
      await until(() => dialog.open);
      const wizard = el.shadowRoot.querySelector('pat-create-wizard');
      await wizard.updateComplete;
      window.extra = { before, busy, open: dialog.open, upgraded: wizard instanceof customElements.get('pat-create-wizard'), field: !!wizard.shadowRoot.querySelector('input[name="name"]'), after: button().getAttribute('aria-busy') };`;
    const { defined, extra } = await run(['/dist/kit/esm/token-manager.js'], script);
    expect(extra).to.deep.equal({ before: [], busy: 'true', open: true, upgraded: true, field: true, after: 'false' });
    expect(defined).to.deep.equal(['pat-confirm-dialog', 'pat-create-wizard', 'pat-reveal-dialog', 'pat-token-list', 'pat-token-manager']);
  });

  it('patkit/token-manager: a pointer on Create already fetches the wizard\'s chunk (defined only when opened)', async () => {
    // MemoryProvider is the in-memory TEST DOUBLE of a token server (test/support/memory-provider.ts).
    const script = `
      const { MemoryProvider } = await import('/test/support/memory-provider.ts');
      const el = document.createElement('pat-token-manager');
      el.provider = new MemoryProvider();
      document.body.append(el);
      const until = async (f) => { for (let i = 0; i < 400 && !f(); i++) await new Promise((r) => setTimeout(r, 10)); return f(); };
      const button = () => el.shadowRoot.querySelector('[part="create"]');
      await until(() => button() && !button().disabled);
      const fetched = () => performance.getEntriesByType('resource').some((e) => /\\/chunks\\/create-wizard\\.component-/.test(e.name));
      const before = fetched();
      button().dispatchEvent(new PointerEvent('pointerenter'));
      window.extra = { before, after: await until(fetched), defined: !!customElements.get('pat-create-wizard') };`;
    const { extra } = await run(['/dist/kit/esm/token-manager.js'], script);
    expect(extra).to.deep.equal({ before: false, after: true, defined: false });
  });

  it('patkit/token-list: the first regenerate defines the reveal dialog before the server is asked, and shows the new value there', async () => {
    // MemoryProvider is the in-memory TEST DOUBLE of a token server (test/support/memory-provider.ts).
    const script = `
      const { MemoryProvider, makeToken } = await import('/test/support/memory-provider.ts');
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'first' })] });
      const regenerate = provider.regenerateToken.bind(provider);
      let definedWhenAsked = null;
      provider.regenerateToken = (...args) => { definedWhenAsked = !!customElements.get('pat-reveal-dialog'); return regenerate(...args); };
      const before = !!customElements.get('pat-reveal-dialog');
      const list = document.createElement('pat-token-list');
      list.provider = provider;
      document.body.append(list);
      const until = async (f) => { for (let i = 0; i < 400 && !f(); i++) await new Promise((r) => setTimeout(r, 10)); return f(); };
      await until(() => list.shadowRoot.querySelector('.menu-trigger'));
      list.shadowRoot.querySelector('.menu-trigger').click();
      await until(() => list.shadowRoot.querySelector('[data-action="regenerate"]'));
      list.shadowRoot.querySelector('[data-action="regenerate"]').click();
      const confirm = list.shadowRoot.querySelector('pat-confirm-dialog');
      await until(() => confirm.shadowRoot.querySelector('dialog')?.open);
      confirm.shadowRoot.querySelector('[part="confirm"]').click();
      await until(() => list.shadowRoot.querySelector('pat-reveal-dialog')?.shadowRoot?.querySelector('[part~="secret"]'));
      const reveal = list.shadowRoot.querySelector('pat-reveal-dialog');
      window.extra = { before, definedWhenAsked, shown: reveal.shadowRoot.querySelector('[part~="secret"]').textContent === provider.lastSecret };`;
    const { defined, extra } = await run(['/dist/kit/esm/token-list.js'], script);
    expect(extra).to.deep.equal({ before: false, definedWhenAsked: true, shown: true });
    expect(defined).to.deep.equal(['pat-confirm-dialog', 'pat-reveal-dialog', 'pat-token-list']);
  });

  it('the docs say .component and events entries register nothing', async () => {
    const docs = await (await fetch(DOCS_PAGE)).text();
    expect(docs).to.include('| `patkit/<name>.component` (all nine) | nothing: the class only |');
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
    expect(await run(['/dist/kit/esm/events.js'], script)).to.deep.equal({ defined: ['pat-confirm-dialog', 'pat-token-list'], extra: true });
  });
});
