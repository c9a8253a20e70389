/**
 * <pat-token-list> in real Chromium. Data comes from MemoryProvider, an in-memory TEST DOUBLE of
 * TokenProvider (test/support/memory-provider.ts); the real provider against the real
 * server is covered by console.browser.test.ts.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../../components/token-list/token-list.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { ProviderError } from '../../../lib/errors.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import {
  MemoryProvider,
  makeToken,
  makeTokens,
  makeUser,
  minimalCapabilities,
  nextFrame,
} from '../../support/memory-provider.ts';
import { describe, it, before, after } from '../../support/mocha.ts';
import { answerConfirm, confirmOf, loaded, rows, sr } from './list-fixture.ts';


describe('<pat-token-list>', () => {
  // The virtualizer's benign "ResizeObserver loop" notice would otherwise fail tests via window.onerror.
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  it('loads through the provider, shows every column and is accessible', async () => {
    const provider = new MemoryProvider({ tokens: makeTokens(5) });
    const el = await loaded(provider);
    expect(rows(el)).to.have.length(5);
    const headers = [...sr(el).querySelectorAll('[role="columnheader"]')].map((h) => h.textContent!.replace(/[▲▼]/g, '').trim());
    expect(headers).to.include.members(['Name', 'Created', 'Expires', 'Last used', 'Status', 'Access']);
    expect(headers).not.to.include('Owner');
    await expect(el).to.be.accessible();
  });

  it('is accessible in the dark scheme too (contrast of every token)', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    // A page that supports dark declares it; the kit then follows prefers-color-scheme.
    document.documentElement.style.colorScheme = 'light dark';
    document.documentElement.style.background = 'Canvas';
    try {
      const tokens = [
        makeToken({ name: 'active' }),
        makeToken({ name: 'soon', expires_at: new Date(Date.now() + 86_400_000).toISOString() }),
        makeToken({ name: 'off', status: 'disabled' }),
      ];
      const el = await loaded(new MemoryProvider({ tokens }));
      el.shadowRoot!.querySelector<HTMLInputElement>('[part="header"] input[type="checkbox"]')!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
      // A light-only page keeps light widgets even when the system is dark (no light-on-white text).
      document.documentElement.style.colorScheme = '';
      document.documentElement.style.background = '';
      const light = await loaded(new MemoryProvider({ tokens }));
      await expect(light).to.be.accessible();
    } finally {
      document.documentElement.style.colorScheme = '';
      document.documentElement.style.background = '';
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('renders at most 100 row elements for 10,000 tokens', async () => {
    const provider = new MemoryProvider({ tokens: makeTokens(10_000) });
    const el = await loaded(provider);
    await nextFrame();
    expect(el.tokens).to.have.length(10_000);
    expect(rows(el).length).to.be.at.most(100);
    expect(sr(el).querySelector('[role="grid"]')!.getAttribute('aria-rowcount')).to.equal('10001');
    // Scrolled to the end, the last token is there and the DOM stays small.
    const body = sr(el).querySelector<HTMLElement>('[part="body"]')!;
    body.scrollTop = body.scrollHeight;
    const last = String(el.visibleTokens.length - 1);
    await waitUntil(() => rows(el).some((r) => r.dataset.index === last), 'last row rendered');
    expect(rows(el).length).to.be.at.most(100);
    // End key from the first row jumps there too, keeping focus on a real row.
    body.scrollTop = 0;
    await waitUntil(() => rows(el).some((r) => r.dataset.index === '0'));
    rows(el).find((r) => r.dataset.index === '0')!.focus();
    await sendKeys({ press: 'End' });
    await waitUntil(() => sr(el).activeElement?.getAttribute('data-index') === last, 'focus on the last row');
  });

  it('sorts by name both ways and reports aria-sort', async () => {
    const tokens = [makeToken({ name: 'bravo' }), makeToken({ name: 'alpha' }), makeToken({ name: 'charlie' })];
    const el = await loaded(new MemoryProvider({ tokens }));
    const nameHeader = [...sr(el).querySelectorAll('[role="columnheader"]')].find((h) => h.textContent!.includes('Name'))!;
    nameHeader.querySelector('button')!.click();
    await el.updateComplete;
    await nextFrame();
    expect(nameHeader.getAttribute('aria-sort')).to.equal('ascending');
    expect(el.visibleTokens.map((t) => t.name)).to.deep.equal(['alpha', 'bravo', 'charlie']);
    nameHeader.querySelector('button')!.click();
    await el.updateComplete;
    expect(nameHeader.getAttribute('aria-sort')).to.equal('descending');
    expect(el.visibleTokens.map((t) => t.name)).to.deep.equal(['charlie', 'bravo', 'alpha']);
  });

  it('filters by text, by status (incl. expiring soon) and, for admins, by user', async () => {
    const alice = makeUser('u_alice', 'alice');
    const tokens = [
      makeToken({ name: 'deploy bot' }),
      makeToken({ name: 'ci', expires_at: new Date(Date.now() + 2 * 86_400_000).toISOString() }),
      makeToken({ name: 'old', status: 'disabled' }),
      makeToken({ name: 'alice key', owner: { kind: 'user', id: alice.id, username: 'alice', display_name: 'Alice' } }),
    ];
    const el = await loaded(new MemoryProvider({ tokens }), 'all');
    const search = sr(el).querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = 'deploy';
    search.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    expect(el.visibleTokens.map((t) => t.name)).to.deep.equal(['deploy bot']);
    search.value = '';
    search.dispatchEvent(new InputEvent('input'));

    const [userSelect, statusSelect] = [...sr(el).querySelectorAll<HTMLSelectElement>('select')];
    statusSelect!.value = 'expiring';
    statusSelect!.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.visibleTokens.map((t) => t.name)).to.deep.equal(['ci']);
    await nextFrame();
    expect(sr(el).querySelector('.status.expiring')!.textContent).to.equal('Expiring soon');
    statusSelect!.value = 'disabled';
    statusSelect!.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.visibleTokens.map((t) => t.name)).to.deep.equal(['old']);
    statusSelect!.value = '';
    statusSelect!.dispatchEvent(new Event('change'));

    userSelect!.value = alice.id;
    userSelect!.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.visibleTokens.map((t) => t.name)).to.deep.equal(['alice key']);
    expect([...sr(el).querySelectorAll('[role="columnheader"]')].some((h) => h.textContent!.includes('Owner'))).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('selects with click, Ctrl/Cmd-click and Shift-click ranges', async () => {
    const el = await loaded(new MemoryProvider({ tokens: makeTokens(6) }));
    const ids = el.visibleTokens.map((t) => t.id);
    const click = (i: number, init: MouseEventInit = {}): void => {
      rows(el)
        .find((r) => r.dataset.index === String(i))!
        .querySelector('.cell:nth-child(2)')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, ...init }));
    };
    click(1);
    await el.updateComplete;
    expect(el.selectedIds).to.deep.equal([ids[1]]);
    click(4, { shiftKey: true });
    await el.updateComplete;
    expect(el.selectedIds).to.deep.equal([ids[1], ids[2], ids[3], ids[4]]);
    click(3, { ctrlKey: true });
    await el.updateComplete;
    expect(el.selectedIds).to.deep.equal([ids[1], ids[2], ids[4]]);
    click(0, { metaKey: true });
    await el.updateComplete;
    expect(el.selectedIds).to.deep.equal([ids[0], ids[1], ids[2], ids[4]]);
    expect(rows(el).filter((r) => r.getAttribute('aria-selected') === 'true')).to.have.length(4);
    expect(sr(el).querySelector('[part="bulk-bar"]')!.textContent).to.contain('4 selected');
    click(5);
    await el.updateComplete;
    expect(el.selectedIds).to.deep.equal([ids[5]]);
    await expect(el).to.be.accessible();
  });

  it('bulk delete asks with a cancelable request event a host can veto', async () => {
    const provider = new MemoryProvider({ tokens: makeTokens(4) });
    const el = await loaded(provider);
    el.addEventListener('pat-request-action', (e) => e.preventDefault(), { once: true });
    sr(el).querySelector<HTMLInputElement>('[part="header"] input[type="checkbox"]')!.click();
    await el.updateComplete;
    sr(el).querySelector<HTMLButtonElement>('[part="bulk-delete"]')!.click();
    await nextFrame();
    expect(confirmOf(el).shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    expect(provider.calls.some(([m]) => m === 'bulkDeleteTokens')).to.equal(false);

    const request = oneEvent(el, 'pat-request-action');
    sr(el).querySelector<HTMLButtonElement>('[part="bulk-delete"]')!.click();
    const ev = await request;
    expect(ev.detail).to.deep.include({ action: 'delete', source: 'bulk' });
    expect(ev.detail.ids).to.have.length(4);
    await waitUntil(() => confirmOf(el).shadowRoot!.querySelector('dialog')?.open);
    await expect(confirmOf(el)).to.be.accessible();
    expect(confirmOf(el).shadowRoot!.querySelector('[role="alertdialog"]')!.textContent).to.contain('Delete 4 tokens?');
    const done = oneEvent(el, 'pat-token-action');
    await answerConfirm(el);
    const action = await done;
    expect(action.detail).to.deep.include({ action: 'delete', handled: true });
    expect(provider.tokens).to.have.length(0);
    await waitUntil(() => sr(el).querySelector('[part="state"]')?.textContent?.includes('No personal access tokens yet.'));
  });





  it('the Access column wraps instead of truncating, and gives assistive tech every scope', async () => {
    const scopes = ['tokens:introspect', 'users:read', 'settings:write'];
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'ci', scopes })] });
    const el = await fixture<PatTokenList>(html`<pat-token-list style="width: 44rem" .provider=${provider} owner="me"></pat-token-list>`);
    await waitUntil(() => !el.loading && rows(el).length > 0, 'rows rendered');
    await nextFrame();
    const row = rows(el)[0]!;
    const cell = row.querySelector<HTMLElement>('[role="gridcell"].access')!;
    const summary = cell.querySelector<HTMLElement>('.access-summary')!;
    expect(summary.textContent!.trim()).to.equal('tokens:introspect +2');
    // Nothing is cut off: no horizontal overflow, no clipped line, and it stays inside the fixed row.
    expect(cell.scrollWidth, 'no horizontal overflow').to.be.at.most(cell.clientWidth + 1);
    expect(summary.scrollHeight, 'no clipped line').to.be.at.most(summary.clientHeight + 1);
    expect(summary.getBoundingClientRect().bottom).to.be.at.most(row.getBoundingClientRect().bottom + 0.5);
    expect(summary.getBoundingClientRect().height, 'wrapped onto a second line').to.be.greaterThan(parseFloat(getComputedStyle(summary).lineHeight) * 1.5);
    // The full list: as a tooltip, and as the cell's text for a screen reader (the summary is hidden from it).
    expect(cell.title).to.equal(scopes.join(', '));
    expect(summary.getAttribute('aria-hidden')).to.equal('true');
    expect(cell.querySelector('.visually-hidden')!.textContent).to.equal(scopes.join(', '));
    await expect(el).to.be.accessible();
  });


  it('the grace note is not cut at the console\'s width in a 1280 px window', async () => {
    const until = new Date(Date.now() + 23 * 3600_000).toISOString();
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'rotating', rotation: { previous_valid_until: until, previous_last4: 'Ab12' } })] });
    // 1280 px less the console's page padding, at the console's 15 px type.
    for (const owner of ['me', 'all']) {
      const el = await fixture<PatTokenList>(html`<pat-token-list style="width: 1242px; font-size: 15px" .provider=${provider} owner=${owner}></pat-token-list>`);
      await waitUntil(() => !el.loading && rows(el).length > 0, 'rows rendered');
      await nextFrame();
      const row = rows(el)[0]!;
      const grace = row.querySelector<HTMLElement>('.grace')!;
      expect(grace.textContent).to.match(/^Old value works until .+\(in 23 hours\)$/);
      expect(grace.scrollWidth, `${owner}: no horizontal cut`).to.be.at.most(grace.clientWidth + 1);
      expect(grace.scrollHeight, `${owner}: no clamped line`).to.be.at.most(grace.clientHeight + 1);
      expect(grace.getBoundingClientRect().bottom, `${owner}: inside its row`).to.be.at.most(row.getBoundingClientRect().bottom + 0.5);
    }
  });

  it('keyboard: arrows move, Space selects, Delete asks to delete, Escape cancels', async () => {
    const provider = new MemoryProvider({ tokens: makeTokens(5) });
    const el = await loaded(provider);
    rows(el)[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => sr(el).activeElement?.getAttribute('data-index') === '1');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.selectedIds).to.deep.equal([el.visibleTokens[1]!.id]);
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ up: 'Shift' });
    await el.updateComplete;
    expect(el.selectedIds).to.have.length(2);
    await sendKeys({ press: 'Delete' });
    const dialog = confirmOf(el);
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
    expect(dialog.shadowRoot!.textContent).to.contain('Delete 2 tokens?');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.shadowRoot!.querySelector('dialog')?.open);
    expect(provider.tokens).to.have.length(5);
    // Shift+F10 opens the row menu, arrows move inside it, Escape returns to the row.
    rows(el).find((r) => r.dataset.index === '2')!.focus();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'F10' });
    await sendKeys({ up: 'Shift' });
    await waitUntil(() => sr(el).querySelector('[part="menu"]'));
    expect(sr(el).activeElement?.textContent?.trim()).to.equal('Details');
    await sendKeys({ press: 'ArrowDown' });
    expect(sr(el).activeElement?.textContent?.trim()).to.equal('Copy token ID');
    await sendKeys({ press: 'ArrowDown' });
    expect(sr(el).activeElement?.textContent?.trim()).to.equal('Edit');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(sr(el).querySelector('[part="menu"]')).to.equal(null);
    // Right arrow reaches the actions button; Enter opens its menu; Left goes back to the row.
    rows(el).find((r) => r.dataset.index === '2')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(sr(el).activeElement?.classList.contains('menu-trigger')).to.equal(true);
    await sendKeys({ press: 'ArrowLeft' });
    expect(sr(el).activeElement?.getAttribute('data-index')).to.equal('2');
  });


  it('Enter asks to edit (an action the host or manager carries out)', async () => {
    const el = await loaded(new MemoryProvider({ tokens: makeTokens(2) }));
    rows(el)[0]!.focus();
    const action = oneEvent(el, 'pat-token-action');
    await sendKeys({ press: 'Enter' });
    const ev = await action;
    expect(ev.detail).to.deep.equal({ action: 'edit', ids: [el.visibleTokens[0]!.id], handled: false });
  });

  it('shows loading, empty, error and offline states, each accessible', async () => {
    const el = await fixture<PatTokenList>(html`<pat-token-list loading></pat-token-list>`);
    expect(sr(el).querySelector('[part="state"]')!.textContent).to.contain('Loading tokens');
    await expect(el).to.be.accessible();
    el.loading = false;
    await el.updateComplete;
    expect(sr(el).querySelector('[part="state"]')!.textContent).to.contain('No personal access tokens yet.');
    await expect(el).to.be.accessible();
    // An organisation's or group's list names the level, not "personal" tokens.
    el.scopeOwner = { kind: 'group', id: 'grp_1', org_id: 'org_1', name: 'Platform team' };
    await el.updateComplete;
    expect(sr(el).querySelector('[part="state"]')!.textContent).to.contain('No access tokens for Platform team yet.');
    el.scopeOwner = null;
    await el.updateComplete;

    const provider = new MemoryProvider({ tokens: makeTokens(2) });
    provider.failNext.set('listTokens', new ProviderError('server_error', 'The server had an internal error.'));
    const failing = await fixture<PatTokenList>(html`<pat-token-list .provider=${provider}></pat-token-list>`);
    await waitUntil(() => sr(failing).querySelector('[role="alert"]'));
    expect(sr(failing).querySelector('[role="alert"]')!.textContent).to.contain('The server had an internal error.');
    await expect(failing).to.be.accessible();
    sr(failing).querySelector<HTMLButtonElement>('[role="alert"] button')!.click();
    await waitUntil(() => rows(failing).length === 2, 'retry loads');

    const offline = new MemoryProvider();
    offline.failNext.set('listTokens', new ProviderError('offline', 'The server cannot be reached.'));
    const off = await fixture<PatTokenList>(html`<pat-token-list .provider=${offline}></pat-token-list>`);
    await waitUntil(() => sr(off).querySelector('[part="state"]')?.textContent?.includes('You are offline'));
    await expect(off).to.be.accessible();
  });

  it('keeps hostile names and descriptions inert (rendered as text)', async () => {
    const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const el = await loaded(new MemoryProvider({ tokens: [makeToken({ name: evil, description: `"><svg onload="window.__xss=3">` })] }));
    await nextFrame();
    expect(sr(el).querySelector('img, script:not([type]), svg')).to.equal(null);
    expect(rows(el)[0]!.textContent).to.contain(evil);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('does not offer what the server cannot do', async () => {
    const provider = new MemoryProvider({ tokens: makeTokens(3), capabilities: minimalCapabilities() });
    const el = await loaded(provider);
    const headers = [...sr(el).querySelectorAll('[role="columnheader"]')].map((h) => h.textContent!.replace(/[▲▼]/g, '').trim());
    expect(headers).not.to.include.members(['Expires', 'Last used', 'Access']);
    const statuses = [...sr(el).querySelectorAll('select option')].map((o) => o.textContent);
    expect(statuses).not.to.include('Disabled');
    expect(statuses).not.to.include('Expiring soon');
    rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
    await waitUntil(() => sr(el).querySelector('[part="menu"]'));
    const labels = [...sr(el).querySelectorAll('[part="menu"] [role="menuitem"]')].map((b) => b.textContent!.trim());
    expect(labels).to.deep.equal(['Details', 'Copy token ID', 'Delete']);
    sr(el).querySelector<HTMLInputElement>('[part="header"] input[type="checkbox"]')!.click();
    await el.updateComplete;
    expect(sr(el).querySelector('[part="bulk-delete"]')).to.equal(null);
    await expect(el).to.be.accessible();
    // The Delete key then deletes only the focused token, never a bulk call the server lacks.
    rows(el)[0]!.focus();
    const request = oneEvent(el, 'pat-request-action');
    await sendKeys({ press: 'Delete' });
    expect((await request).detail.ids).to.have.length(1);
  });

  it('takes translated strings through the strings property', async () => {
    const el = await fixture<PatTokenList>(
      html`<pat-token-list .tokens=${makeTokens(2)} .strings=${{ refresh: 'Aktualisieren', rowCount: (n: number) => `${n} Tokens` }}></pat-token-list>`,
    );
    await waitUntil(() => rows(el).length === 2);
    expect(sr(el).querySelector('[part="refresh"]')!.textContent!.trim()).to.equal('Aktualisieren');
    expect(sr(el).querySelector('.count')!.textContent).to.equal('2 Tokens');
  });

  it('works from properties alone: refresh and actions go to the host', async () => {
    const tokens = makeTokens(2);
    const el = await fixture<PatTokenList>(html`<pat-token-list .tokens=${tokens}></pat-token-list>`);
    await waitUntil(() => rows(el).length === 2);
    const refresh = oneEvent(el, 'pat-refresh');
    sr(el).querySelector<HTMLButtonElement>('[part="refresh"]')!.click();
    await refresh;
    rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
    await waitUntil(() => sr(el).querySelector('[data-action="delete"]'));
    sr(el).querySelector<HTMLButtonElement>('[data-action="delete"]')!.click();
    const action = oneEvent(el, 'pat-token-action');
    await answerConfirm(el);
    expect((await action).detail).to.deep.include({ action: 'delete', handled: false });
  });

  it('the filter input and selects have the same font size as the buttons', async () => {
    const el = await fixture<PatTokenList>(html`<pat-token-list owner="all" .tokens=${makeTokens(3)}></pat-token-list>`);
    const size = (selector: string): string => getComputedStyle(sr(el).querySelector(selector)!).fontSize;
    const button = size('[part="refresh"]');
    expect(size('[part="toolbar"] input[type="search"]')).to.equal(button);
    for (const select of sr(el).querySelectorAll('[part="toolbar"] select')) expect(getComputedStyle(select).fontSize).to.equal(button);
  });

  it('the list box is as tall as its rows when there are few, and stops at --pat-list-height', async () => {
    const few = await fixture<PatTokenList>(html`<pat-token-list .tokens=${makeTokens(2)}></pat-token-list>`);
    await waitUntil(() => sr(few).querySelectorAll('[part~="row"]').length === 2);
    const body = sr(few).querySelector<HTMLElement>('[part="body"]')!;
    const row = sr(few).querySelector<HTMLElement>('[part="body"] [part~="row"]')!;
    expect(Math.abs(body.clientHeight - 2 * row.offsetHeight)).to.be.below(2);
    const many = await fixture<PatTokenList>(html`<pat-token-list style="--pat-list-height: 200px" .tokens=${makeTokens(50)}></pat-token-list>`);
    await waitUntil(() => sr(many).querySelectorAll('[part~="row"]').length > 0);
    expect(sr(many).querySelector<HTMLElement>('[part="body"]')!.clientHeight).to.equal(200);
  });
});
