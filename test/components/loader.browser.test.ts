/**
 * The polyfill loader of the built kit (and the docs' example of it, run as written) (dist/kit/loader.js, from `npm run build:kit`, which
 * `npm test` runs before the browser suite): on a page without custom elements (as in a Chrome
 * content script's isolated world, where `customElements` is null) it adds the
 * @webcomponents/webcomponentsjs bundle first; on a modern page it does not.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { BUNDLE_LAZY } from '../../kit-package/components.ts';
import { describe, it } from '../support/mocha.ts';

async function built(): Promise<boolean> {
  const res = await fetch('/dist/kit/loader.js', { method: 'HEAD' });
  if (!res.ok) throw new Error('dist/kit is not built: run `npm run build:kit` first (npm test does)');
  return true;
}

const TOKEN = {
  id: 'tok_1',
  owner: { kind: 'user', id: 'u', username: 'u', display_name: 'U' },
  name: 'from the docs example',
  description: '',
  created_at: null,
  created_by: null,
  updated_at: null,
  expires_at: null,
  scopes: [],
  status: 'active',
  last_used_at: null,
  last_used_ip: null,
  last4: null,
};

const PAGE = '/docs/getting-started/host-app-kit.md';

/** The tags the bundle defines only on first use (kit-package/components.ts BUNDLE_LAZY). */
const LAZY = BUNDLE_LAZY.map((c) => `pat-${c}`);

/** The docs' loader snippet (section "Legacy pages with polyfills"), exactly as written. */
async function docsLoaderExample(): Promise<string> {
  const page = await (await fetch(PAGE)).text();
  const start = page.indexOf('### Legacy pages with polyfills');
  if (start < 0) throw new Error(`${PAGE}: no section "Legacy pages with polyfills"`);
  const block = /```html\n([\s\S]*?)```/.exec(page.slice(start))?.[1];
  if (!block) throw new Error(`${PAGE}: no html example in "Legacy pages with polyfills"`);
  return block;
}

function frame(withoutCustomElements: boolean): Promise<HTMLIFrameElement> {
  const iframe = document.createElement('iframe');
  const hide = withoutCustomElements
    ? `<script>Object.defineProperty(window, 'customElements', { value: null, configurable: true, writable: true });</script>`
    : '';
  const listen = `<script>window.readyFired = false; addEventListener('patkit-ready', () => { window.readyFired = true; });</script>`;
  iframe.srcdoc = `<!doctype html><html><head>${hide}${listen}<script src="/dist/kit/loader.js"></script></head><body></body></html>`;
  document.body.append(iframe);
  return new Promise((resolve) => iframe.addEventListener('load', () => resolve(iframe), { once: true }));
}

