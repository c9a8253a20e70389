/** FormValueController: a host <form> sees the element's value and validity after each update. */
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { FormValueController } from '../../../components/shared/form-value.controller.ts';
import { describe, it } from '../../support/mocha.ts';

class FormHost extends LitElement {
  static formAssociated = true;
  text = '';
  readonly formValue = new FormValueController(this, {
    value: () => JSON.stringify({ text: this.text }),
    missing: () => (this.text ? null : 'Enter some text.'),
  });
}
customElements.define('test-form-host', FormHost);

describe('FormValueController', () => {
  it('submits the value under the name, reports validity, and follows changes', async () => {
    const form = await fixture<HTMLFormElement>(html`<form><test-form-host name="thing"></test-form-host></form>`);
    const el = form.querySelector('test-form-host') as FormHost;
    await el.updateComplete;
    expect(el.formValue.form).to.equal(form);
    expect(el.formValue.checkValidity()).to.equal(false);
    expect(form.checkValidity()).to.equal(false);
    el.text = 'hello';
    el.requestUpdate();
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(true);
    expect(new FormData(form).get('thing')).to.equal('{"text":"hello"}');
  });

  it('outside a form: no form, and nothing to submit', async () => {
    const el = await fixture<FormHost>(html`<test-form-host></test-form-host>`);
    expect(el.formValue.form).to.equal(null);
  });
});
