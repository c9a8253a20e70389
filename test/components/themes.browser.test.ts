/**
 * Theming holds: axe (color-contrast included, proven by the control case below) finds nothing on
 * every component state (20 of them) in five themes: light, dark (a page declaring `color-scheme: light dark`
 * under a dark system), each component forced dark on a light page (`pat-… { color-scheme: dark }`),
 * and the README's custom accent #6d28d9 on light and on dark. Data from MemoryProvider, an in-memory
 * TEST DOUBLE of TokenProvider.
 */
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../components/index.ts';
import { PatRevealDialog } from '../../components/reveal-dialog/reveal-dialog.component.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import type { PatCreateWizard } from '../../components/create-wizard/create-wizard.component.ts';
import type { PatTokenManager } from '../../components/token-manager/token-manager.component.ts';
import type { PatConfirmDialog } from '../../components/confirm-dialog/confirm-dialog.component.ts';
import { ProviderError } from '../../lib/errors.ts';
import { MemoryProvider, makeToken, makeTokens, makeUser } from '../support/memory-provider.ts';
import { describe, it, before, after, afterEach } from '../support/mocha.ts';

const TAGS = 'pat-token-list, pat-create-wizard, pat-reveal-dialog, pat-role-manager, pat-token-manager, pat-confirm-dialog, pat-scoped-token-form';
const DAY = 86_400_000;

interface Theme {
  name: string;
  css: string;
  dark: boolean;
}

const THEMES: Theme[] = [
  { name: 'light', css: '', dark: false },
  { name: 'dark (page follows the system)', css: ':root { color-scheme: light dark; background: Canvas; color: CanvasText; }', dark: true },
  { name: 'component forced dark on a light page', css: `${TAGS} { color-scheme: dark; }`, dark: false },
  { name: 'custom accent #6d28d9, light', css: `${TAGS} { --pat-accent: #6d28d9; }`, dark: false },
  { name: 'custom accent #6d28d9, dark', css: `${TAGS} { --pat-accent: #6d28d9; color-scheme: dark; }`, dark: false },
];

const sr = (el: Element): ShadowRoot => el.shadowRoot!;
const q = <T extends Element = HTMLElement>(el: Element, selector: string): T => sr(el).querySelector<T>(selector)!;

function sampleTokens() {
  return [
    makeToken({ name: 'active', description: 'CI deploys' }),
    makeToken({ name: 'soon', expires_at: new Date(Date.now() + DAY).toISOString() }),
    makeToken({ name: 'off', status: 'disabled' }),
    makeToken({ name: 'old', expires_at: new Date(Date.now() - DAY).toISOString() }),
  ];
}

async function list(provider = new MemoryProvider({ tokens: sampleTokens() })): Promise<PatTokenList> {
  const el = await fixture<PatTokenList>(html`<pat-token-list .provider=${provider} owner="all"></pat-token-list>`);
  await waitUntil(() => !el.loading, 'loaded');
  return el;
}

async function wizard(): Promise<PatCreateWizard> {
  const provider = new MemoryProvider();
  const el = await fixture<PatCreateWizard>(html`<pat-create-wizard .provider=${provider} .currentUser=${provider.me}></pat-create-wizard>`);
  await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length > 0 || el.isConnected, 'ready');
  return el;
}

async function next(el: PatCreateWizard): Promise<void> {
  q<HTMLButtonElement>(el, '[part="next"]').click();
  await el.updateComplete;
  await new Promise((r) => setTimeout(r));
}