describe('dist/kit/loader.js', () => {
  it('the docs example works word for word on a page without custom elements (patkitReady)', async () => {
    await built();
    const example = await docsLoaderExample();
    // Only the loader's path (this server's) and the placeholder the docs leave to the reader change.
    const page = example
      .replace('src="/node_modules/patkit/loader.js"', 'src="/dist/kit/loader.js"')
      .replace('[/* TokenMeta objects from your backend */]', JSON.stringify([TOKEN]));
    expect(page).to.not.equal(example);
    expect(page).to.include('/dist/kit/loader.js').and.include(TOKEN.name);
    const iframe = document.createElement('iframe');
    iframe.srcdoc = `<!doctype html><html><head>
      <script>window.failures = []; addEventListener('error', (e) => failures.push(e.message)); addEventListener('unhandledrejection', (e) => failures.push(String(e.reason)));</script>
      <script>Object.defineProperty(window, 'customElements', { value: null, configurable: true, writable: true });</script>
      </head><body>${page}</body></html>`;
    document.body.append(iframe);
    await new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    const win = iframe.contentWindow as Window & typeof globalThis & { failures: string[]; patkitReady: Promise<void> };
    await win.patkitReady;
    const list = iframe.contentDocument!.querySelector('pat-token-list') as HTMLElement & { updateComplete: Promise<unknown> };
    await waitUntil(() => list.shadowRoot?.textContent?.includes(TOKEN.name), 'the token set in patkitReady.then is rendered', { timeout: 10000 });
    const scripts = [...iframe.contentDocument!.querySelectorAll('script[src]')].map((el) => el.getAttribute('src')!);
    expect(scripts.some((src) => src.endsWith('polyfills/webcomponents-bundle.js'))).to.equal(true);
    expect(win.failures).to.deep.equal([]);
    iframe.remove();
  });

  it('polyfills a page without custom elements, then the kit renders there', async () => {
    await built();
    const iframe = await frame(true);
    const win = iframe.contentWindow as Window & typeof globalThis;
    await waitUntil(() => win.customElements?.get('pat-token-list'), 'kit defined through the polyfill', { timeout: 10000 });
    const scripts = [...iframe.contentDocument!.querySelectorAll('script[src]')].map((s) => s.getAttribute('src'));
    expect(scripts.some((s) => s!.endsWith('polyfills/webcomponents-bundle.js'))).to.equal(true);
    const list = iframe.contentDocument!.createElement('pat-token-list') as HTMLElement & { tokens: unknown[]; updateComplete: Promise<unknown> };
    iframe.contentDocument!.body.append(list);
    list.tokens = [
      {
        id: 'tok_1',
        owner: { kind: 'user', id: 'u', username: 'u', display_name: 'U' },
        name: 'polyfilled',
        description: '',
        created_at: null,
        created_by: null,
        updated_at: null,
        expires_at: null,
        scopes: [],
        status: 'active',
        last_used_at: null,
        last_used_ip: null,
        last4: null,
      },
    ];
    await list.updateComplete;
    await waitUntil(() => list.shadowRoot?.textContent?.includes('polyfilled'), 'row rendered');
    iframe.remove();
  });

  it('patkitReady promises every up-front tag; patkitWhenDefined loads and defines any lazy one', async () => {
    await built();
    const iframe = await frame(false);
    const win = iframe.contentWindow as Window &
      typeof globalThis & { patkitReady: Promise<void>; patkitWhenDefined: (tag: string) => Promise<CustomElementConstructor> };
    await win.patkitReady;
    for (const tag of ['pat-token-list', 'pat-token-manager', 'pat-confirm-dialog']) {
      expect(win.customElements.get(tag), tag).to.not.equal(undefined);
    }
    // What patkitReady does not promise on a page that holds none of them: the lazy tags, each a chunk of its own.
    for (const tag of LAZY) expect(win.customElements.get(tag), tag).to.equal(undefined);
    for (const tag of LAZY) {
      const element = await win.patkitWhenDefined(tag);
      expect(win.customElements.get(tag), tag).to.equal(element);
    }
    expect(await win.patkitWhenDefined('pat-token-list')).to.equal(win.customElements.get('pat-token-list'));
    let refused: unknown = null;
    await win.patkitWhenDefined('pat-nothing').catch((error: unknown) => (refused = error));
    expect(String(refused)).to.contain('no such tag: pat-nothing');
    iframe.remove();
  });

  it('patkitReady also waits for the lazy tags the page holds: they work the first time they are reached', async () => {
    await built();
    const iframe = document.createElement('iframe');
    iframe.srcdoc = `<!doctype html><html><head><script src="/dist/kit/loader.js"></script></head><body>
      <pat-role-manager></pat-role-manager><pat-create-wizard></pat-create-wizard></body></html>`;
    document.body.append(iframe);
    await new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    const win = iframe.contentWindow as Window & typeof globalThis & { patkitReady: Promise<void> };
    await win.patkitReady;
    for (const tag of ['pat-role-manager', 'pat-create-wizard']) {
      const el = iframe.contentDocument!.querySelector(tag) as HTMLElement & { updateComplete: Promise<unknown> };
      expect(win.customElements.get(tag), tag).to.not.equal(undefined);
      expect(el instanceof win.customElements.get(tag)!, `${tag} upgraded`).to.equal(true);
      await el.updateComplete;
      expect(el.shadowRoot!.childElementCount, `${tag} rendered`).to.be.greaterThan(0);
    }
    // The wizard's own dependency came with its chunk.
    expect(win.customElements.get('pat-reveal-dialog')).to.not.equal(undefined);
    iframe.remove();
  });

  it('adds no polyfill where the browser has custom elements and shadow DOM; patkitReady and patkit-ready', async () => {
    await built();
    const iframe = await frame(false);
    const win = iframe.contentWindow as Window & typeof globalThis & { patkitReady: Promise<void>; readyFired: boolean };
    await win.patkitReady;
    expect(win.customElements.get('pat-token-manager')).to.not.equal(undefined);
    await waitUntil(() => win.readyFired, 'patkit-ready fired on window');
    const scripts = [...iframe.contentDocument!.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')!);
    expect(scripts.some((s) => s.includes('polyfills/'))).to.equal(false);
    expect(scripts.some((s) => s.endsWith('patkit-kit.js'))).to.equal(true);
    iframe.remove();
  });
});
