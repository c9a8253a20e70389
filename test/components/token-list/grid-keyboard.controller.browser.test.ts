/** GridKeyboardController: keys on a row become intents; keys elsewhere are ignored. */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { GridKeyboardController } from '../../../components/token-list/grid-keyboard.controller.ts';
import { describe, it } from '../../support/mocha.ts';

class GridHost extends LitElement {
  log: string[] = [];
  readonly keys = new GridKeyboardController(this, {
    rowSelector: '.row',
    actionsSelector: '.more',
    count: () => 30,
    move: (to, from, extend) => this.log.push(`move ${from}->${to}${extend ? ' extend' : ''}`),
    toggle: (i) => this.log.push(`toggle ${i}`),
    selectAll: () => this.log.push('all'),
    activate: (i) => this.log.push(`activate ${i}`),
    remove: (i) => this.log.push(`remove ${i}`),
    openMenu: (i) => this.log.push(`menu ${i}`),
  });
  override render() {
    return html`<input class="outside" />
      ${[0, 1, 29].map((i) => html`<div class="row" tabindex="0" data-index=${i}>row ${i}<button class="more">⋯</button></div>`)}`;
  }
}
customElements.define('test-grid-host', GridHost);

describe('GridKeyboardController', () => {
  it('maps arrows, Home/End, Page keys, Space, Ctrl+A, Enter, Delete and Shift+F10 on a row', async () => {
    const el = await fixture<GridHost>(html`<test-grid-host></test-grid-host>`);
    el.shadowRoot!.querySelector<HTMLElement>('.row[data-index="1"]')!.focus();
    for (const press of ['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp']) await sendKeys({ press });
    const chord = async (modifier: string, press: string): Promise<void> => {
      await sendKeys({ down: modifier });
      await sendKeys({ press });
      await sendKeys({ up: modifier });
    };
    await chord('Shift', 'ArrowDown');
    await sendKeys({ press: 'Space' });
    await chord('Control', 'a');
    for (const press of ['Enter', 'Delete']) await sendKeys({ press });
    await chord('Shift', 'F10');
    expect(el.log).to.deep.equal([
      'move 1->2',
      'move 1->0',
      'move 1->0',
      'move 1->29',
      'move 1->11',
      'move 1->0',
      'move 1->2 extend',
      'toggle 1',
      'all',
      'activate 1',
      'remove 1',
      'menu 1',
    ]);
  });

  it('Right goes to the row actions, Left comes back; keys outside rows do nothing', async () => {
    const el = await fixture<GridHost>(html`<test-grid-host></test-grid-host>`);
    const row = el.shadowRoot!.querySelector<HTMLElement>('.row[data-index="29"]')!;
    row.focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(el.shadowRoot!.activeElement).to.equal(row.querySelector('.more'));
    await sendKeys({ press: 'ArrowLeft' });
    expect(el.shadowRoot!.activeElement).to.equal(row);
    await sendKeys({ press: 'ArrowDown' });
    expect(el.log).to.deep.equal(['move 29->29']);
    el.shadowRoot!.querySelector<HTMLInputElement>('.outside')!.focus();
    await sendKeys({ press: 'Delete' });
    expect(el.log).to.have.length(1);
  });
});
