/**
 * <pat-create-wizard> in real Chromium against MemoryProvider, an in-memory TEST DOUBLE of
 * TokenProvider (test/support/memory-provider.ts).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/create-wizard/create-wizard.ts';
import type { PatCreateWizard } from '../../../components/create-wizard/create-wizard.component.ts';
import type { PatRevealDialog } from '../../../components/reveal-dialog/reveal-dialog.component.ts';
import { ProviderError } from '../../../lib/errors.ts';
import { MemoryProvider, deepText, makeToken, makeUser, minimalCapabilities } from '../../support/memory-provider.ts';
import { describe, it } from '../../support/mocha.ts';
import { legend, next, q, sr, type } from './wizard-driver.ts';

const ADMIN_WARNING =
  'You are generating a personal access token with System Admin permissions. Are you sure want to create this token?';

const visible = (e: Element): boolean => (e as HTMLElement).offsetParent !== null || getComputedStyle(e).position === 'fixed';

async function setup(provider: MemoryProvider, me = provider.me): Promise<PatCreateWizard> {
  if (provider.me.id !== me.id) {
    provider.me = me;
    provider.users = [...provider.users, me];
  }
  const el = await fixture<PatCreateWizard>(html`<pat-create-wizard .provider=${provider} .currentUser=${me}></pat-create-wizard>`);
  await waitUntil(() => q(el, 'input[name="name"], textarea[name="description"]'), 'wizard rendered');
  return el;
}

describe('<pat-create-wizard>', () => {
  it('walks details → expiry → access → owner → confirm, each step accessible', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider, makeUser('u_bob', 'bob'));
    expect(legend(el)).to.equal('Details');
    await expect(el).to.be.accessible();
    type(el, 'input[name="name"]', 'deploy');
    type(el, 'textarea[name="description"]', 'CI deploys');
    await next(el);
    expect(legend(el)).to.equal('Expiry');
    const expiryLabels = [...sr(el).querySelectorAll('label.choice')].map((l) => l.textContent!.trim());
    expect(expiryLabels).to.deep.equal(['7 days', '30 days', '90 days', '1 year', 'Custom date', 'Never']);
    // Focus lands on the checked option (the 30-day default), not on the first radio.
    const focused = sr(el).activeElement as HTMLInputElement | null;
    expect(focused?.type).to.equal('radio');
    expect(focused?.checked, 'the focused radio is the checked one').to.equal(true);
    expect(focused?.closest('label')?.textContent?.trim()).to.equal('30 days');
    await expect(el).to.be.accessible();
    await next(el);
    expect(legend(el)).to.equal('Access');
    await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length === 3);
    await expect(el).to.be.accessible();
    await next(el);
    expect(legend(el)).to.equal('Owner');
    await expect(el).to.be.accessible();
    await next(el);
    expect(legend(el)).to.equal('Confirm');
    expect(sr(el).querySelector('dl')!.textContent).to.contain('deploy');
    await expect(el).to.be.accessible();
    const saved = oneEvent(el, 'pat-token-saved');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    const ev = await saved;
    expect(ev.detail.mode).to.equal('create');
    expect(ev.detail.token.name).to.equal('deploy');
    expect(JSON.stringify(ev.detail)).not.to.contain(provider.lastSecret!);
    const [, draft] = provider.calls.find(([m]) => m === 'createToken')!;
    expect(draft).to.deep.include({ name: 'deploy', description: 'CI deploys', scopes: ['tokens:read'] });
    // The secret goes straight into a reveal dialog, once.
    const reveal = sr(el).querySelector('pat-reveal-dialog') as PatRevealDialog;
    await waitUntil(() => reveal.shadowRoot?.querySelector('[part~="secret"]'));
    expect(reveal.shadowRoot!.querySelector('[part~="secret"]')!.textContent).to.equal(provider.lastSecret);
    // …and the wizard is reset for the next token.
    expect(legend(el)).to.equal('Details');
    expect(q<HTMLInputElement>(el, 'input[name="name"]')!.value).to.equal('');
    reveal.remove();
  });

  it('a System Admin owner sees the warning and must press "Yes, Create"', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider);
    type(el, 'input[name="name"]', 'admin token');
    await next(el);
    await next(el);
    await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length === 3);
    await next(el);
    await next(el);
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await el.updateComplete;
    const warning = q(el, '[part="admin-warning"]')!;
    expect(warning.getAttribute('role')).to.equal('alert');
    expect(warning.textContent).to.contain(ADMIN_WARNING);
    const yes = q<HTMLButtonElement>(el, '[part="admin-confirm"]')!;
    expect(yes.textContent!.trim()).to.equal('Yes, Create');
    // The safe choice is focused, so Enter right after the warning creates nothing.
    expect(sr(el).activeElement).to.equal(q(el, '[part="admin-cancel"]'));
    expect(provider.calls.some(([m]) => m === 'createToken')).to.equal(false);
    await expect(el).to.be.accessible();
    const saved = oneEvent(el, 'pat-token-saved');
    yes.click();
    await saved;
    const [, , confirm] = provider.calls.find(([m]) => m === 'createToken')!;
    expect(confirm).to.deep.equal({ acknowledge_admin_token: true });
    for (const d of sr(el).querySelectorAll('pat-reveal-dialog')) d.remove();
  });

  it('the server may also demand the acknowledgement (e.g. for another admin)', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider, makeUser('u_x', 'x'));
    provider.me = makeUser('u_x', 'x');
    provider.users = [...provider.users, provider.me];
    provider.failNext.set('createToken', new ProviderError('admin_token_acknowledgement_required', 'ack'));
    type(el, 'input[name="name"]', 't');
    el.capabilities = { ...provider.capabilities, createForOthers: false };
    await el.updateComplete;
    for (let i = 0; i < 3; i += 1) await next(el);
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await waitUntil(() => q(el, '[part="admin-warning"]'));
    expect(q(el, '[part="admin-warning"]')!.textContent).to.contain(ADMIN_WARNING);
  });

  it('validates fields and puts server field errors on the right field', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider, makeUser('u_bob', 'bob'));
    await next(el);
    expect(legend(el)).to.equal('Details');
    const name = q<HTMLInputElement>(el, 'input[name="name"]')!;
    expect(name.getAttribute('aria-invalid')).to.equal('true');
    expect(q(el, '#err-name')!.textContent).to.equal('Enter a name.');
    expect(sr(el).activeElement).to.equal(name);
    await expect(el).to.be.accessible();
    type(el, 'input[name="name"]', 'dup');
    for (let i = 0; i < 4; i += 1) await next(el);
    provider.failNext.set(
      'createToken',
      new ProviderError('validation_failed', 'Some fields are not valid.', { fieldErrors: [{ field: 'name', message: 'A token with this name exists.' }] }),
    );
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await waitUntil(() => legend(el) === 'Details' && q(el, '#err-name'));
    expect(q(el, '#err-name')!.textContent).to.equal('A token with this name exists.');
  });

  it('custom API methods: search, "Only checked", safe docs links only', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider, makeUser('u_bob', 'bob'));
    type(el, 'input[name="name"]', 'custom');
    await next(el);
    await next(el);
    await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length === 3);
    const custom = [...sr(el).querySelectorAll<HTMLInputElement>('input[name="access"]')].at(-1)!;
    custom.click();
    await el.updateComplete;
    const list = q(el, '[part="scope-list"]')!;
    expect(list.querySelectorAll('li')).to.have.length(3);
    // Only http(s) docs links are rendered; the javascript: one is dropped.
    const links = [...list.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://docs.example.com/tokens-read']);
    expect(links[0]!.getAttribute('rel')).to.contain('noopener');
    type(el, '.scope-tools input[type="search"]', 'post');
    await el.updateComplete;
    expect([...list.querySelectorAll('li label')].map((l) => l.textContent!.replace(l.querySelector('.scope-desc')!.textContent!, '').trim())).to.deep.equal(['post:all']);
    list.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    type(el, '.scope-tools input[type="search"]', '');
    q<HTMLInputElement>(el, '.scope-tools input[type="checkbox"]')!.click();
    await el.updateComplete;
    expect([...list.querySelectorAll('li label')].map((l) => l.textContent!.replace(l.querySelector('.scope-desc')!.textContent!, '').trim())).to.deep.equal(['tokens:read', 'post:all']);
    await expect(el).to.be.accessible();
  });

  it('adapts to the server: max lifetime, no "never", password; minimal servers skip steps', async () => {
    const provider = new MemoryProvider();
    provider.capabilities = {
      ...provider.capabilities,
      expiry: { mode: 'required', maxLifetimeDays: 90, defaultLifetimeDays: 30 },
      passwordConfirmation: 'always',
      createForOthers: false,
    };
    const el = await setup(provider, makeUser('u_bob', 'bob'));
    type(el, 'input[name="name"]', 'short');
    await next(el);
    const labels = [...sr(el).querySelectorAll('label.choice')].map((l) => l.textContent!.trim());
    expect(labels).to.deep.equal(['7 days', '30 days', '90 days', 'Custom date']);
    expect(sr(el).textContent).to.contain('Tokens may live at most 90 days.');
    await next(el);
    await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length === 3);
    await next(el);
    expect(legend(el)).to.equal('Confirm');
    const password = q<HTMLInputElement>(el, 'input[type="password"]')!;
    expect(password).to.exist;
    await expect(el).to.be.accessible();

    const minimal = new MemoryProvider({ capabilities: minimalCapabilities() });
    const small = await setup(minimal, makeUser('u_bob', 'bob'));
    expect(q(small, 'input[name="name"]')).to.equal(null);
    expect([...sr(small).querySelectorAll('[part="steps"] li')].map((li) => li.textContent)).to.deep.equal(['Details', 'Confirm']);
    type(small, 'textarea[name="description"]', 'npm publish');
    await next(small);
    const saved = oneEvent(small, 'pat-token-saved');
    q<HTMLButtonElement>(small, '[part="submit"]')!.click();
    await saved;
    const [, draft] = minimal.calls.find(([m]) => m === 'createToken')!;
    expect(draft).to.deep.include({ name: 'npm publish', scopes: [] });
    expect((draft as object)).not.to.have.property('expires_at');
    for (const d of sr(small).querySelectorAll('pat-reveal-dialog')) d.remove();
  });

  it('a wrong password lands on the password field', async () => {
    const provider = new MemoryProvider();
    provider.requiredPassword = 'right';
    provider.capabilities = { ...provider.capabilities, passwordConfirmation: 'always', createForOthers: false };
    const el = await setup(provider, makeUser('u_bob', 'bob'));
    type(el, 'input[name="name"]', 'pw');
    await next(el);
    await next(el);
    await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length === 3);
    await next(el);
    type(el, 'input[type="password"]', 'wrong');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await waitUntil(() => q(el, '#err-password'), 'password error shown');
    expect(q(el, '#err-password')!.textContent).to.equal('That password is not correct.');
    expect(q(el, 'input[type="password"]')!.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
    type(el, 'input[type="password"]', 'right');
    const saved = oneEvent(el, 'pat-token-saved');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await saved;
    for (const d of sr(el).querySelectorAll('pat-reveal-dialog')) d.remove();
  });

  it('edits a token (prefilled) and saves through updateToken', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'old name', scopes: ['tokens:read'] })] });
    const el = await setup(provider);
    await waitUntil(() => sr(el).querySelector('input[name="name"]'));
    el.startEdit(provider.tokens[0]!);
    await el.updateComplete;
    expect(q(el, 'h2')!.textContent).to.equal('Edit personal access token');
    expect(q<HTMLInputElement>(el, 'input[name="name"]')!.value).to.equal('old name');
    expect(q(el, '[part="regenerate"]')!.textContent!.trim()).to.equal('Regenerate token');
    type(el, 'input[name="name"]', 'new name');
    await next(el);
    await next(el);
    await next(el);
    expect(legend(el)).to.equal('Confirm');
    const saved = oneEvent(el, 'pat-token-saved');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    expect((await saved).detail.mode).to.equal('edit');
    expect(provider.tokens[0]!.name).to.equal('new name');
    expect(provider.calls.some(([m]) => m === 'createToken')).to.equal(false);
  });

  it('edit: a name change asks no password and has its own summary; widening scopes asks for it', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'old name', scopes: ['tokens:read'] })] });
    provider.capabilities = { ...provider.capabilities, passwordConfirmation: 'policy' };
    const el = await setup(provider);
    el.passwordRequired = true; // the server's policy is on: only sensitive changes need the password
    el.startEdit(provider.tokens[0]!);
    await el.updateComplete;
    type(el, 'input[name="name"]', 'renamed');
    for (let i = 0; i < 3; i += 1) await next(el);
    expect(legend(el)).to.equal('Confirm');
    expect(q(el, 'input[type="password"]') === null, 'no password for a rename').to.equal(true);
    const summary = q(el, 'fieldset > p.muted')!.textContent!.trim();
    expect(summary).to.equal('Check your changes before you save them.');
    await expect(el).to.be.accessible();
    const saved = oneEvent(el, 'pat-token-saved');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    const updated = (await saved).detail.token;
    const [, , patch, confirm] = provider.calls.find(([m]) => m === 'updateToken')!;
    expect((patch as { name: string }).name).to.equal('renamed');
    expect(confirm).to.deep.equal({});
    // More scopes is a sensitive change: now the password is asked for.
    el.startEdit(updated);
    await el.updateComplete;
    await next(el);
    await next(el);
    expect(legend(el)).to.equal('Access');
    const fullPreset = (): HTMLInputElement | undefined =>
      [...sr(el).querySelectorAll<HTMLInputElement>('input[name="access"]')].find((r) => r.closest('label')?.textContent?.includes('Full access'));
    await waitUntil(fullPreset, 'presets shown');
    fullPreset()!.click();
    await el.updateComplete;
    await next(el);
    expect(legend(el)).to.equal('Confirm');
    expect(q(el, 'input[type="password"]') !== null, 'password for more scopes').to.equal(true);
  });

  it('after a wrong password the System Admin acknowledgement stays confirmed and typing clears the error', async () => {
    const provider = new MemoryProvider();
    provider.requiredPassword = 'right';
    provider.capabilities = { ...provider.capabilities, passwordConfirmation: 'always' };
    const el = await setup(provider);
    type(el, 'input[name="name"]', 'admin token');
    await next(el);
    await next(el);
    await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length === 3);
    await next(el);
    await next(el);
    expect(legend(el)).to.equal('Confirm');
    type(el, 'input[type="password"]', 'wrong');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await el.updateComplete;
    q<HTMLButtonElement>(el, '[part="admin-confirm"]')!.click();
    await waitUntil(() => q(el, '#err-password'), 'password error shown');
    expect(q(el, '[part="admin-warning"]') === null, 'the warning is gone with the error').to.equal(true);
    type(el, 'input[type="password"]', 'right');
    await el.updateComplete;
    expect(q(el, '#err-password') === null, 'the stale error clears on typing').to.equal(true);
    expect(q(el, 'input[type="password"]')!.getAttribute('aria-invalid')).to.equal('false');
    const saved = oneEvent(el, 'pat-token-saved');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await el.updateComplete;
    expect(q(el, '[part="admin-warning"]') === null, 'not asked to confirm again').to.equal(true);
    await saved;
    const creates = provider.calls.filter(([m]) => m === 'createToken');
    expect(creates.at(-1)![2]).to.deep.equal({ password: 'right', acknowledge_admin_token: true });
    for (const d of sr(el).querySelectorAll('pat-reveal-dialog')) d.remove();
  });

  it('prefills when a host sets mode="edit" and token as properties', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'set by host', description: 'desc' })] });
    const token = provider.tokens[0]!;
    const el = await fixture<PatCreateWizard>(
      html`<pat-create-wizard mode="edit" .token=${token} .provider=${provider}></pat-create-wizard>`,
    );
    await waitUntil(() => q<HTMLInputElement>(el, 'input[name="name"]')?.value === 'set by host', 'prefilled');
    expect(q<HTMLTextAreaElement>(el, 'textarea[name="description"]')!.value).to.equal('desc');
  });

  it('admins pick the owner', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider, makeUser('u_bob', 'bob', ['user_access_token']));
    provider.users = [...provider.users, makeUser('u_carol', 'carol')];
    el.users = provider.users;
    type(el, 'input[name="name"]', 'for carol');
    await next(el);
    await next(el);
    await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length === 3);
    await next(el);
    const select = q<HTMLSelectElement>(el, 'select[name="owner_id"]')!;
    select.value = 'u_carol';
    select.dispatchEvent(new Event('change'));
    await next(el);
    expect(sr(el).querySelector('dl')!.textContent).to.contain('carol');
    const saved = oneEvent(el, 'pat-token-saved');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    expect((await saved).detail.token.owner.username).to.equal('carol');
    for (const d of sr(el).querySelectorAll('pat-reveal-dialog')) d.remove();
  });

  it('keyboard only: type, Enter through the steps, create', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider, makeUser('u_bob', 'bob'));
    q<HTMLInputElement>(el, 'input[name="name"]')!.focus();
    await sendKeys({ type: 'typed <b>name</b>' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => legend(el) === 'Expiry');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => legend(el) === 'Access');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => legend(el) === 'Owner');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => legend(el) === 'Confirm');
    const saved = oneEvent(el, 'pat-token-saved');
    await sendKeys({ press: 'Enter' });
    const ev = await saved;
    expect(ev.detail.token.name).to.equal('typed <b>name</b>');
    for (const d of sr(el).querySelectorAll('pat-reveal-dialog')) d.remove();
    expect(deepText(document)).not.to.contain(provider.lastSecret!);
  });

  it('without a provider, hands the draft to the host in a cancelable event', async () => {
    const el = await fixture<PatCreateWizard>(html`<pat-create-wizard></pat-create-wizard>`);
    type(el, 'input[name="name"]', 'host-made');
    for (let i = 0; i < 4; i += 1) await next(el);
    const submit = oneEvent(el, 'pat-wizard-submit');
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    const ev = await submit;
    expect(ev.cancelable).to.equal(true);
    expect(ev.detail.mode).to.equal('create');
    expect(ev.detail.draft.name).to.equal('host-made');
  });

  it('is form-associated: a host <form> sees the draft and its validity', async () => {
    const form = await fixture<HTMLFormElement>(html`<form><pat-create-wizard name="token"></pat-create-wizard></form>`);
    const el = form.querySelector('pat-create-wizard') as PatCreateWizard;
    await el.updateComplete;
    expect(el.form).to.equal(form);
    expect(form.checkValidity()).to.equal(false);
    type(el, 'input[name="name"]', 'from a form');
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(true);
    const draft = JSON.parse(String(new FormData(form).get('token')));
    expect(draft).to.deep.include({ name: 'from a form' });
  });

  it('while the System Admin question is open there is exactly one Cancel, and it returns to Create', async () => {
    const provider = new MemoryProvider();
    const el = await fixture<PatCreateWizard>(html`<pat-create-wizard .provider=${provider} .currentUser=${provider.me}></pat-create-wizard>`);
    const name = sr(el).querySelector<HTMLInputElement>('input[name="name"]')!;
    name.value = 'admin token';
    name.dispatchEvent(new InputEvent('input'));
    for (let i = 0; i < 4; i += 1) {
      sr(el).querySelector<HTMLButtonElement>('[part="next"]')!.click();
      await el.updateComplete;
    }
    sr(el).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    await waitUntil(() => sr(el).querySelector('[part="admin-warning"]'));
    const cancels = [...sr(el).querySelectorAll('button')].filter((b) => visible(b) && b.textContent!.trim() === 'Cancel');
    expect(cancels).to.have.length(1);
    expect(sr(el).querySelector('[part="admin-warning"]')!.textContent).to.contain(
      'You are generating a personal access token with System Admin permissions. Are you sure want to create this token?',
    );
    cancels[0]!.click();
    await waitUntil(() => !sr(el).querySelector('[part="admin-warning"]'));
    await el.updateComplete;
    expect(sr(el).activeElement).to.equal(sr(el).querySelector('[part="submit"]'));
    expect(provider.calls.some(([m]) => m === 'createToken')).to.equal(false);
  });

  it('the stepper marks the current step for assistive technology and ticks the done ones', async () => {
    const el = await fixture<PatCreateWizard>(html`<pat-create-wizard></pat-create-wizard>`);
    const name = sr(el).querySelector<HTMLInputElement>('input[name="name"]')!;
    name.value = 'x';
    name.dispatchEvent(new InputEvent('input'));
    sr(el).querySelector<HTMLButtonElement>('[part="next"]')!.click();
    await el.updateComplete;
    const steps = [...sr(el).querySelectorAll<HTMLElement>('[part="steps"] li')];
    expect(sr(el).querySelector('[part="steps"]')!.getAttribute('aria-label')).to.equal('Steps');
    expect(steps.map((li) => li.getAttribute('aria-current'))).to.deep.equal(['false', 'step', 'false', 'false', 'false']);
    expect(getComputedStyle(steps[0]!, '::before').content).to.equal('"✓"');
    expect(getComputedStyle(steps[1]!, '::before').content).to.equal('counter(step)');
  });
});
