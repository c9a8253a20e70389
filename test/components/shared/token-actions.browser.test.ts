/**
 * The token actions a list runs (components/shared/token-actions.ts), in real Chromium through
 * `<pat-token-list>`: one confirmation per change with the password in it when the server wants it,
 * learning a password policy the list did not know, copy id, regenerate with a grace period and
 * "End grace now". Data comes from MemoryProvider, an in-memory TEST DOUBLE of TokenProvider
 * (test/support/memory-provider.ts); the last test runs against the real patkit server.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../../components/locales/de.ts';
import type { PatTokenActionEvent } from '../../../components/shared/events.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { createReferenceServerProvider } from '../../../lib/providers/reference-server/provider.ts';
import { MemoryProvider, makeToken, makeTokens, nextFrame } from '../../support/memory-provider.ts';
import { describe, it, before, after } from '../../support/mocha.ts';
import { loadEnv } from '../../support/real-server.ts';
import { answerConfirm, confirmOf, confirmOpen, detailsOf, loaded, menuAction, rows, sr } from '../token-list/list-fixture.ts';

describe('token actions from <pat-token-list>', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  describe('delete, disable, enable and regenerate ask once', () => {
    it('row menu: disable asks first, enable asks for the password when the server wants it', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'one' })] });
      provider.requiredPassword = 'hunter2';
      provider.capabilities = { ...provider.capabilities, passwordConfirmation: 'always' };
      const el = await loaded(provider);
      rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
      await waitUntil(() => sr(el).querySelector('[part="menu"]'));
      const menu = sr(el).querySelector('[part="menu"]')!;
      await expect(el).to.be.accessible();
      const labels = [...menu.querySelectorAll('[role="menuitem"]')].map((b) => b.textContent!.trim());
      expect(labels).to.deep.equal(['Details', 'Copy token ID', 'Edit', 'Copy as new token', 'Regenerate', 'Disable', 'Delete']);
      menu.querySelector<HTMLButtonElement>('[data-action="disable"]')!.click();
      // Each question names its token.
      await waitUntil(() => confirmOf(el).shadowRoot!.querySelector('dialog')?.open, 'disable question');
      expect(confirmOf(el).shadowRoot!.querySelector('h2')!.textContent).to.equal('Disable “one”?');
      await answerConfirm(el);
      await waitUntil(() => provider.tokens[0]!.status === 'disabled', 'disabled on the server');
      await waitUntil(() => rows(el)[0]?.querySelector('.status.disabled'), 'row shows disabled');

      rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
      await waitUntil(() => sr(el).querySelector('[data-action="enable"]'), 'enable offered');
      sr(el).querySelector<HTMLButtonElement>('[data-action="enable"]')!.click();
      await waitUntil(() => confirmOf(el).shadowRoot!.querySelector('dialog')?.open, 'enable question');
      const enableText = confirmOf(el).shadowRoot!.querySelector('form')!.textContent!;
      expect(confirmOf(el).shadowRoot!.querySelector('h2')!.textContent).to.equal('Enable “one”?');
      expect(enableText.split('Enter your password to confirm this change.').length - 1, 'the sentence once').to.equal(1);
      await answerConfirm(el, 'wrong');
      // The server refuses the wrong password: the list asks again, showing why.
      await waitUntil(() => confirmOf(el).shadowRoot!.textContent!.includes('That password is not correct.'), 'asked again');
      await answerConfirm(el, 'hunter2');
      await waitUntil(() => provider.tokens[0]!.status === 'active', 'enabled');
    });

    it('regenerate stays in its dialog, busy with "Regenerating…", until the reveal opens; Escape meanwhile does not end it', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'slow' })] });
      // The server takes its time (password hashing, network): hold the answer until released.
      let release: () => void = () => {};
      const regenerate = provider.regenerateToken.bind(provider);
      provider.regenerateToken = async (...args) => {
        await new Promise<void>((r) => (release = r));
        return regenerate(...args);
      };
      const el = await loaded(provider);
      const trigger = rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!;
      await menuAction(el, 0, 'regenerate');
      const root = await confirmOpen(el);
      root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      const confirm = root.querySelector<HTMLButtonElement>('[part="confirm"]')!;
      await waitUntil(() => confirm.textContent!.trim() === 'Regenerating…', 'busy label');
      expect(root.querySelector('dialog')!.open, 'the dialog stays').to.equal(true);
      expect(confirm.disabled).to.equal(true);
      expect(root.querySelector<HTMLButtonElement>('[part="cancel"]')!.disabled).to.equal(true);
      expect(root.querySelector('form')!.getAttribute('aria-busy')).to.equal('true');
      expect(confirm.querySelector('.spinner')).not.to.equal(null);
      expect(sr(el).querySelector('pat-reveal-dialog')).to.equal(null);
      await sendKeys({ press: 'Escape' });
      expect(root.querySelector('dialog')!.open, 'Escape does not abandon a change under way').to.equal(true);
      release();
      const reveal = (): Element | null => sr(el).querySelector('pat-reveal-dialog');
      await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part~="secret"]'), 'new value shown');
      await waitUntil(() => !root.querySelector('dialog')!.open, 'the question gives way to the reveal');
      reveal()!.shadowRoot!.querySelector<HTMLButtonElement>('[part="close"]')!.click();
      await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part="acknowledge"]'));
      reveal()!.shadowRoot!.querySelector<HTMLButtonElement>('[part="acknowledge"]')!.click();
      await waitUntil(() => !reveal());
      expect(sr(el).activeElement === trigger || sr(el).activeElement === rows(el)[0], 'focus back at the row').to.equal(true);
    });

    it('keyboard: regenerate with a password policy is one dialog (question + password), then the new value once', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'rotate' })] });
      provider.requiredPassword = 'hunter2';
      provider.capabilities = { ...provider.capabilities, passwordConfirmation: 'always' };
      const el = await loaded(provider);
      const dialog = confirmOf(el);
      let asked = 0;
      const ask = dialog.ask.bind(dialog);
      dialog.ask = (request) => ((asked += 1), ask(request));
      rows(el)[0]!.focus();
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'F10' });
      await sendKeys({ up: 'Shift' });
      await waitUntil(() => sr(el).querySelector('[part="menu"]'));
      for (let i = 0; i < 4; i += 1) await sendKeys({ press: 'ArrowDown' });
      expect(sr(el).activeElement?.textContent?.trim()).to.equal('Regenerate');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open, 'confirmation open');
      expect(dialog.shadowRoot!.textContent).to.contain('Regenerate this token?');
      expect(dialog.shadowRoot!.activeElement === dialog.shadowRoot!.querySelector('input[type="password"]'), 'focus starts in the password field').to.equal(true);
      await expect(dialog).to.be.accessible();
      await sendKeys({ type: 'hunter2' });
      await sendKeys({ press: 'Enter' });
      const reveal = (): Element | null => sr(el).querySelector('pat-reveal-dialog');
      await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part~="secret"]'), 'new value shown');
      expect(asked).to.equal(1);
      expect(provider.calls.filter(([m]) => m === 'regenerateToken').map((c) => c[2])).to.deep.equal([{ password: 'hunter2' }]);
      expect(reveal()!.shadowRoot!.querySelector('[part~="secret"]')!.textContent).to.equal(provider.lastSecret);
      reveal()!.remove();
    });

    it('delete and bulk delete with a password policy ask once, password included', async () => {
      const provider = new MemoryProvider({ tokens: makeTokens(3) });
      provider.requiredPassword = 'hunter2';
      const el = await loaded(provider);
      el.passwordRequired = true;
      const dialog = confirmOf(el);
      let asked = 0;
      const ask = dialog.ask.bind(dialog);
      dialog.ask = (request) => ((asked += 1), ask(request));
      rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
      await waitUntil(() => sr(el).querySelector('[data-action="delete"]'));
      sr(el).querySelector<HTMLButtonElement>('[data-action="delete"]')!.click();
      await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
      expect(dialog.shadowRoot!.textContent).to.contain('Delete');
      await answerConfirm(el, 'hunter2');
      await waitUntil(() => provider.tokens.length === 2, 'deleted');
      expect(asked).to.equal(1);
      // Bulk: select both rows (Ctrl+A), Delete key, one dialog with the password.
      rows(el)[0]!.focus();
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'a' });
      await sendKeys({ up: 'Control' });
      await waitUntil(() => el.selectedIds.length === 2, 'all selected');
      await sendKeys({ press: 'Delete' });
      await waitUntil(() => dialog.shadowRoot!.querySelector('input[type="password"]'), 'password in the delete dialog');
      await expect(dialog).to.be.accessible();
      await sendKeys({ type: 'hunter2' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => provider.tokens.length === 0, 'bulk deleted');
      expect(asked).to.equal(2);
    });

    it('learns the policy: when the server asks for a password the list did not expect, it asks for it alone, then includes it from then on', async () => {
      const provider = new MemoryProvider({ tokens: makeTokens(2) });
      provider.requiredPassword = 'hunter2';
      provider.capabilities = { ...provider.capabilities, passwordConfirmation: 'policy' };
      const el = await loaded(provider);
      const dialog = confirmOf(el);
      rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
      await waitUntil(() => sr(el).querySelector('[data-action="delete"]'));
      sr(el).querySelector<HTMLButtonElement>('[data-action="delete"]')!.click();
      await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
      expect(dialog.shadowRoot!.querySelector('input[type="password"]') === null, 'policy unknown: no field yet').to.equal(true);
      await answerConfirm(el);
      await waitUntil(() => dialog.shadowRoot!.querySelector('input[type="password"]'), 'the server wants the password');
      expect(dialog.shadowRoot!.textContent).to.contain('Enter your password to confirm this change.');
      await answerConfirm(el, 'hunter2');
      await waitUntil(() => provider.tokens.length === 1, 'deleted');
      rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
      await waitUntil(() => sr(el).querySelector('[data-action="delete"]'));
      sr(el).querySelector<HTMLButtonElement>('[data-action="delete"]')!.click();
      await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
      expect(dialog.shadowRoot!.querySelector('input[type="password"]') !== null, 'asked at once the second time').to.equal(true);
      await answerConfirm(el, 'hunter2');
      await waitUntil(() => provider.tokens.length === 0, 'deleted too');
    });

    it('the delete confirmation names a single token, and counts several', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'ci-deploy' }), makeToken({ name: 'backup' })] });
      const el = await loaded(provider);
      const dialog = confirmOf(el);
      const row = rows(el).find((r) => r.textContent!.includes('ci-deploy'))!;
      row.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
      await waitUntil(() => sr(el).querySelector('[data-action="delete"]'));
      sr(el).querySelector<HTMLButtonElement>('[data-action="delete"]')!.click();
      await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open, 'confirmation open');
      expect(dialog.shadowRoot!.textContent).to.contain('Delete "ci-deploy"?');
      expect(dialog.shadowRoot!.textContent).to.contain('The token "ci-deploy" is deleted permanently.');
      dialog.shadowRoot!.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
      await waitUntil(() => !dialog.shadowRoot!.querySelector('dialog')?.open, 'closed');
      expect(provider.tokens).to.have.length(2);
      sr(el).querySelector<HTMLInputElement>('[part="header"] input[type="checkbox"]')!.click();
      await el.updateComplete;
      sr(el).querySelector<HTMLButtonElement>('[part="bulk-delete"]')!.click();
      await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open, 'bulk confirmation open');
      expect(dialog.shadowRoot!.textContent).to.contain('Delete 2 tokens?');
      expect(dialog.shadowRoot!.textContent).not.to.contain('ci-deploy');
    });
  });

  describe('copy the token id', () => {
    it('copies a token id with feedback, and says the id when the clipboard refuses', async () => {
      const el = await loaded(new MemoryProvider({ tokens: [makeToken({ name: 'copy me' })] }));
      const id = el.visibleTokens[0]!.id;
      const original = navigator.clipboard.writeText;
      let written = '';
      try {
        Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: async (t: string) => void (written = t) });
        rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
        await waitUntil(() => sr(el).querySelector('[data-action="copy-id"]'));
        sr(el).querySelector<HTMLButtonElement>('[data-action="copy-id"]')!.click();
        await waitUntil(() => sr(el).querySelector('.visually-hidden[role="status"]')!.textContent === 'Token ID copied.');
        expect(written).to.equal(id);
        Object.defineProperty(navigator.clipboard, 'writeText', {
          configurable: true,
          value: async () => {
            throw new DOMException('denied', 'NotAllowedError');
          },
        });
        rows(el)[0]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
        await waitUntil(() => sr(el).querySelector('[data-action="copy-id"]'));
        sr(el).querySelector<HTMLButtonElement>('[data-action="copy-id"]')!.click();
        await waitUntil(() => sr(el).querySelector('.visually-hidden[role="status"]')!.textContent!.includes(id));
      } finally {
        Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: original });
      }
    });
  });

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
      await waitUntil(() => detailsOf(el)?.shadowRoot?.querySelector('[part="audit"] tbody'), 'audit from the server', { timeout: 10000 });
      const audit = detailsOf(el)!.shadowRoot!.querySelector('[part="audit"] tbody')!.textContent!;
      expect(audit).to.contain('token.regenerated');
      expect(audit).to.contain('token.created');
      detailsOf(el)!.close();

      await menuAction(el, index(), 'end-grace');
      await answer();
      await waitUntil(() => !rows(el)[index()]?.querySelector('.grace'), 'grace ended in the row', { timeout: 10000 });
      expect((await provider.getToken(created.token.id)).rotation ?? null).to.equal(null);
      await provider.deleteToken(created.token.id, { password: env.adminPassword });
    });
  });
});
