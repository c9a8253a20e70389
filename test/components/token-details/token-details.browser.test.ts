/**
 * <pat-token-details> in real Chromium: opened from a list (Alt+Enter, the row menu) as a modal
 * that follows the list, its audit trail with paging and states, and on its own (inline): what it
 * shows, keyboard use of the modal and accessibility. Data comes from MemoryProvider, an in-memory
 * TEST DOUBLE of TokenProvider (test/support/memory-provider.ts).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../../components/locales/de.ts';
import '../../../components/token-details/token-details.ts';
import { PatTokenDetails } from '../../../components/token-details/token-details.component.ts';
import { ProviderError } from '../../../lib/errors.ts';
import { MemoryProvider, makeToken } from '../../support/memory-provider.ts';
import { describe, it, before, after } from '../../support/mocha.ts';
import { ago, detailsOf, loaded, menuAction, rows, sr } from '../token-list/list-fixture.ts';

describe('<pat-token-details>', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  describe('opened from the list', () => {
    it('Alt+Enter opens the details: scopes with descriptions, dates, recent uses, rotation, audit; Escape closes and focus returns', async () => {
      const token = makeToken({
        name: 'details me',
        scopes: ['tokens:read', 'post:all'],
        created_by: { id: 'u_admin', username: 'admin' },
        last_used_at: ago(1),
        last_used_ip: '127.0.0.2',
        recent_uses: [
          { ip: '127.0.0.2', at: ago(1) },
          { ip: '127.0.0.1', at: ago(3) },
        ],
      });
      const provider = new MemoryProvider({ tokens: [token] });
      const el = await loaded(provider);
      // Something in the audit trail: a regenerate with a grace.
      await provider.regenerateToken(token.id, undefined, { gracePeriodSeconds: 3600 });
      await el.refresh();
      rows(el)[0]!.focus();
      await sendKeys({ down: 'Alt' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Alt' });
      await waitUntil(() => detailsOf(el)?.shadowRoot?.querySelector('dialog')?.open, 'details open');
      const d = detailsOf(el)!;
      const text = (): string => d.shadowRoot!.textContent!.replace(/\s+/g, ' ');
      await waitUntil(() => text().includes('Read tokens'), 'scope descriptions loaded');
      expect(text()).to.contain('details me');
      expect(text()).to.contain('Post anywhere');
      expect(text()).to.contain('Created by admin');
      expect([...d.shadowRoot!.querySelectorAll('[part="recent-uses"] tbody tr')].map((r) => r.querySelector('code')!.textContent)).to.deep.equal(['127.0.0.2', '127.0.0.1']);
      expect(d.shadowRoot!.querySelector('[part="rotation"]')!.textContent).to.match(/Old value works until .+ \(in 1 hour\)/);
      await waitUntil(() => d.shadowRoot!.querySelector('[part="audit"] tbody tr'), 'audit loaded');
      expect(d.shadowRoot!.querySelector('[part="audit"] tbody')!.textContent).to.contain('token.regenerated');
      expect(provider.calls.filter(([m]) => m === 'listAudit').map((c) => (c[1] as { token_id: string }).token_id)).to.deep.equal([token.id]);
      expect(d.shadowRoot!.activeElement?.getAttribute('part')).to.equal('close');
      await expect(d).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !detailsOf(el), 'details closed and removed');
      expect(sr(el).activeElement?.getAttribute('data-index')).to.equal('0');
    });

    it('an open details view follows the list: a refresh that brings a grace shows in the view at once', async () => {
      const token = makeToken({ name: 'follows the list' });
      const provider = new MemoryProvider({ tokens: [token] });
      const el = await loaded(provider);
      await menuAction(el, 0, 'details');
      await waitUntil(() => detailsOf(el)?.shadowRoot?.querySelector('dialog')?.open, 'details open');
      const d = detailsOf(el)!;
      const rotation = (): string => d.shadowRoot!.querySelector('[part="rotation"]')?.textContent ?? '';
      expect(rotation()).to.not.match(/Old value works until/);
      // Another tab (or the automation's owner) regenerates with a grace; the list refreshes.
      await provider.regenerateToken(token.id, undefined, { gracePeriodSeconds: 3600 });
      await el.refresh();
      await waitUntil(() => /Old value works until .+ \(in 1 hour\)/.test(rotation()), 'the open view shows the rotation');
      expect(d.token!.rotation).to.not.equal(null);
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !detailsOf(el), 'details closed');
    });

    it('the row menu opens it too; the audit trail pages, and shows its empty and error states', async () => {
      const token = makeToken({ name: 'busy' });
      const quiet = makeToken({ name: 'quiet' });
      const provider = new MemoryProvider({ tokens: [token, quiet] });
      for (let i = 0; i < 50; i += 1) await provider.regenerateToken(token.id, undefined, { gracePeriodSeconds: 60 });
      const el = await loaded(provider);
      const index = (name: string): number => rows(el).findIndex((r) => r.textContent!.includes(name));
      await menuAction(el, index('busy'), 'details');
      await waitUntil(() => detailsOf(el)?.shadowRoot?.querySelectorAll('[part="audit"] tbody tr').length === 20, 'first page');
      const d = detailsOf(el)!;
      d.shadowRoot!.querySelector<HTMLButtonElement>('[part="audit-more"]')!.click();
      await waitUntil(() => d.shadowRoot!.querySelectorAll('[part="audit"] tbody tr').length === 40, 'second page');
      d.shadowRoot!.querySelector<HTMLButtonElement>('[part="audit-more"]')!.click();
      await waitUntil(() => d.shadowRoot!.querySelectorAll('[part="audit"] tbody tr').length === 50, 'last page');
      expect(d.shadowRoot!.querySelector('[part="audit-more"]')).to.equal(null);
      d.shadowRoot!.querySelector<HTMLButtonElement>('[part="close"]')!.click();
      await waitUntil(() => !detailsOf(el), 'closed');

      await menuAction(el, index('quiet'), 'details');
      await waitUntil(() => detailsOf(el)?.shadowRoot?.textContent?.includes('No activity recorded for this token.'), 'empty state');
      detailsOf(el)!.close();

      provider.failNext.set('listAudit', new ProviderError('server_error', 'The audit log is unavailable.'));
      await menuAction(el, index('quiet'), 'details');
      await waitUntil(() => detailsOf(el)?.shadowRoot?.querySelector('[part="audit"] [role="alert"]'), 'error state');
      const alert = detailsOf(el)!.shadowRoot!.querySelector('[part="audit"] [role="alert"]')!;
      expect(alert.textContent).to.contain('Activity could not be loaded.');
      expect(alert.textContent).to.contain('The audit log is unavailable.');
      alert.querySelector('button')!.click();
      await waitUntil(() => detailsOf(el)?.shadowRoot?.textContent?.includes('No activity recorded for this token.'), 'retry worked');
      detailsOf(el)!.close();
    });

    it('shows no audit section where the server has none, and speaks German', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'de', recent_uses: [] })] });
      provider.capabilities = { ...provider.capabilities, audit: false };
      const el = await loaded(provider, 'me', 'de');
      await menuAction(el, 0, 'details');
      await waitUntil(() => detailsOf(el)?.shadowRoot?.querySelector('dialog')?.open, 'open');
      const d = detailsOf(el)!;
      expect(d.shadowRoot!.querySelector('[part="audit"]')).to.equal(null);
      expect(d.shadowRoot!.textContent).to.contain('Noch nicht verwendet.');
      expect(d.shadowRoot!.textContent).to.contain('Erstellt von');
      expect(provider.calls.some(([m]) => m === 'listAudit')).to.equal(false);
      d.close();
    });
  });

  describe('on its own', () => {
    it('inline: what the token says, scope descriptions and the audit trail through the provider, no dialog, accessible', async () => {
      const token = makeToken({ name: 'inline', description: 'for CI', scopes: ['tokens:read'] });
      const provider = new MemoryProvider({ tokens: [token] });
      const el = await fixture<PatTokenDetails>(html`<pat-token-details .token=${token} .provider=${provider}></pat-token-details>`);
      const root = el.shadowRoot!;
      await waitUntil(() => root.textContent!.includes('Read tokens'), 'scope description loaded');
      await waitUntil(() => root.textContent!.includes('No activity recorded for this token.'), 'audit loaded');
      expect(root.querySelector('h2')!.textContent).to.equal('inline');
      expect(root.querySelector('[part="facts"]')!.textContent).to.contain(token.id);
      expect(root.querySelector('dialog')).to.equal(null);
      expect(root.querySelector('[part="close"]')).to.equal(null);
      expect(root.querySelector('[part="panel"]')!.getAttribute('aria-labelledby')).to.equal('title');
      await expect(el).to.be.accessible();
    });

    it('without a provider it shows only what the token says: scope ids, no audit section', async () => {
      const token = makeToken({ name: 'offline view', scopes: ['tokens:read'] });
      const el = await fixture<PatTokenDetails>(html`<pat-token-details .token=${token}></pat-token-details>`);
      const root = el.shadowRoot!;
      expect(root.querySelector('[part="scopes"]')!.textContent!.trim()).to.equal('tokens:read');
      expect(root.querySelector('[part="audit"]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('a scope catalog or audit trail that fails to load is said on screen and sent as pat-error', async () => {
      const token = makeToken({ name: 'failing', scopes: ['tokens:read'] });
      const provider = new MemoryProvider({ tokens: [token] });
      provider.scopeCatalog = async () => {
        throw new ProviderError('server_error', 'The catalog is unavailable.');
      };
      provider.failNext.set('listAudit', new ProviderError('server_error', 'The audit log is unavailable.'));
      const errors: string[] = [];
      const host = document.createElement('div');
      host.addEventListener('pat-error', (e) => errors.push(e.detail.message));
      const el = document.createElement('pat-token-details');
      el.token = token;
      el.provider = provider;
      host.append(el);
      document.body.append(host);
      try {
        await waitUntil(() => errors.length === 2, 'both failures sent');
        expect(errors.sort()).to.deep.equal(['The audit log is unavailable.', 'The catalog is unavailable.']);
        await el.updateComplete;
        // Scope ids still show without their descriptions; the audit error offers a retry.
        expect(el.shadowRoot!.querySelector('[part="scopes"]')!.textContent!.trim()).to.equal('tokens:read');
        expect(el.shadowRoot!.querySelector('[part="audit"] [role="alert"]')!.textContent).to.contain('The audit log is unavailable.');
      } finally {
        host.remove();
      }
    });

    it('PatTokenDetails.open(): a modal with focus on Close; Escape closes it, removes it, resolves and returns focus', async () => {
      const token = makeToken({ name: 'modal' });
      const opener = await fixture<HTMLButtonElement>(html`<button type="button">open</button>`);
      opener.focus();
      let view: PatTokenDetails | null = null;
      const closed = PatTokenDetails.open(token, { onOpen: (el) => (view = el) });
      await waitUntil(() => view?.shadowRoot?.querySelector('dialog')?.open, 'open');
      const dialog = view!.shadowRoot!.querySelector('dialog')!;
      expect(dialog.matches(':modal'), 'modal: the page behind is inert').to.equal(true);
      expect(view!.shadowRoot!.activeElement?.getAttribute('part')).to.equal('close');
      await expect(view!).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await closed;
      expect(view!.isConnected).to.equal(false);
      expect(document.activeElement).to.equal(opener);
    });

    it('the Close button closes the modal too', async () => {
      let view: PatTokenDetails | null = null;
      const closed = PatTokenDetails.open(makeToken({ name: 'close me' }), { onOpen: (el) => (view = el) });
      await waitUntil(() => view?.shadowRoot?.querySelector('dialog')?.open, 'open');
      view!.shadowRoot!.querySelector<HTMLButtonElement>('[part="close"]')!.click();
      await closed;
      expect(view!.isConnected).to.equal(false);
    });
  });
});
