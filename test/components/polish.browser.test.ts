/**
 * Details a person notices: toolbar controls at the buttons' font size, a list box as
 * tall as its rows when there are few, one Cancel while the System Admin question is open, and a
 * stepper that says which step is current. Data from MemoryProvider, an in-memory TEST DOUBLE.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../components/token-list/token-list.ts';
import '../../components/create-wizard/create-wizard.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import type { PatCreateWizard } from '../../components/create-wizard/create-wizard.component.ts';
import { MemoryProvider, makeTokens } from '../support/memory-provider.ts';
import { describe, it, before, after } from '../support/mocha.ts';

const sr = (el: Element): ShadowRoot => el.shadowRoot!;
const visible = (e: Element): boolean => (e as HTMLElement).offsetParent !== null || getComputedStyle(e).position === 'fixed';

describe('polish', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

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
