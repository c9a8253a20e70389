/**
 * <pat-reveal-dialog> in real Chromium: the secret is shown once, Escape / close / leaving the page
 * ask "Make sure you have copied…", acknowledging removes the node and the secret. Tokens come from
 * the in-memory TEST DOUBLE helpers (makeToken / makeSecret), no server involved.
 */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/reveal-dialog/reveal-dialog.ts';
import { PatRevealDialog } from '../../../components/reveal-dialog/reveal-dialog.component.ts';
import { deepText, makeSecret, makeToken } from '../../support/memory-provider.ts';
import { describe, it, afterEach } from '../../support/mocha.ts';

const CONFIRM_TEXT = "Make sure you have copied and saved the access token below. You won't be able to see it again!";

function open(secret = makeSecret()): { dialog: PatRevealDialog; done: Promise<void>; secret: string } {
  const done = PatRevealDialog.reveal({ token: makeToken({ name: 'deploy' }), secret });
  const dialog = document.querySelector('pat-reveal-dialog') as PatRevealDialog;
  return { dialog, done, secret };
}

const part = (d: PatRevealDialog, name: string): HTMLElement => d.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const isOpen = (d: PatRevealDialog, name: string): boolean =>
  d.shadowRoot?.querySelector<HTMLDialogElement>(`[part~="${name}"]`)?.open ?? false;

