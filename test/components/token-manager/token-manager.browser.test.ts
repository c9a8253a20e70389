/**
 * <pat-token-manager>: list + wizard + reveal wired together, against MemoryProvider, an in-memory
 * TEST DOUBLE of TokenProvider (test/support/memory-provider.ts).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../../components/token-manager/token-manager.ts';
import type { PatTokenManager } from '../../../components/token-manager/token-manager.component.ts';
import type { PatCreateWizard } from '../../../components/create-wizard/create-wizard.component.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { MemoryProvider, deepText, makeToken, makeUser } from '../../support/memory-provider.ts';
import { describe, it, before, after } from '../../support/mocha.ts';

const sr = (el: Element): ShadowRoot => el.shadowRoot!;

async function setup(provider: MemoryProvider): Promise<{ el: PatTokenManager; list: PatTokenList; wizard: PatCreateWizard }> {
  const el = await fixture<PatTokenManager>(html`<pat-token-manager .provider=${provider} heading="My tokens"></pat-token-manager>`);
  const list = sr(el).querySelector('pat-token-list') as PatTokenList;
  const wizard = sr(el).querySelector('pat-create-wizard') as PatCreateWizard;
  await waitUntil(() => !list.loading && el.currentUser, 'loaded');
  return { el, list, wizard };
}

function revealOf(el: PatTokenManager): HTMLElement | null {
  return sr(el).querySelector('pat-reveal-dialog');
}

describe('<pat-token-manager>', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  it('creates a token: wizard in a modal, secret shown once, list refreshed, secret gone after acknowledging', async () => {
    const bob = makeUser('u_bob', 'bob');
    const provider = new MemoryProvider({ me: bob, users: [bob] });
    provider.capabilities = { ...provider.capabilities, createForOthers: false };
    const { el, list, wizard } = await setup(provider);
    await expect(el).to.be.accessible();
    sr(el).querySelector<HTMLButtonElement>('[part="create"]')!.click();
    const dialog = sr(el).querySelector<HTMLDialogElement>('[part="wizard-dialog"]')!;
    await waitUntil(() => dialog.open);
    await wizard.updateComplete;
    await expect(el).to.be.accessible();
    const name = wizard.shadowRoot!.querySelector<HTMLInputElement>('input[name="name"]')!;
    name.focus();
    await sendKeys({ type: 'release bot' });
    for (const step of ['Expiry', 'Access', 'Confirm']) {
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => wizard.shadowRoot!.querySelector('legend')?.textContent === step, `step ${step}`);
    }
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => revealOf(el)?.shadowRoot?.querySelector('[part~="secret"]'), 'reveal shown');
    expect(dialog.open).to.equal(false);
    const secret = provider.lastSecret!;
    expect(revealOf(el)!.shadowRoot!.querySelector('[part~="secret"]')!.textContent).to.equal(secret);
    await waitUntil(() => list.tokens.some((t) => t.name === 'release bot'), 'list refreshed');
    await expect(revealOf(el)!).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => revealOf(el)?.shadowRoot?.querySelector('[part="acknowledge"]'));
    revealOf(el)!.shadowRoot!.querySelector<HTMLButtonElement>('[part="acknowledge"]')!.click();
    await waitUntil(() => !revealOf(el));
    expect(deepText(document)).not.to.contain(secret);
    await waitUntil(() => sr(el).activeElement === sr(el).querySelector('[part="create"]'), 'focus back on Create');
  });

  it('regenerate asks once: the confirmation holds the password field, then the new value is shown', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'rotate me' })] });
    provider.requiredPassword = 'pw';
    provider.capabilities = { ...provider.capabilities, passwordConfirmation: 'always' };
    const { el, list } = await setup(provider);
    await waitUntil(() => list.shadowRoot!.querySelector('[part~="row"]'));
    const saved = new Promise<CustomEvent>((resolve) => el.addEventListener('pat-token-saved', (e) => resolve(e as unknown as CustomEvent), { once: true }));
    list.shadowRoot!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
    await waitUntil(() => list.shadowRoot!.querySelector('[data-action="regenerate"]'));
    list.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="regenerate"]')!.click();
    const confirm = list.shadowRoot!.querySelector('pat-confirm-dialog')!;
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open);
    expect(confirm.shadowRoot!.textContent).to.contain('Regenerate this token?');
    const password = confirm.shadowRoot!.querySelector<HTMLInputElement>('input[type="password"]');
    expect(password !== null, 'the password is asked in the same dialog').to.equal(true);
    await expect(confirm).to.be.accessible();
    // Only the list's dialog exists: the manager has no second prompt to open.
    expect(sr(el).querySelector('pat-confirm-dialog') === null, 'no second prompt in the manager').to.equal(true);
    password!.focus();
    await sendKeys({ type: 'pw' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => revealOf(el)?.shadowRoot?.querySelector('[part~="secret"]'), 'new value shown');
    expect(confirm.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    const regenerates = provider.calls.filter(([m]) => m === 'regenerateToken');
    expect(regenerates).to.have.length(1);
    expect(regenerates[0]![2]).to.deep.equal({ password: 'pw' });
    expect((await saved).detail.mode).to.equal('regenerate');
    expect(revealOf(el)!.shadowRoot!.querySelector('[part~="secret"]')!.textContent).to.equal(provider.lastSecret);
    revealOf(el)!.remove();
  });

  it('regenerate from the edit view asks once too, and closes the wizard', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'edit me' })] });
    provider.requiredPassword = 'pw';
    provider.capabilities = { ...provider.capabilities, passwordConfirmation: 'always' };
    const { el, list, wizard } = await setup(provider);
    await waitUntil(() => list.shadowRoot!.querySelector('[part~="row"]'));
    await el.openEdit(list.tokens[0]!);
    await wizard.updateComplete;
    wizard.shadowRoot!.querySelector<HTMLButtonElement>('[part="regenerate"]')!.click();
    const confirm = wizard.shadowRoot!.querySelector('pat-confirm-dialog')!;
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open);
    const password = confirm.shadowRoot!.querySelector<HTMLInputElement>('input[type="password"]')!;
    expect(password !== null, 'the password is asked in the same dialog').to.equal(true);
    password.value = 'pw';
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    await waitUntil(() => revealOf(el)?.shadowRoot?.querySelector('[part~="secret"]'), 'new value shown');
    expect(provider.calls.filter(([m]) => m === 'regenerateToken').map((c) => c[2])).to.deep.equal([{ password: 'pw' }]);
    await waitUntil(() => !sr(el).querySelector<HTMLDialogElement>('[part="wizard-dialog"]')!.open, 'wizard closed');
    revealOf(el)!.remove();
  });

  it('edit and "copy as new token" open the wizard prefilled', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'source', owner: { kind: 'user', id: 'u_admin', username: 'admin', display_name: 'Admin' } })] });
    const { el, list, wizard } = await setup(provider);
    await waitUntil(() => list.shadowRoot!.querySelector('[part~="row"]'));
    list.shadowRoot!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
    await waitUntil(() => list.shadowRoot!.querySelector('[data-action="clone"]'));
    list.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="clone"]')!.click();
    const dialog = sr(el).querySelector<HTMLDialogElement>('[part="wizard-dialog"]')!;
    await waitUntil(() => dialog.open);
    await wizard.updateComplete;
    expect(wizard.shadowRoot!.querySelector<HTMLInputElement>('input[name="name"]')!.value).to.equal('source (copy)');
    expect(wizard.mode).to.equal('create');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open);
    list.shadowRoot!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
    await waitUntil(() => list.shadowRoot!.querySelector('[data-action="edit"]'));
    list.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="edit"]')!.click();
    await waitUntil(() => dialog.open);
    expect(wizard.mode).to.equal('edit');
    expect(wizard.shadowRoot!.querySelector('h2')!.textContent).to.equal('Edit personal access token');
  });

  it('says so, and offers no Create, when the server has personal access tokens switched off', async () => {
    const provider = new MemoryProvider();
    provider.settings = { ...provider.settings, enable_personal_access_tokens: false };
    const { el } = await setup(provider);
    await waitUntil(() => sr(el).querySelector('[part="message"]'), 'notice');
    expect(sr(el).querySelector('[part="message"]')!.textContent).to.equal('Personal access tokens are disabled on this server.');
    expect(sr(el).querySelector<HTMLButtonElement>('[part="create"]')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
