/** StepsController: next / back / goTo with focus, a vanished step falls back, and the stepper markup. */
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { StepsController } from '../../../components/create-wizard/steps.controller.ts';
import { describe, it } from '../../support/mocha.ts';

type Id = 'one' | 'two' | 'three';

class StepsHost extends LitElement {
  withTwo = true;
  changes: Id[] = [];
  readonly steps = new StepsController<Id>(this, {
    steps: () => (this.withTwo ? ['one', 'two', 'three'] : ['one', 'three']),
    focusSelector: 'input',
    onChange: (id) => this.changes.push(id),
  });
  override render() {
    return html`${this.steps.render({ one: 'One', two: 'Two', three: 'Three' }, 'Steps')}<input aria-label="Field" name=${this.steps.current} />`;
  }
}
customElements.define('test-steps-host', StepsHost);

const items = (el: StepsHost): HTMLElement[] => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="steps"] li')];

describe('StepsController', () => {
  it('moves forward and back, focuses the new step, and marks done / current / upcoming', async () => {
    const el = await fixture<StepsHost>(html`<test-steps-host></test-steps-host>`);
    expect(el.steps.current).to.equal('one');
    await el.steps.next();
    expect(el.steps.current).to.equal('two');
    expect(el.shadowRoot!.activeElement?.getAttribute('name')).to.equal('two');
    expect(items(el).map((li) => [li.textContent, li.dataset.state, li.getAttribute('aria-current')])).to.deep.equal([
      ['One', 'done', 'false'],
      ['Two', 'current', 'step'],
      ['Three', 'upcoming', 'false'],
    ]);
    expect(el.shadowRoot!.querySelector('ol')!.getAttribute('aria-label')).to.equal('Steps');
    await el.steps.next();
    expect(el.steps.isLast).to.equal(true);
    await el.steps.next();
    expect(el.steps.current, 'no step after the last').to.equal('three');
    await el.steps.back();
    await el.steps.back();
    await el.steps.back();
    expect(el.steps.current).to.equal('one');
    expect(el.changes).to.deep.equal(['two', 'three', 'two', 'one']);
    await expect(el).to.be.accessible();
  });

  it('falls back to the first step when the current one disappears', async () => {
    const el = await fixture<StepsHost>(html`<test-steps-host></test-steps-host>`);
    await el.steps.goTo('two');
    el.withTwo = false;
    el.requestUpdate();
    await el.updateComplete;
    expect(el.steps.current).to.equal('one');
    expect(items(el).map((li) => li.textContent)).to.deep.equal(['One', 'Three']);
  });
});
