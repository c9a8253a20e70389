/** SelectionController on a bare host element: plain, toggle, range, select all, pruning. */
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { SelectionController } from '../../../components/token-list/selection.controller.ts';
import { describe, it } from '../../support/mocha.ts';

class SelectionHost extends LitElement {
  items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }];
  universe = this.items;
  changes: string[][] = [];
  renders = 0;
  readonly selection = new SelectionController(this, {
    items: () => this.items,
    universe: () => this.universe,
    onChange: (ids) => this.changes.push(ids),
  });
  override render() {
    this.renders += 1;
    return html`${this.selection.ids.join(',')}`;
  }
}
customElements.define('test-selection-host', SelectionHost);

describe('SelectionController', () => {
  it('selects one, toggles with Ctrl, extends a range with Shift from the anchor, and re-renders its host', async () => {
    const el = await fixture<SelectionHost>(html`<test-selection-host></test-selection-host>`);
    const s = el.selection;
    expect(s.select(1, 'only')).to.equal(true);
    expect(s.ids).to.deep.equal(['b']);
    s.select(3, 'range');
    expect(s.ids).to.deep.equal(['b', 'c', 'd']);
    s.select(2, 'toggle');
    expect(s.ids).to.deep.equal(['b', 'd']);
    // The toggle moved the anchor to c: a range now runs from c.
    s.select(0, 'range');
    expect(s.ids).to.deep.equal(['a', 'b', 'c']);
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.equal('a,b,c');
    expect(el.changes.at(-1)).to.deep.equal(['a', 'b', 'c']);
    expect(s.select(9, 'only'), 'no item there').to.equal(false);
  });

  it('select all, toggle all and clear; all is false for an empty list', async () => {
    const el = await fixture<SelectionHost>(html`<test-selection-host></test-selection-host>`);
    const s = el.selection;
    s.toggleAll();
    expect(s.all).to.equal(true);
    expect(s.size).to.equal(4);
    s.toggleAll();
    expect(s.size).to.equal(0);
    s.selectAll();
    s.clear();
    expect(el.changes.at(-1)).to.deep.equal([]);
    el.items = [];
    expect(s.all).to.equal(false);
  });

  it('drops ids that left the universe before the next render, but keeps filtered-out ones', async () => {
    const el = await fixture<SelectionHost>(html`<test-selection-host></test-selection-host>`);
    const s = el.selection;
    s.selectAll();
    el.items = [{ id: 'a' }, { id: 'b' }];
    el.requestUpdate();
    await el.updateComplete;
    expect(s.size, 'a filter hides rows but does not deselect them').to.equal(4);
    el.universe = [{ id: 'a' }, { id: 'c' }];
    el.requestUpdate();
    await el.updateComplete;
    expect(s.has('a') && s.has('c') && !s.has('b') && !s.has('d')).to.equal(true);
    expect(el.changes.at(-1)).to.deep.equal(['a', 'c']);
  });
});
