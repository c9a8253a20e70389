/**
 * The polyfill loader of the built kit (dist/kit/loader.js, from `npm run build:kit`, which
 * `npm test` runs before the browser suite): on a page without custom elements (as in a Chrome
 * content script's isolated world, where `customElements` is null) it adds the
 * @webcomponents/webcomponentsjs bundle first; on a modern page it does not.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { describe, it } from '../support/mocha.ts';

async function built(): Promise<boolean> {
  const res = await fetch('/dist/kit/loader.js', { method: 'HEAD' });
  return res.ok;
}

function frame(withoutCustomElements: boolean): Promise<HTMLIFrameElement> {
  const iframe = document.createElement('iframe');
  const hide = withoutCustomElements
    ? `<script>Object.defineProperty(window, 'customElements', { value: null, configurable: true, writable: true });</script>`
    : '';
  iframe.srcdoc = `<!doctype html><html><head>${hide}<script src="/dist/kit/loader.js"></script></head><body></body></html>`;
  document.body.append(iframe);
  return new Promise((resolve) => iframe.addEventListener('load', () => resolve(iframe), { once: true }));
}

describe('dist/kit/loader.js', () => {
  it('polyfills a page without custom elements, then the kit renders there', async () => {
    if (!(await built())) {
      console.warn('dist/kit not built: run `npm run build:kit` (npm test does) to check the loader');
      return;
    }
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

  it('adds no polyfill where the browser has custom elements and shadow DOM', async () => {
    if (!(await built())) return;
    const iframe = await frame(false);
    const win = iframe.contentWindow as Window & typeof globalThis;
    await waitUntil(() => win.customElements.get('pat-token-manager'), 'kit defined', { timeout: 10000 });
    const scripts = [...iframe.contentDocument!.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')!);
    expect(scripts.some((s) => s.includes('polyfills/'))).to.equal(false);
    expect(scripts.some((s) => s.endsWith('patkit-kit.js'))).to.equal(true);
    iframe.remove();
  });
});