/** Each state: build it, return the element axe checks. */
const STATES: Array<[string, () => Promise<Element>]> = [
  ['list: rows of every status, one selected (bulk bar)', async () => {
    const el = await list();
    q<HTMLElement>(el, '[part~="row"]').click();
    await el.updateComplete;
    return el;
  }],
  ['list: row menu open', async () => {
    const el = await list();
    q<HTMLButtonElement>(el, '.menu-trigger').click();
    await waitUntil(() => sr(el).querySelector('[part="menu"]'));
    return el;
  }],
  ['list: empty', async () => list(new MemoryProvider())],
  ['list: no match for the filter', async () => {
    const el = await list();
    const input = q<HTMLInputElement>(el, 'input[type="search"]');
    input.value = 'zzz';
    input.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    return el;
  }],
  ['list: load error', async () => {
    const provider = new MemoryProvider();
    provider.failNext.set('listTokens', new ProviderError('server_error', 'The server failed.'));
    return list(provider);
  }],
  ['list: loading', async () => fixture(html`<pat-token-list loading></pat-token-list>`)],
  ['wizard: details with a field error', async () => {
    const el = await wizard();
    await next(el);
    return el;
  }],
  ['wizard: expiry, custom date', async () => {
    const el = await wizard();
    const name = q<HTMLInputElement>(el, 'input[name="name"]');
    name.value = 'deploy';
    name.dispatchEvent(new InputEvent('input'));
    await next(el);
    sr(el).querySelectorAll<HTMLInputElement>('input[name="expiry"]')[4]!.click();
    await el.updateComplete;
    return el;
  }],
  ['wizard: access, custom methods', async () => {
    const el = await wizard();
    const name = q<HTMLInputElement>(el, 'input[name="name"]');
    name.value = 'deploy';
    name.dispatchEvent(new InputEvent('input'));
    await next(el);
    await next(el);
    await waitUntil(() => sr(el).querySelectorAll('input[name="access"]').length === 3);
    sr(el).querySelectorAll<HTMLInputElement>('input[name="access"]')[2]!.click();
    await el.updateComplete;
    return el;
  }],
  ['wizard: confirm step, then the System Admin warning', async () => {
    const el = await wizard();
    const name = q<HTMLInputElement>(el, 'input[name="name"]');
    name.value = 'admin token';
    name.dispatchEvent(new InputEvent('input'));
    for (let i = 0; i < 4; i += 1) await next(el);
    q<HTMLButtonElement>(el, '[part="submit"]').click();
    await waitUntil(() => sr(el).querySelector('[part="admin-warning"]'));
    return el;
  }],
  ['wizard: owner step (admins create for others)', async () => {
    const el = await wizard();
    const name = q<HTMLInputElement>(el, 'input[name="name"]');
    name.value = 'for alice';
    name.dispatchEvent(new InputEvent('input'));
    for (let i = 0; i < 3; i += 1) await next(el);
    await waitUntil(() => sr(el).querySelector('select[name="owner_id"]'));
    return el;
  }],
  ['wizard: edit view with "Regenerate token"', async () => {
    const provider = new MemoryProvider();
    const el = await fixture<PatCreateWizard>(html`<pat-create-wizard .provider=${provider} mode="edit" .token=${makeToken({ name: 'old' })}></pat-create-wizard>`);
    await waitUntil(() => sr(el).querySelector('[part="regenerate"]'));
    return el;
  }],
  ['list: offline banner over cached rows', async () => {
    const el = await fixture<PatTokenList>(html`<pat-token-list .tokens=${sampleTokens()}></pat-token-list>`);
    window.dispatchEvent(new Event('offline'));
    await waitUntil(() => sr(el).querySelector('[part="offline"]'));
    return el;
  }],
  ['confirm dialog: destructive, with a password error', async () => {
    const el = await fixture<PatConfirmDialog>(html`<pat-confirm-dialog></pat-confirm-dialog>`);
    void el.ask({ title: 'Delete this token?', body: 'Gone for good.', confirmLabel: 'Delete', danger: true, password: true, passwordError: 'That password is not correct.' });
    await waitUntil(() => sr(el).querySelector('dialog')?.open);
    return el;
  }],
  ['reveal: the secret, then the confirmation', async () => {
    void PatRevealDialog.reveal({ token: makeToken({ name: 'deploy' }), secret: 'pat_example_secret_value_0123456789' });
    const el = document.querySelector('pat-reveal-dialog')!;
    await waitUntil(() => sr(el).querySelector<HTMLDialogElement>('[part~="dialog"]')?.open);
    return el;
  }],
  ['role manager', async () => {
    const el = await fixture(html`<pat-role-manager .provider=${new MemoryProvider()}></pat-role-manager>`);
    await waitUntil(() => sr(el).querySelectorAll('[part="user"]').length > 0);
    return el;
  }],
  ['scoped token form', async () => {
    const provider = new MemoryProvider();
    return fixture(html`<pat-scoped-token-form .provider=${provider} .owner=${{ kind: 'organization', id: 'o1', name: 'Acme' }}></pat-scoped-token-form>`);
  }],
  ['manager: list with header and Create', async () => {
    const el = await fixture<PatTokenManager>(html`<pat-token-manager heading="My tokens" .provider=${new MemoryProvider({ tokens: makeTokens(3) })}></pat-token-manager>`);
    await waitUntil(() => q(el, 'pat-token-list') && !(q(el, 'pat-token-list') as PatTokenList).loading);
    return el;
  }],
  ['manager: signed out', async () => {
    const provider = new MemoryProvider();
    provider.currentUser = async () => {
      throw new ProviderError('unauthorized', 'Session expired.');
    };
    const el = await fixture<PatTokenManager>(html`<pat-token-manager heading="My tokens" .provider=${provider}></pat-token-manager>`);
    await waitUntil(() => sr(el).querySelector('[part="message"]'));
    return el;
  }],
  ['manager: the wizard open in its dialog', async () => {
    const provider = new MemoryProvider({ me: makeUser('u_bob', 'bob') });
    const el = await fixture<PatTokenManager>(html`<pat-token-manager heading="My tokens" .provider=${provider}></pat-token-manager>`);
    await waitUntil(() => el.currentUser);
    await el.openCreate();
    await waitUntil(() => q<HTMLDialogElement>(el, '[part="wizard-dialog"]').open);
    return el;
  }],
];

describe('themes: axe with color-contrast on every component state', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  it('control: axe does check color-contrast here (a 2.8:1 text fails)', async () => {
    const el = await fixture(html`<p style="color:#999;background:#fff">low contrast</p>`);
    let failed = false;
    try {
      await expect(el).to.be.accessible();
    } catch (error) {
      failed = String(error).includes('color-contrast');
    }
    expect(failed, 'axe reported color-contrast').to.equal(true);
  });

  for (const theme of THEMES) {
    describe(theme.name, () => {
      let style: HTMLStyleElement;
      before(async () => {
        style = document.createElement('style');
        style.textContent = theme.css;
        document.head.append(style);
        if (theme.dark) await emulateMedia({ colorScheme: 'dark' });
      });
      after(async () => {
        style.remove();
        if (theme.dark) await emulateMedia({ colorScheme: 'light' });
      });
      afterEach(() => {
        for (const d of document.querySelectorAll('pat-reveal-dialog')) d.remove();
        fixtureCleanup();
      });
      for (const [name, build] of STATES) {
        it(name, async () => {
          const el = await build();
          await expect(el).to.be.accessible();
          if (name.startsWith('reveal')) {
            q<HTMLButtonElement>(el, '[part~="close"]').click();
            await waitUntil(() => sr(el).querySelector<HTMLDialogElement>('[part~="confirm-dialog"]')?.open);
            await expect(el).to.be.accessible();
          }
        });
      }
    });
  }
});
