/**
 * Grace rotation, the details view and unused tokens in the kit, in real Chromium: regenerate with a grace period, the list's end of grace,
 * the token details view (loaded on first open) and the "Unused for" filter with "Disable unused…".
 * Data comes from MemoryProvider, the in-memory TEST DOUBLE of TokenProvider
 * (test/support/memory-provider.ts), which implements the server's rules for grace,
 * unused tokens and the per-token audit trail.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/token-list/token-list.ts';
import '../../components/locales/de.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import type { PatConfirmDialog } from '../../components/confirm-dialog/confirm-dialog.component.ts';
import type { PatTokenDetails } from '../../components/token-details/token-details.component.ts';
import type { PatTokenActionEvent } from '../../components/shared/events.ts';
import { ProviderError } from '../../lib/errors.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { createReferenceServerProvider } from '../../lib/providers/reference-server/provider.ts';
import { MemoryProvider, makeToken, makeUser, nextFrame } from '../support/memory-provider.ts';
import { loadEnv } from '../support/real-server.ts';
import { describe, it, before, after } from '../support/mocha.ts';

const DAY = 86_400_000;
const sr = (el: Element): ShadowRoot => el.shadowRoot!;
const rows = (el: PatTokenList): HTMLElement[] => [...sr(el).querySelectorAll<HTMLElement>('[part~="row"]')];
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

async function loaded(provider: MemoryProvider, owner = 'me', lang?: string): Promise<PatTokenList> {
  const el = await fixture<PatTokenList>(html`<pat-token-list lang=${lang ?? 'en'} .provider=${provider} owner=${owner}></pat-token-list>`);
  await waitUntil(() => !el.loading && rows(el).length > 0, 'rows rendered');
  return el;
}

const confirmOf = (el: Element): PatConfirmDialog => sr(el).querySelector('pat-confirm-dialog') as PatConfirmDialog;

async function confirmOpen(el: Element): Promise<ShadowRoot> {
  const dialog = confirmOf(el);
  await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open, 'confirmation open');
  return dialog.shadowRoot!;
}

async function menuAction(el: PatTokenList, index: number, action: string): Promise<void> {
  rows(el)[index]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
  await waitUntil(() => sr(el).querySelector(`[part="menu"] [data-action="${action}"]`), `menu item ${action}`);
  sr(el).querySelector<HTMLButtonElement>(`[part="menu"] [data-action="${action}"]`)!.click();
}

const details = (el: PatTokenList): PatTokenDetails | null => sr(el).querySelector('pat-token-details') as PatTokenDetails | null;

describe('grace rotation, details and unused tokens in the kit', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  describe('regenerate with a grace period', () => {
    it('offers none / 1 hour / 1 day / 7 days, passes the choice on, and the reveal says until when the old value works', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'ci deploy', last4: 'old1' })] });
      const el = await loaded(provider);
      const action = oneEvent(el, 'pat-token-action') as Promise<PatTokenActionEvent>;
      await menuAction(el, 0, 'regenerate');
      const root = await confirmOpen(el);
      const select = root.querySelector<HTMLSelectElement>('select')!;
      expect(root.querySelector('label')!.textContent).to.contain('Keep the old value working for');
      expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal(['None', '1 hour', '1 day', '7 days']);
      expect(select.value, 'default: the old value stops at once').to.equal('0');
      await expect(confirmOf(el)).to.be.accessible();
      select.value = '86400';
      root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      const reveal = (): Element | null => sr(el).querySelector('pat-reveal-dialog');
      await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part~="secret"]'), 'new value shown');
      // The grace choice reached the provider (this fails if the kit drops it).
      const call = provider.calls.find(([m]) => m === 'regenerateToken')!;
      expect(call[3]).to.deep.equal({ gracePeriodSeconds: 86_400 });
      expect((await action).detail).to.include({ action: 'regenerate', handled: true, gracePeriodSeconds: 86_400 });
      const grace = reveal()!.shadowRoot!.querySelector('[part="grace"]')!;
      expect(grace.textContent).to.match(/The old value keeps working until .+2\d{3}.+\(tomorrow\)/);
      reveal()!.remove();
      // The row now says the token is rotating, until when, relative too.
      await waitUntil(() => rows(el)[0]!.querySelector('.grace'), 'grace shown in the row');
      expect(rows(el)[0]!.querySelector('.grace')!.textContent).to.match(/^Old value works until .+ \(tomorrow\)$/);
      await expect(el).to.be.accessible();
    });

    it('keyboard: the grace choice is reachable and picked with the keys', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'keys' })] });
      const el = await loaded(provider);
      await menuAction(el, 0, 'regenerate');
      const root = await confirmOpen(el);
      // Focus starts on Cancel; Shift+Tab goes back to the choice.
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      expect(root.activeElement?.tagName).to.equal('SELECT');
      const select = root.querySelector('select')!;
      select.value = '3600';
      select.dispatchEvent(new Event('change'));
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      expect(root.activeElement?.getAttribute('part')).to.equal('confirm');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => provider.calls.some(([m]) => m === 'regenerateToken'), 'regenerated');
      expect(provider.calls.find(([m]) => m === 'regenerateToken')![3]).to.deep.equal({ gracePeriodSeconds: 3600 });
      sr(el).querySelector('pat-reveal-dialog')?.remove();
    });

    it('offers only what the server allows, and no choice at all when it keeps no old values', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'short' })] });
      provider.capabilities = { ...provider.capabilities, rotationGraceMaxSeconds: 3600 };
      const el = await loaded(provider);
      await menuAction(el, 0, 'regenerate');
      let root = await confirmOpen(el);
      expect([...root.querySelector('select')!.options].map((o) => o.value)).to.deep.equal(['0', '3600']);
      root.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
      await nextFrame();

      const none = new MemoryProvider({ tokens: [makeToken({ name: 'none' })] });
      none.capabilities = { ...none.capabilities, rotationGraceMaxSeconds: 0 };
      const plain = await loaded(none);
      await menuAction(plain, 0, 'regenerate');
      root = await confirmOpen(plain);
      expect(root.querySelector('select')).to.equal(null);
      expect(root.textContent).to.contain('The current value stops working at once');
      root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      await waitUntil(() => sr(plain).querySelector('pat-reveal-dialog'), 'revealed');
      const call = none.calls.find(([m]) => m === 'regenerateToken')!;
      expect(call).to.have.length(3);
      expect(sr(plain).querySelector('pat-reveal-dialog')!.shadowRoot!.querySelector('[part="grace"]')).to.equal(null);
      sr(plain).querySelector('pat-reveal-dialog')!.remove();
    });

    it('in German', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'de' })] });
      const el = await loaded(provider, 'me', 'de');
      await menuAction(el, 0, 'regenerate');
      const root = await confirmOpen(el);
      expect(root.textContent).to.contain('Alten Wert weiter gelten lassen für');
      expect([...root.querySelector('select')!.options].map((o) => o.textContent!.trim())).to.deep.equal(['Keine Frist', '1 Stunde', '1 Tag', '7 Tage']);
      root.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
    });
  });

  describe('end of grace', () => {
    it('"End grace now" asks first, calls endGrace, and the row no longer says rotating', async () => {
      const until = new Date(Date.now() + 5 * 3600_000).toISOString();
      const rotating = makeToken({ name: 'rotating', rotation: { previous_valid_until: until, previous_last4: 'Ab12' } });
      const provider = new MemoryProvider({ tokens: [rotating, makeToken({ name: 'steady' })] });
      const el = await loaded(provider);
      const row = rows(el).find((r) => r.textContent!.includes('rotating'))!;
      expect(row.querySelector('.grace')!.textContent).to.contain('(in 5 hours)');
      // Only a rotating token offers it.
      const steady = rows(el).findIndex((r) => r.textContent!.includes('steady'));
      rows(el)[steady]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
      await waitUntil(() => sr(el).querySelector('[part="menu"]'));
      expect(sr(el).querySelector('[data-action="end-grace"]')).to.equal(null);
      await sendKeys({ press: 'Escape' });

      const index = rows(el).indexOf(row);
      // A host can veto.
      const veto = (e: Event): void => e.preventDefault();
      el.addEventListener('pat-request-action', veto, { once: true });
      await menuAction(el, index, 'end-grace');
      await nextFrame();
      expect(confirmOf(el).shadowRoot!.querySelector('dialog')!.open).to.equal(false);
      expect(provider.calls.some(([m]) => m === 'endGrace')).to.equal(false);

      await menuAction(el, index, 'end-grace');
      const root = await confirmOpen(el);
      expect(root.textContent).to.contain('End the grace period?');
      expect(root.textContent).to.contain('(…Ab12) stops working at once');
      root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      await waitUntil(() => provider.calls.some(([m]) => m === 'endGrace'), 'endGrace called');
      await waitUntil(() => !sr(el).querySelector('.grace'), 'grace gone from the row');
      expect(provider.tokens.find((t) => t.id === rotating.id)!.rotation).to.equal(null);
    });
  });

  describe('token details', () => {
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
      await waitUntil(() => details(el)?.shadowRoot?.querySelector('dialog')?.open, 'details open');
      const d = details(el)!;
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
      await waitUntil(() => !details(el), 'details closed and removed');
      expect(sr(el).activeElement?.getAttribute('data-index')).to.equal('0');
    });

    it('an open details view follows the list: a refresh that brings a grace shows in the view at once', async () => {
      const token = makeToken({ name: 'follows the list' });
      const provider = new MemoryProvider({ tokens: [token] });
      const el = await loaded(provider);
      await menuAction(el, 0, 'details');
      await waitUntil(() => details(el)?.shadowRoot?.querySelector('dialog')?.open, 'details open');
      const d = details(el)!;
      const rotation = (): string => d.shadowRoot!.querySelector('[part="rotation"]')?.textContent ?? '';
      expect(rotation()).to.not.match(/Old value works until/);
      // Another tab (or the automation's owner) regenerates with a grace; the list refreshes.
      await provider.regenerateToken(token.id, undefined, { gracePeriodSeconds: 3600 });
      await el.refresh();
      await waitUntil(() => /Old value works until .+ \(in 1 hour\)/.test(rotation()), 'the open view shows the rotation');
      expect(d.token!.rotation).to.not.equal(null);
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !details(el), 'details closed');
    });

    it('the row menu opens it too; the audit trail pages, and shows its empty and error states', async () => {
      const token = makeToken({ name: 'busy' });
      const quiet = makeToken({ name: 'quiet' });
      const provider = new MemoryProvider({ tokens: [token, quiet] });
      for (let i = 0; i < 50; i += 1) await provider.regenerateToken(token.id, undefined, { gracePeriodSeconds: 60 });
      const el = await loaded(provider);
      const index = (name: string): number => rows(el).findIndex((r) => r.textContent!.includes(name));
      await menuAction(el, index('busy'), 'details');
      await waitUntil(() => details(el)?.shadowRoot?.querySelectorAll('[part="audit"] tbody tr').length === 20, 'first page');
      const d = details(el)!;
      d.shadowRoot!.querySelector<HTMLButtonElement>('[part="audit-more"]')!.click();
      await waitUntil(() => d.shadowRoot!.querySelectorAll('[part="audit"] tbody tr').length === 40, 'second page');
      d.shadowRoot!.querySelector<HTMLButtonElement>('[part="audit-more"]')!.click();
      await waitUntil(() => d.shadowRoot!.querySelectorAll('[part="audit"] tbody tr').length === 50, 'last page');
      expect(d.shadowRoot!.querySelector('[part="audit-more"]')).to.equal(null);
      d.shadowRoot!.querySelector<HTMLButtonElement>('[part="close"]')!.click();
      await waitUntil(() => !details(el), 'closed');

      await menuAction(el, index('quiet'), 'details');
      await waitUntil(() => details(el)?.shadowRoot?.textContent?.includes('No activity recorded for this token.'), 'empty state');
      details(el)!.close();

      provider.failNext.set('listAudit', new ProviderError('server_error', 'The audit log is unavailable.'));
      await menuAction(el, index('quiet'), 'details');
      await waitUntil(() => details(el)?.shadowRoot?.querySelector('[part="audit"] [role="alert"]'), 'error state');
      const alert = details(el)!.shadowRoot!.querySelector('[part="audit"] [role="alert"]')!;
      expect(alert.textContent).to.contain('Activity could not be loaded.');
      expect(alert.textContent).to.contain('The audit log is unavailable.');
      alert.querySelector('button')!.click();
      await waitUntil(() => details(el)?.shadowRoot?.textContent?.includes('No activity recorded for this token.'), 'retry worked');
      details(el)!.close();
    });

    it('shows no audit section where the server has none, and speaks German', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'de', recent_uses: [] })] });
      provider.capabilities = { ...provider.capabilities, audit: false };
      const el = await loaded(provider, 'me', 'de');
      await menuAction(el, 0, 'details');
      await waitUntil(() => details(el)?.shadowRoot?.querySelector('dialog')?.open, 'open');
      const d = details(el)!;
      expect(d.shadowRoot!.querySelector('[part="audit"]')).to.equal(null);
      expect(d.shadowRoot!.textContent).to.contain('Noch nicht verwendet.');
      expect(d.shadowRoot!.textContent).to.contain('Erstellt von');
      expect(provider.calls.some(([m]) => m === 'listAudit')).to.equal(false);
      d.close();
    });
  });

  describe('unused tokens', () => {
    function unusedSet(): MemoryProvider {
      return new MemoryProvider({
        tokens: [
          makeToken({ name: 'fresh', created_at: ago(200), last_used_at: ago(2) }),
          makeToken({ name: 'stale', created_at: ago(200), last_used_at: ago(120) }),
          makeToken({ name: 'never used', created_at: ago(100) }),
          makeToken({ name: 'off', created_at: ago(300), status: 'disabled' }),
        ],
      });
    }

    it('"Unused for 90 days" asks the server, then "Disable unused…" previews, confirms and disables exactly the preview', async () => {
      const provider = unusedSet();
      const el = await loaded(provider);
      const select = sr(el).querySelector<HTMLSelectElement>('[part="unused-filter"]')!;
      expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal(['Any time', '30 days', '60 days', '90 days', '180 days', 'Other…']);
      expect(sr(el).querySelector('[part="disable-unused"]')).to.equal(null);
      select.value = '90';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => rows(el).length === 2 && !el.loading, 'filtered by the server');
      expect(provider.calls.filter(([m]) => m === 'listTokens').at(-1)![1]).to.include({ unused_days: 90 });
      expect(el.visibleTokens.map((t) => t.name).sort()).to.deep.equal(['never used', 'stale']);

      const action = oneEvent(el, 'pat-token-action') as Promise<PatTokenActionEvent>;
      sr(el).querySelector<HTMLButtonElement>('[part="disable-unused"]')!.click();
      const root = await confirmOpen(el);
      expect(root.textContent).to.contain('Disable 2 unused tokens?');
      expect([...root.querySelectorAll('.items li')].map((li) => li.textContent).sort()).to.deep.equal(['never used', 'stale']);
      expect(provider.calls.filter(([m]) => m === 'disableUnusedTokens').map((c) => (c[1] as { dry_run: boolean }).dry_run)).to.deep.equal([true]);
      expect(provider.tokens.filter((t) => t.status === 'disabled')).to.have.length(1);
      await expect(confirmOf(el)).to.be.accessible();
      // Used between the preview and the confirmation: the server spares it.
      provider.tokens = provider.tokens.map((t) => (t.name === 'never used' ? { ...t, last_used_at: new Date().toISOString() } : t));
      root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      const done = await action;
      const real = provider.calls.filter(([m]) => m === 'disableUnusedTokens').at(-1)![1] as { dry_run: boolean; ids: string[]; days: number };
      expect(real.dry_run).to.equal(false);
      expect(real.days).to.equal(90);
      expect(real.ids).to.have.length(2);
      expect(done.detail).to.include({ action: 'disable-unused', handled: true, unusedDays: 90 });
      expect(done.detail.ids).to.have.length(1);
      expect(provider.tokens.find((t) => t.name === 'stale')!.status).to.equal('disabled');
      expect(provider.tokens.find((t) => t.name === 'never used')!.status).to.equal('active');
      await waitUntil(() => sr(el).querySelector('[part="notice"]')!.textContent === '1 token disabled.', 'result shown');
    });

    it('admin inventory: the preview names each token with its owner; nothing to disable says so', async () => {
      const alice = makeUser('u_alice', 'alice');
      const provider = new MemoryProvider({
        tokens: [
          makeToken({ name: 'old admin', created_at: ago(400) }),
          makeToken({ name: 'old alice', created_at: ago(400), owner: { kind: 'user', id: alice.id, username: 'alice', display_name: 'alice' } }),
        ],
      });
      const el = await loaded(provider, 'all');
      const select = sr(el).querySelector<HTMLSelectElement>('[part="unused-filter"]')!;
      select.value = '180';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => !el.loading && sr(el).querySelector('[part="disable-unused"]'));
      sr(el).querySelector<HTMLButtonElement>('[part="disable-unused"]')!.click();
      const root = await confirmOpen(el);
      expect([...root.querySelectorAll('.items li')].map((li) => li.textContent).sort()).to.deep.equal(['old admin (admin)', 'old alice (alice)']);
      expect((provider.calls.find(([m]) => m === 'disableUnusedTokens')![1] as { owner: string }).owner).to.equal('all');
      root.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
      await nextFrame();
      expect(provider.tokens.every((t) => t.status === 'active'), 'cancel changes nothing').to.equal(true);

      // A custom number of days; none of the tokens is that old.
      select.value = 'custom';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      const days = sr(el).querySelector<HTMLInputElement>('[part="unused-days"]')!;
      days.value = '0';
      days.dispatchEvent(new Event('change'));
      expect(days.validity.valid).to.equal(false);
      expect(days.validationMessage).to.equal('Enter a number of days from 1 to 3650.');
      days.value = '1000';
      days.dispatchEvent(new Event('change'));
      await waitUntil(() => !el.loading && provider.calls.filter(([m]) => m === 'listTokens').at(-1)![1] && (provider.calls.filter(([m]) => m === 'listTokens').at(-1)![1] as { unused_days?: number }).unused_days === 1000);
      await waitUntil(() => sr(el).querySelector('[part="disable-unused"]'));
      sr(el).querySelector<HTMLButtonElement>('[part="disable-unused"]')!.click();
      await waitUntil(() => sr(el).querySelector('[part="notice"]')!.textContent === 'No active tokens have gone unused for 1000 days.');
      expect(confirmOf(el).shadowRoot!.querySelector('dialog')!.open).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('property mode: the list filters by the same rule and hands the confirmed ids to the host', async () => {
      const provider = unusedSet();
      const el = await fixture<PatTokenList>(html`<pat-token-list .tokens=${provider.tokens}></pat-token-list>`);
      const select = sr(el).querySelector<HTMLSelectElement>('[part="unused-filter"]')!;
      select.value = '90';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      expect(el.visibleTokens.map((t) => t.name).sort()).to.deep.equal(['never used', 'stale']);
      const action = oneEvent(el, 'pat-token-action') as Promise<PatTokenActionEvent>;
      sr(el).querySelector<HTMLButtonElement>('[part="disable-unused"]')!.click();
      const root = await confirmOpen(el);
      root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      const done = await action;
      expect(done.detail).to.include({ action: 'disable-unused', handled: false, unusedDays: 90 });
      expect(done.detail.ids).to.have.length(2);
    });
  });

  describe('against the real patkit server (patkit provider over HTTP)', () => {
    it('regenerate with 1 hour keeps the old value working, the row shows it, End grace now ends it; details show the audit trail', async () => {
      const env = await loadEnv();
      const provider = createReferenceServerProvider({ baseUrl: env.serverUrl });
      await provider.signIn({ kind: 'password', username: 'admin', password: env.adminPassword });
      await provider.refreshCapabilities();
      expect(provider.capabilities.rotationGraceMaxSeconds).to.be.greaterThan(3599);
      const name = `grace ${Date.now()}`;
      const created = await provider.createToken({ name, scopes: ['tokens:read'] }, { password: env.adminPassword, acknowledge_admin_token: true });
      const el = await fixture<PatTokenList>(html`<pat-token-list .provider=${provider}></pat-token-list>`);
      await waitUntil(() => !el.loading && rows(el).some((r) => r.textContent!.includes(name)), 'token listed', { timeout: 10000 });
      const index = (): number => rows(el).findIndex((r) => r.textContent!.includes(name));
      const answer = async (): Promise<void> => {
        const root = await confirmOpen(el);
        const password = root.querySelector<HTMLInputElement>('input[type="password"]');
        if (password) password.value = env.adminPassword;
        root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      };
      await menuAction(el, index(), 'regenerate');
      const root = await confirmOpen(el);
      const select = root.querySelector<HTMLSelectElement>('select')!;
      select.value = '3600';
      await answer();
      const reveal = (): Element | null => sr(el).querySelector('pat-reveal-dialog');
      await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part="grace"]'), 'grace in the reveal', { timeout: 10000 });
      reveal()!.remove();
      const rotating = await provider.getToken(created.token.id);
      expect(rotating.rotation?.previous_last4).to.equal(created.token.last4);
      const until = Date.parse(rotating.rotation!.previous_valid_until);
      expect(until - Date.now()).to.be.within(3500_000, 3600_000);
      await waitUntil(() => rows(el)[index()]?.querySelector('.grace'), 'grace in the row');
      expect(rows(el)[index()]!.querySelector('.grace')!.textContent).to.contain('(in 1 hour)');

      await menuAction(el, index(), 'details');
      await waitUntil(() => details(el)?.shadowRoot?.querySelector('[part="audit"] tbody'), 'audit from the server', { timeout: 10000 });
      const audit = details(el)!.shadowRoot!.querySelector('[part="audit"] tbody')!.textContent!;
      expect(audit).to.contain('token.regenerated');
      expect(audit).to.contain('token.created');
      details(el)!.close();

      await menuAction(el, index(), 'end-grace');
      await answer();
      await waitUntil(() => !rows(el)[index()]?.querySelector('.grace'), 'grace ended in the row', { timeout: 10000 });
      expect((await provider.getToken(created.token.id)).rotation ?? null).to.equal(null);
      await provider.deleteToken(created.token.id, { password: env.adminPassword });
    });
  });
});
