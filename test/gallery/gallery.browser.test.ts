/**
 * The gallery page (gallery/): its own index.html and main.ts, in real Chromium. Every component
 * section renders its states live (the gallery's in-memory demo provider), the page is accessible
 * in light and dark, the language switch reaches the components, and API tables are built from a
 * manifest as text only.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { apiTables, docText, type Manifest } from '../../gallery/api-tables.ts';
import { describe, it, before, after } from '../support/mocha.ts';

const TAGS = ['pat-token-manager', 'pat-token-list', 'pat-token-details', 'pat-create-wizard', 'pat-reveal-dialog', 'pat-confirm-dialog', 'pat-role-manager', 'pat-scoped-token-form'];

describe('gallery', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);
  let page: HTMLElement;

  before(async () => {
    const source = await (await fetch('/gallery/index.html')).text();
    const doc = new DOMParser().parseFromString(source, 'text/html');
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = '/gallery/gallery.css';
    document.head.append(css);
    await new Promise((r) => css.addEventListener('load', r, { once: true }));
    page = document.createElement('div');
    page.append(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
    document.body.append(page);
    await import('../../gallery/main.ts');
    await waitUntil(() => document.body.dataset.ready === 'true', 'gallery ready', { timeout: 10000 });
  });

  after(async () => {
    await emulateMedia({ reducedMotion: 'no-preference' });
    page.remove();
    document.documentElement.removeAttribute('data-theme');
    document.documentElement.lang = 'en';
  });

  it('shows every component, each in its states, live', async () => {
    for (const tag of TAGS) expect(document.getElementById(tag), tag).not.to.equal(null);
    expect(document.querySelectorAll('.demo').length).to.be.at.least(TAGS.length);
    const manager = document.querySelector('.demo[data-shot="token-manager"] pat-token-manager')!;
    const list = manager.shadowRoot!.querySelector('pat-token-list')!;
    await waitUntil(() => list.shadowRoot!.querySelectorAll('[part~="row"]').length === 5, 'demo tokens listed');
    const signedOut = document.querySelector('.demo[data-shot="token-manager-signed-out"] pat-token-manager')!;
    await waitUntil(() => signedOut.shadowRoot!.querySelector('[part="message"]'), 'signed-out state');
    expect([...document.querySelectorAll('#toc a')].map((a) => a.textContent)).to.deep.equal(TAGS);
  });

  it('is accessible in light and in dark, and the language switch reaches the components', async () => {
    await expect(page).to.be.accessible();
    // Buttons blend their background for 120 ms on a scheme change; with reduced motion (which the
    // kit honours) the switch is instant, so axe judges the settled colours.
    await emulateMedia({ reducedMotion: 'reduce' });
    const theme = document.querySelector<HTMLSelectElement>('#theme')!;
    theme.value = 'dark';
    theme.dispatchEvent(new Event('change'));
    expect(document.documentElement.dataset.theme).to.equal('dark');
    expect(getComputedStyle(document.documentElement).colorScheme).to.equal('dark');
    await expect(page).to.be.accessible();
    const lang = document.querySelector<HTMLSelectElement>('#lang')!;
    lang.value = 'de';
    lang.dispatchEvent(new Event('change'));
    const manager = document.querySelector('.demo[data-shot="token-manager"] pat-token-manager')!;
    await waitUntil(() => manager.shadowRoot!.querySelector('[part="create"]')?.textContent!.trim() === 'Token erstellen', 'German');
  });

  it('API tables come from the manifest, as text only', () => {
    const manifest: Manifest = {
      modules: [
        {
          declarations: [
            {
              tagName: 'pat-demo',
              attributes: [{ name: 'expiring-soon-days', fieldName: 'expiringSoonDays' }],
              members: [
                { kind: 'field', name: 'expiringSoonDays', type: { text: 'number' }, default: '7', description: 'Days.' },
                { kind: 'field', name: 'secretThing', privacy: 'private' },
              ],
              events: [{ name: 'pat-token-saved', type: { text: 'PatTokenSavedEvent' }, description: '<img src=x onerror="window.__galleryXss=1"> `detail.token`' }],
              cssParts: [{ name: 'row', description: 'A row.' }],
              cssProperties: [{ name: '--pat-accent', default: '#0b5cd5' }],
            },
          ],
        },
      ],
    };
    const box = apiTables(manifest, 'pat-demo');
    const captions = [...box.querySelectorAll('caption')].map((c) => c.textContent);
    expect(captions).to.deep.equal(['Properties and attributes', 'Events', 'CSS parts', 'CSS custom properties']);
    const props = [...box.querySelectorAll('table')[0]!.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    expect(props).to.deep.equal([['expiringSoonDays', 'expiring-soon-days', 'number', '7', 'Days.']]);
    expect(box.querySelector('img')).to.equal(null);
    expect(box.textContent).to.contain('<img src=x');
    expect([...box.querySelectorAll('table')[1]!.querySelectorAll('td code')].map((c) => c.textContent)).to.deep.equal(['pat-token-saved', 'detail.token']);
    const doc = docText('Embed:\n```html\n<pat-token-manager></pat-token-manager>\n```\nthen set `provider`.');
    const holder = document.createElement('div');
    holder.append(doc);
    expect(holder.querySelector('pre')!.textContent).to.equal('<pat-token-manager></pat-token-manager>');
    expect(holder.querySelector('code')!.textContent).to.equal('provider');
    expect(holder.querySelector('pat-token-manager')).to.equal(null);
    expect(apiTables(manifest, 'pat-missing').textContent).to.equal('pat-missing is not in custom-elements.json.');
  });
});
