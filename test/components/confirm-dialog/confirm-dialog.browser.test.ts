/**
 * <pat-confirm-dialog> in real Chromium: the kit's one yes/no question before destructive changes.
 * What it answers for the keys and buttons, the password and choice it can carry, where focus
 * goes, and what assistive technology is told.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/confirm-dialog/confirm-dialog.ts';
import type { ConfirmRequest, PatConfirmDialog } from '../../../components/confirm-dialog/confirm-dialog.component.ts';
import { describe, it } from '../../support/mocha.ts';

const QUESTION: ConfirmRequest = { title: 'Delete "ci"?', body: 'The token "ci" is deleted permanently.', confirmLabel: 'Delete', danger: true };

interface Setup {
  dialog: PatConfirmDialog;
  root: ShadowRoot;
  opener: HTMLButtonElement;
}

/** A dialog and a focused button that opens it (focus should come back there). */
async function setup(): Promise<Setup> {
  const wrapper = await fixture<HTMLDivElement>(html`<div><button type="button">opener</button><pat-confirm-dialog></pat-confirm-dialog></div>`);
  const opener = wrapper.querySelector('button')!;
  const dialog = wrapper.querySelector('pat-confirm-dialog')!;
  opener.focus();
  return { dialog, root: dialog.shadowRoot!, opener };
}

async function opened(root: ShadowRoot): Promise<HTMLDialogElement> {
  await waitUntil(() => root.querySelector('dialog')?.open, 'dialog open');
  return root.querySelector('dialog')!;
}

describe('<pat-confirm-dialog>', () => {
  it('asks as a modal alert dialog named by its title and described by its body; focus starts on Cancel; accessible', async () => {
    const { dialog, root } = await setup();
    void dialog.ask(QUESTION);
    const native = await opened(root);
    expect(native.matches(':modal')).to.equal(true);
    expect(native.getAttribute('role')).to.equal('alertdialog');
    expect(root.getElementById(native.getAttribute('aria-labelledby')!)!.textContent).to.equal('Delete "ci"?');
    expect(root.getElementById(native.getAttribute('aria-describedby')!)!.textContent).to.equal('The token "ci" is deleted permanently.');
    expect(root.activeElement?.getAttribute('part')).to.equal('cancel');
    expect(root.querySelector('[part="confirm"]')!.classList.contains('danger')).to.equal(true);
    await expect(dialog).to.be.accessible();
    root.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
  });

  it('Cancel and Escape answer no, the confirm button yes; each time focus returns to the opener', async () => {
    const { dialog, root, opener } = await setup();
    let answer = dialog.ask(QUESTION);
    await opened(root);
    root.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
    expect(await answer).to.deep.equal({ confirmed: false });
    expect(document.activeElement).to.equal(opener);

    answer = dialog.ask(QUESTION);
    await opened(root);
    await sendKeys({ press: 'Escape' });
    expect(await answer).to.deep.equal({ confirmed: false });
    expect(root.querySelector('dialog')!.open).to.equal(false);
    expect(document.activeElement).to.equal(opener);

    answer = dialog.ask({ ...QUESTION, danger: false });
    await opened(root);
    expect(root.querySelector('[part="confirm"]')!.classList.contains('primary')).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(root.activeElement?.getAttribute('part')).to.equal('confirm');
    await sendKeys({ press: 'Enter' });
    expect(await answer).to.deep.equal({ confirmed: true });
    expect(document.activeElement).to.equal(opener);
  });

  it('with a password: focus starts in the field, an empty field does not confirm, Enter sends what was typed', async () => {
    const { dialog, root } = await setup();
    let settled = false;
    const answer = dialog.ask({ ...QUESTION, password: true }).finally(() => (settled = true));
    await opened(root);
    const field = root.querySelector<HTMLInputElement>('input[type="password"]')!;
    expect(root.activeElement).to.equal(field);
    expect(field.autocomplete).to.equal('current-password');
    expect(root.getElementById(field.getAttribute('aria-describedby')!)!.textContent).to.equal('Enter your password to confirm this change.');
    await expect(dialog).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await dialog.updateComplete;
    expect(settled, 'no answer without a password').to.equal(false);
    expect(root.querySelector('dialog')!.open).to.equal(true);
    await sendKeys({ type: 'hunter2' });
    await sendKeys({ press: 'Enter' });
    expect(await answer).to.deep.equal({ confirmed: true, password: 'hunter2' });
  });

  it('a refused password is the field\'s description and marks it invalid', async () => {
    const { dialog, root } = await setup();
    void dialog.ask({ ...QUESTION, password: true, passwordError: 'That password is not correct.' });
    await opened(root);
    const field = root.querySelector<HTMLInputElement>('input[type="password"]')!;
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    const description = root.getElementById(field.getAttribute('aria-describedby')!)!;
    expect(description.textContent).to.equal('That password is not correct.');
    expect(description.classList.contains('error-text')).to.equal(true);
    await expect(dialog).to.be.accessible();
    root.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
  });

  it('a choice goes with the answer; the items it affects are listed and reachable by keyboard', async () => {
    const { dialog, root } = await setup();
    const answer = dialog.ask({
      ...QUESTION,
      items: ['ci', 'backup'],
      choice: { label: 'Old value keeps working', value: '0', options: [{ value: '0', label: 'No' }, { value: '3600', label: '1 hour' }] },
    });
    await opened(root);
    const list = root.querySelector<HTMLElement>('ul.items')!;
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['ci', 'backup']);
    expect(list.tabIndex).to.equal(0);
    const select = root.querySelector<HTMLSelectElement>('select[name="choice"]')!;
    expect(select.value).to.equal('0');
    select.value = '3600';
    await expect(dialog).to.be.accessible();
    root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    expect(await answer).to.deep.equal({ confirmed: true, choice: '3600' });
  });

  it('a new question answers the open one with no', async () => {
    const { dialog, root } = await setup();
    const first = dialog.ask(QUESTION);
    await opened(root);
    const second = dialog.ask({ ...QUESTION, title: 'Second?' });
    expect(await first).to.deep.equal({ confirmed: false });
    await opened(root);
    expect(root.querySelector('h2')!.textContent).to.equal('Second?');
    root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    expect(await second).to.deep.equal({ confirmed: true });
  });

  it('takes single strings through the strings property', async () => {
    const { dialog, root } = await setup();
    dialog.strings = { cancel: 'Abbrechen' };
    void dialog.ask(QUESTION);
    await opened(root);
    expect(root.querySelector('[part="cancel"]')!.textContent!.trim()).to.equal('Abbrechen');
    root.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
  });
});
