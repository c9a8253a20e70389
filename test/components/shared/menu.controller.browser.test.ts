/** MenuController: opens at its trigger, focuses the first item, arrow keys wrap, Escape returns focus. */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement, nothing } from 'lit';
import { MenuController } from '../../../components/shared/menu.controller.ts';
import { describe, it } from '../../support/mocha.ts';

class MenuHost extends LitElement {
  readonly menu = new MenuController(this, { itemSelector: '[role="menuitem"]', width: 100, height: 80 });
  override render() {
    const m = this.menu;
    return html`<button class="trigger" @click=${(e: Event) => void m.open('x1', e.currentTarget as HTMLElement)}>open</button>
      ${m.openFor
        ? html`<div role="menu" style="position:fixed;top:${m.top}px;left:${m.left}px" @keydown=${m.onKeydown} @focusout=${m.onFocusout}>
            <button role="menuitem">one</button><button role="menuitem">two</button><button role="menuitem">three</button>
          </div>`
        : nothing}`;
  }
}
customElements.define('test-menu-host', MenuHost);

describe('MenuController', () => {
  it('keyboard: first item focused, Down/Up wrap, End, Escape closes and returns focus to the trigger', async () => {
    const el = await fixture<MenuHost>(html`<test-menu-host></test-menu-host>`);
    const root = el.shadowRoot!;
    const trigger = root.querySelector<HTMLButtonElement>('.trigger')!;
    trigger.click();
    await el.updateComplete;
    await new Promise((r) => setTimeout(r));
    expect(el.menu.openFor).to.equal('x1');
    const focused = (): string => root.activeElement?.textContent ?? '';
    expect(focused()).to.equal('one');
    await sendKeys({ press: 'ArrowUp' });
    expect(focused()).to.equal('three');
    await sendKeys({ press: 'ArrowDown' });
    expect(focused()).to.equal('one');
    await sendKeys({ press: 'End' });
    expect(focused()).to.equal('three');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.menu.openFor).to.equal(null);
    expect(root.querySelector('[role="menu"]')).to.equal(null);
    expect(root.activeElement).to.equal(trigger);
  });

  it('stays inside the window: left clamped to 8px, opens above a trigger near the bottom', async () => {
    const el = await fixture<MenuHost>(html`<test-menu-host></test-menu-host>`);
    const trigger = el.shadowRoot!.querySelector<HTMLButtonElement>('.trigger')!;
    trigger.style.cssText = `position:fixed;left:0;top:${window.innerHeight - 30}px;width:20px;height:20px`;
    await el.menu.open('x2', trigger);
    const rect = trigger.getBoundingClientRect();
    expect(el.menu.left).to.equal(8);
    expect(el.menu.top).to.equal(rect.top - 80 - 4);
    el.menu.close(false);
  });
});