describe('<pat-reveal-dialog>', () => {
  afterEach(() => {
    for (const d of document.querySelectorAll('pat-reveal-dialog')) d.remove();
  });

  it('shows the secret once, as text only, and is accessible', async () => {
    const { dialog, secret } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    expect(part(dialog, 'secret').textContent).to.equal(secret);
    // Never in an attribute or a property a host can read.
    for (const el of [dialog, ...dialog.shadowRoot!.querySelectorAll('*')]) {
      for (const attr of el.attributes) expect(attr.value).not.to.contain(secret);
    }
    expect(Object.values(dialog).filter((v) => typeof v === 'string')).not.to.include(secret);
    expect(dialog.shadowRoot!.textContent).to.contain('Copy');
    await expect(dialog).to.be.accessible();
  });

  it('Escape → confirmation → acknowledge → secret gone from the DOM and the node removed', async () => {
    const { dialog, done, secret } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => isOpen(dialog, 'confirm-dialog'), 'confirmation shown');
    const confirm = part(dialog, 'confirm-dialog');
    expect(confirm.getAttribute('role')).to.equal('alertdialog');
    expect(confirm.textContent).to.contain(CONFIRM_TEXT);
    expect(confirm.textContent).to.contain(secret);
    expect(part(dialog, 'acknowledge').textContent!.trim()).to.equal('Yes, I have copied the token');
    // The safe choice is focused; the acknowledgement takes a deliberate Tab first.
    expect(dialog.shadowRoot!.activeElement).to.equal(part(dialog, 'back'));
    await expect(dialog).to.be.accessible();
    const closed = oneEvent(dialog, 'pat-reveal-closed');
    await sendKeys({ press: 'Tab' });
    expect(dialog.shadowRoot!.activeElement).to.equal(part(dialog, 'acknowledge'));
    await sendKeys({ press: 'Enter' });
    const ev = await closed;
    expect(JSON.stringify(ev.detail)).not.to.contain(secret);
    await done;
    expect(dialog.isConnected).to.equal(false);
    expect(document.querySelector('pat-reveal-dialog')).to.equal(null);
    expect(deepText(document)).not.to.contain(secret);
    expect(dialog.shadowRoot!.textContent).not.to.contain(secret);
  });

  it('Escape then Enter keeps the secret: the question focuses "Go back", never the acknowledgement', async () => {
    const { dialog, secret } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => isOpen(dialog, 'confirm-dialog'), 'confirmation shown');
    expect(dialog.shadowRoot!.activeElement).to.equal(part(dialog, 'back'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !isOpen(dialog, 'confirm-dialog') && isOpen(dialog, 'dialog'), 'back to the secret');
    expect(dialog.isConnected).to.equal(true);
    expect(part(dialog, 'secret').textContent).to.equal(secret);
    // The close button's question follows the same rule.
    part(dialog, 'close').click();
    await waitUntil(() => isOpen(dialog, 'confirm-dialog'));
    expect(dialog.shadowRoot!.activeElement).to.equal(part(dialog, 'back'));
  });

  it('Escape on the confirmation goes back to the secret; the close button asks too', async () => {
    const { dialog } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    part(dialog, 'close').click();
    await waitUntil(() => isOpen(dialog, 'confirm-dialog'));
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !isOpen(dialog, 'confirm-dialog') && isOpen(dialog, 'dialog'));
    expect(dialog.shadowRoot!.activeElement).to.equal(part(dialog, 'copy'));
    // Escape again (however the browser treats repeated Escapes) asks again rather than closing.
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => isOpen(dialog, 'confirm-dialog'));
    expect(dialog.isConnected).to.equal(true);
  });

  it('a host can veto the confirmation with pat-request-close', async () => {
    const { dialog } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    dialog.addEventListener('pat-request-close', (e) => e.preventDefault(), { once: true });
    part(dialog, 'close').click();
    await dialog.updateComplete;
    expect(isOpen(dialog, 'confirm-dialog')).to.equal(false);
  });

  it('leaving the page (beforeunload) is blocked and shows the confirmation', async () => {
    const { dialog } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    const event = new Event('beforeunload', { cancelable: true }) as BeforeUnloadEvent;
    window.dispatchEvent(event);
    expect(event.defaultPrevented).to.equal(true);
    await waitUntil(() => isOpen(dialog, 'confirm-dialog'));
    expect(part(dialog, 'confirm-dialog').textContent).to.contain(CONFIRM_TEXT);
    part(dialog, 'acknowledge').click();
    await waitUntil(() => !dialog.isConnected);
    // Once closed, leaving the page is no longer blocked.
    const later = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(later);
    expect(later.defaultPrevented).to.equal(false);
  });

  it('Copy reports success, or selects the value when the clipboard is refused', async () => {
    const { dialog, secret } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    const original = navigator.clipboard.writeText;
    let written = '';
    Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: async (t: string) => void (written = t) });
    try {
      const copied = oneEvent(dialog, 'pat-secret-copied');
      part(dialog, 'copy').click();
      expect((await copied).detail).to.deep.equal({ method: 'clipboard', ok: true });
      expect(written).to.equal(secret);
      await waitUntil(() => dialog.shadowRoot!.querySelector('[role="status"]')!.textContent!.includes('Copied'));
      Object.defineProperty(navigator.clipboard, 'writeText', {
        configurable: true,
        value: async () => {
          throw new DOMException('denied', 'NotAllowedError');
        },
      });
      const refused = oneEvent(dialog, 'pat-secret-copied');
      part(dialog, 'copy').click();
      expect((await refused).detail.ok).to.equal(false);
      await waitUntil(() => dialog.shadowRoot!.querySelector('[role="status"]')!.textContent!.includes('Ctrl+C'));
      expect(window.getSelection()!.toString()).to.equal(secret);
    } finally {
      Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: original });
    }
  });

  it('Close follows Copy / Download without an empty gap (the copy outcome sits beside them)', async () => {
    const { dialog } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    const gap = part(dialog, 'close').getBoundingClientRect().top - part(dialog, 'copy').getBoundingClientRect().bottom;
    const space = parseFloat(getComputedStyle(dialog.shadowRoot!.querySelector('.actions')!).marginTop);
    expect(gap, 'only the actions row\'s own margin').to.be.at.most(space + 1);
  });

  it('Download saves a small text file without putting the secret in a URL', async () => {
    const { dialog, secret } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    const clicks: HTMLAnchorElement[] = [];
    const originalClick = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicks.push(this);
    };
    try {
      part(dialog, 'download').click();
    } finally {
      HTMLAnchorElement.prototype.click = originalClick;
    }
    expect(clicks).to.have.length(1);
    expect(clicks[0]!.download).to.match(/^patkit-token-tok_\d+\.txt$/);
    expect(clicks[0]!.href).to.match(/^blob:/);
    expect(clicks[0]!.href).not.to.contain(secret);
  });

  it('removing the element before acknowledgement still forgets the secret', async () => {
    const { dialog, secret } = open();
    await waitUntil(() => isOpen(dialog, 'dialog'));
    dialog.remove();
    expect(deepText(document)).not.to.contain(secret);
  });
});
