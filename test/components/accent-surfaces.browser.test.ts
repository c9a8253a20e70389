/**
 * Geometry and colour the axe pass in themes.browser.test.ts cannot see: with the README's dark
 * theme and accent #6d28d9 a checked radio stands out from the surface (≥ 3:1, WCAG's non-text
 * contrast), a token manager forced dark on a light page keeps its content off its painted edge,
 * and a focused list row draws its ring inside itself. Data from MemoryProvider, an in-memory TEST
 * DOUBLE of TokenProvider.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../components/index.ts';
import type { PatCreateWizard } from '../../components/create-wizard/create-wizard.component.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import type { PatTokenManager } from '../../components/token-manager/token-manager.component.ts';
import { MemoryProvider, makeToken } from '../support/memory-provider.ts';
import { describe, it, before, after } from '../support/mocha.ts';

/** Any CSS colour (oklch, lch, …) as sRGB bytes, through a canvas. */
function rgb(color: string): [number, number, number] {
  const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number): number => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(rgb(a)), luminance(rgb(b))].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('accent and surfaces', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  it('with a dark theme and accent #6d28d9 a checked radio keeps 3:1 against the background', async () => {
    const provider = new MemoryProvider();
    const el = await fixture<PatCreateWizard>(
      html`<pat-create-wizard style="--pat-accent: #6d28d9; color-scheme: dark" .provider=${provider} .currentUser=${provider.me}></pat-create-wizard>`,
    );
    // Past the name step to the expiry step's radios.
    const name = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="name"]')!;
    name.value = 'deploy';
    name.dispatchEvent(new InputEvent('input'));
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="next"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('input[type="radio"]:checked'), 'a checked radio');
    const radio = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="radio"]:checked')!;
    const background = getComputedStyle(el).backgroundColor;
    expect(contrast(getComputedStyle(radio).accentColor, background)).to.be.at.least(3);
  });

  it('a token manager forced dark on a light page has inner padding', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'ci' })] });
    const el = await fixture<PatTokenManager>(
      html`<pat-token-manager style="color-scheme: dark" heading="Tokens" .provider=${provider} .currentUser=${provider.me}></pat-token-manager>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelector('[part="header"]'), 'header');
    const host = el.getBoundingClientRect();
    const header = el.shadowRoot!.querySelector('[part="header"]')!.getBoundingClientRect();
    expect(header.left - host.left).to.be.at.least(8);
    expect(header.top - host.top).to.be.at.least(8);
  });

  it('a focused row draws its focus ring inside its own box', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'a' }), makeToken({ name: 'b' })] });
    const el = await fixture<PatTokenList>(html`<pat-token-list .provider=${provider} owner="me"></pat-token-list>`);
    await waitUntil(() => !el.loading && el.shadowRoot!.querySelectorAll('[part~="row"]').length > 1, 'rows');
    const row = el.shadowRoot!.querySelector<HTMLElement>('[part~="row"]')!;
    row.focus({ focusVisible: true } as FocusOptions);
    await waitUntil(() => row.matches(':focus-visible'), 'focus visible');
    const style = getComputedStyle(row);
    expect(parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth), 'outline inside the row').to.be.at.most(0);
    expect(style.boxShadow, 'no ring outside the row').to.equal('none');
  });
});
