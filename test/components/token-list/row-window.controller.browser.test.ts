/** RowWindowController on a bare host: which rows render, the spacer height, scrolling a row into view. */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement, css } from 'lit';
import { RowWindowController } from '../../../components/token-list/row-window.controller.ts';
import { describe, it } from '../../support/mocha.ts';

class WindowHost extends LitElement {
  static override styles = css`
    .body { height: 200px; overflow: auto; position: relative; }
    .row { height: 20px; position: absolute; left: 0; right: 0; }
  `;
  total = 1000;
  keep = 0;
  readonly win = new RowWindowController(this, {
    body: () => this.renderRoot.querySelector<HTMLElement>('.body'),
    rowSelector: '.row',
    estimatedRowHeight: 50,
    estimatedViewport: 100,
    overscan: 2,
  });
  override render() {
    const w = this.win;
    return html`<div class="body" @scroll=${w.onScroll}>
      <div style="height:${w.totalHeight(this.total)}px">
        ${w.indexes(this.total, this.keep).map((i) => html`<div class="row" data-index=${i} style="top:${w.top(i)}px">${i}</div>`)}
      </div>
    </div>`;
  }
}
customElements.define('test-window-host', WindowHost);

const rendered = (el: WindowHost): number[] => [...el.shadowRoot!.querySelectorAll<HTMLElement>('.row')].map((r) => Number(r.dataset.index));

describe('RowWindowController', () => {
  it('measures the real row and body heights, then renders only the visible rows plus the overscan', async () => {
    const el = await fixture<WindowHost>(html`<test-window-host></test-window-host>`);
    await waitUntil(() => el.win.rowHeight === 20 && el.win.viewportHeight === 200, 'measured');
    await el.updateComplete;
    // 200px / 20px = 10 visible rows + 2 overscan below (none above at the top).
    expect(rendered(el)).to.deep.equal([...Array(12).keys()]);
    expect(el.win.totalHeight(1000)).to.equal(20_000);
  });

  it('follows scrolling and keeps a far-away focused row rendered', async () => {
    const el = await fixture<WindowHost>(html`<test-window-host></test-window-host>`);
    await waitUntil(() => el.win.rowHeight === 20, 'measured');
    el.keep = 3;
    el.win.reveal(500);
    await el.updateComplete;
    const rows = rendered(el);
    expect(rows[0], 'the kept row first').to.equal(3);
    expect(rows).to.include(500);
    expect(rows.length).to.be.below(20);
    const body = el.shadowRoot!.querySelector<HTMLElement>('.body')!;
    expect(body.scrollTop).to.equal(500 * 20 + 20 - 200);
    body.scrollTop = 0;
    await waitUntil(() => rendered(el)[0] === 0, 'window back at the top');
  });
});
