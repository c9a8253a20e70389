/**
 * <pat-token-manager>'s declared API against what it really does, in Chromium: the events and parts
 * in the built dist/kit/custom-elements.json (from `npm run build:kit`, which `npm test` runs before
 * the browser suite) compared with the events that reach a listener on the manager while a user
 * works with it, and with the parts its shadow root exposes (`part` and `exportparts`) in every
 * state, each checked to style a real element through `::part()`. Against MemoryProvider, an
 * in-memory TEST DOUBLE of TokenProvider (test/support/memory-provider.ts). Also its slots and the
 * state before a provider is set.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../../components/token-manager/token-manager.ts';
import * as events from '../../../components/shared/events.ts';
import type { PatTokenManager } from '../../../components/token-manager/token-manager.component.ts';
import type { PatCreateWizard } from '../../../components/create-wizard/create-wizard.component.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { ProviderError } from '../../../lib/errors.ts';
import { MemoryProvider, makeToken } from '../../support/memory-provider.ts';
import { describe, it, before, after } from '../../support/mocha.ts';

const sr = (el: Element): ShadowRoot => el.shadowRoot!;

interface Declared {
  events: string[];
  parts: string[];
  slots: string[];
}

async function declared(): Promise<Declared> {
  const res = await fetch('/dist/kit/custom-elements.json');
  if (!res.ok) throw new Error('dist/kit is not built: run `npm run build:kit` first (npm test does)');
  const manifest = (await res.json()) as { modules: Array<{ declarations?: Array<Record<string, unknown>> }> };
  const decl = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'pat-token-manager')!;
  const names = (key: string): string[] => ((decl[key] ?? []) as Array<{ name: string }>).map((x) => x.name).sort();
  return { events: names('events'), parts: names('cssParts'), slots: names('slots') };
}

/** Every kit event name (the event classes' `eventName`): what a listener could ever hear. */
const KIT_EVENTS = Object.values(events)
  .map((value) => (value as { eventName?: unknown }).eventName)
  .filter((name): name is string => typeof name === 'string');

/** Part names the manager's shadow root exposes now: its elements' `part`s and their `exportparts`' outer names. */
function exposedParts(el: PatTokenManager): Set<string> {
  const names = new Set<string>();
  for (const node of sr(el).querySelectorAll('*')) {
    for (const part of node.part) names.add(part);
    for (const pair of (node.getAttribute('exportparts') ?? '').split(',')) if (pair.trim()) names.add(pair.split(':').at(-1)!.trim());
  }
  return names;
}

/** Every element under `root`, through every shadow root. */
function deepElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const node of root.querySelectorAll('*')) {
    out.push(node);
    if (node.shadowRoot) out.push(...deepElements(node.shadowRoot));
  }
  return out;
}

/** The names among `names` for which `pat-token-manager::part(name)` styles some element now. */
function styledParts(el: PatTokenManager, names: readonly string[]): Set<string> {
  const style = document.createElement('style');
  const prop = (name: string): string => `--drift-${name}`;
  style.textContent = names.map((n) => `pat-token-manager::part(${n}) { ${prop(n)}: on; }`).join('\n');
  document.head.append(style);
  const styled = new Set<string>();
  try {
    for (const node of deepElements(sr(el))) {
      const computed = getComputedStyle(node);
      for (const n of names) if (computed.getPropertyValue(prop(n)).trim() === 'on') styled.add(n);
    }
  } finally {
    style.remove();
  }
  return styled;
}

async function manager(provider: MemoryProvider | null, extra: Partial<PatTokenManager> = {}): Promise<PatTokenManager> {
  const el = await fixture<PatTokenManager>(html`<pat-token-manager .provider=${provider} heading="Tokens"></pat-token-manager>`);
  Object.assign(el, extra);
  await el.updateComplete;
  return el;
}

const click = (root: ParentNode, selector: string): void => root.querySelector<HTMLElement>(selector)!.click();

describe('<pat-token-manager>: its manifest against what it really does', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  it('the events that come out of it while a user works with it are exactly the declared ones', async () => {
    const api = await declared();
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'old one' })] });
    provider.capabilities = { ...provider.capabilities, createForOthers: false };
    const el = await manager(provider);
    const heard = new Set<string>();
    for (const name of KIT_EVENTS) el.addEventListener(name, () => heard.add(name));
    const list = sr(el).querySelector('pat-token-list') as PatTokenList;
    const wizard = sr(el).querySelector('pat-create-wizard') as PatCreateWizard;
    await waitUntil(() => list.shadowRoot!.querySelector('[part~="row"]'), 'rows');

    // Select a row, refresh, disable it from its menu (asked first, then done).
    click(list.shadowRoot!, '[part~="row"] input[type="checkbox"]');
    click(list.shadowRoot!, '[part="refresh"]');
    await waitUntil(() => !list.loading);
    click(list.shadowRoot!, '.menu-trigger');
    await waitUntil(() => list.shadowRoot!.querySelector('[data-action="disable"]'));
    click(list.shadowRoot!, '[data-action="disable"]');
    const confirm = list.shadowRoot!.querySelector('pat-confirm-dialog')!;
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open, 'confirmation');
    click(confirm.shadowRoot!, '[part="confirm"]');
    await waitUntil(() => heard.has('pat-token-action'), 'disabled');

    // Open the wizard and cancel; open it again and create a token.
    click(sr(el), '[part="create"]');
    await waitUntil(() => sr(el).querySelector<HTMLDialogElement>('[part="wizard-dialog"]')!.open);
    await wizard.updateComplete;
    click(wizard.shadowRoot!, '[part="cancel"]');
    await waitUntil(() => heard.has('pat-wizard-cancel'), 'cancelled');
    click(sr(el), '[part="create"]');
    await waitUntil(() => sr(el).querySelector<HTMLDialogElement>('[part="wizard-dialog"]')!.open);
    await wizard.updateComplete;
    wizard.shadowRoot!.querySelector<HTMLInputElement>('input[name="name"]')!.focus();
    await sendKeys({ type: 'drift bot' });
    for (const step of ['Expiry', 'Access', 'Confirm']) {
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => wizard.shadowRoot!.querySelector('legend')?.textContent === step, `step ${step}`);
    }
    await sendKeys({ press: 'Enter' });
    // The signed-in double is an admin: the System Admin question comes first.
    await waitUntil(() => wizard.shadowRoot!.querySelector('[part="admin-confirm"]') || sr(el).querySelector('pat-reveal-dialog'), 'admin question or secret');
    wizard.shadowRoot!.querySelector<HTMLElement>('[part="admin-confirm"]')?.click();

    // The secret: copy it (the clipboard may refuse here: the event still comes), close, acknowledge.
    const reveal = (): HTMLElement | null => sr(el).querySelector('pat-reveal-dialog');
    await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part="copy"]'), `reveal shown; wizard says: ${wizard.shadowRoot!.textContent}`);
    click(reveal()!.shadowRoot!, '[part="copy"]');
    await waitUntil(() => heard.has('pat-secret-copied'), 'copied');
    click(reveal()!.shadowRoot!, '[part="close"]');
    await waitUntil(() => reveal()!.shadowRoot!.querySelector('[part="acknowledge"]'), 'asks first');
    click(reveal()!.shadowRoot!, '[part="acknowledge"]');
    await waitUntil(() => !reveal(), 'reveal gone');

    // A failure.
    provider.failNext.set('listTokens', new ProviderError('server_error', 'The server had an internal error.'));
    void list.refresh();
    await waitUntil(() => heard.has('pat-error'), 'error');

    expect([...heard].sort()).to.deep.equal(api.events);
  });

  it('the parts its shadow root exposes, over its states, are exactly the declared ones, and style real elements', async () => {
    const api = await declared();
    const exposed = new Set<string>();
    const styled = new Set<string>();
    const note = (el: PatTokenManager): void => {
      for (const name of exposedParts(el)) exposed.add(name);
      for (const name of styledParts(el, api.parts)) styled.add(name);
    };

    // Working: the list with rows and its menu open, the wizard, a secret on screen.
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'styled' })] });
    provider.capabilities = { ...provider.capabilities, createForOthers: false };
    const el = await manager(provider);
    const list = sr(el).querySelector('pat-token-list') as PatTokenList;
    await waitUntil(() => list.shadowRoot!.querySelector('[part~="row"]'), 'rows');
    click(list.shadowRoot!, '.menu-trigger');
    await waitUntil(() => list.shadowRoot!.querySelector('[part="menu"]'));
    note(el);
    click(list.shadowRoot!, '[data-action="regenerate"]');
    const confirm = list.shadowRoot!.querySelector('pat-confirm-dialog')!;
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open, 'confirmation');
    note(el);
    click(confirm.shadowRoot!, '[part="confirm"]');
    await waitUntil(() => sr(el).querySelector('pat-reveal-dialog')?.shadowRoot?.querySelector('[part="copy"]'), 'reveal shown');
    note(el);
    sr(el).querySelector('pat-reveal-dialog')!.remove();
    // The dialog's forms are fetched on first use: open each, as a user reaching it would.
    await el.openCreate();
    note(el);
    // An organisation's tokens: the scoped form instead of the wizard.
    const org = await manager(new MemoryProvider(), { scopeOwner: { kind: 'organization', id: 'org_1', name: 'Acme' } });
    await org.openCreate();
    note(org);
    // Signed out: the notice and "Try again" instead of the list.
    const signedOut = new MemoryProvider();
    signedOut.currentUser = () => Promise.reject(new ProviderError('unauthorized', 'Session expired (401).'));
    const out = await manager(signedOut);
    await waitUntil(() => sr(out).querySelector('[part="retry"]'), 'signed out');
    note(out);

    expect([...exposed].sort()).to.deep.equal(api.parts);
    // ::part() reaches through every family of re-exports (list, wizard, confirmation, reveal).
    for (const name of ['header', 'create', 'list', 'list-row', 'list-toolbar', 'list-menu', 'wizard', 'wizard-steps', 'wizard-next', 'confirm-dialog', 'confirm-button', 'reveal-dialog', 'reveal-copy', 'reveal-secret', 'wizard-form', 'message', 'retry']) {
      expect(styled.has(name), `pat-token-manager::part(${name}) styles an element`).to.equal(true);
    }
    for (const name of styled) expect(api.parts, `${name} is declared`).to.include(name);
  });

  it('slots: header actions and the empty state, as declared', async () => {
    expect((await declared()).slots).to.deep.equal(['actions', 'empty']);
    const el = await fixture<PatTokenManager>(html`<pat-token-manager .provider=${new MemoryProvider()}>
      <a slot="actions" href="#help">Help</a>
      <p slot="empty">Nothing here. <a href="#docs">Read the docs</a></p>
    </pat-token-manager>`);
    const list = sr(el).querySelector('pat-token-list') as PatTokenList;
    await waitUntil(() => list.shadowRoot!.querySelector('[part="state"] slot'), 'empty state');
    const header = sr(el).querySelector('[part="header"] slot[name="actions"]') as HTMLSlotElement;
    expect(header.assignedElements().map((e) => e.textContent)).to.deep.equal(['Help']);
    // The list's empty slot gets the manager's, which gets the host's paragraph.
    const empty = list.shadowRoot!.querySelector('[part="state"] slot[name="empty"]') as HTMLSlotElement;
    expect(empty.assignedElements({ flatten: true }).map((e) => e.textContent)).to.deep.equal(['Nothing here. Read the docs']);
    await expect(el).to.be.accessible();
    // Without slotted content, the default words.
    const plain = await manager(new MemoryProvider());
    const plainList = sr(plain).querySelector('pat-token-list') as PatTokenList;
    await waitUntil(() => plainList.shadowRoot!.querySelector('[part="state"] slot'), 'empty state');
    const fallback = plainList.shadowRoot!.querySelector('[part="state"] slot[name="empty"]') as HTMLSlotElement;
    expect(fallback.assignedNodes({ flatten: true }).map((n) => n.textContent).join('')).to.equal('No personal access tokens yet.');
  });

  it('before a provider is set, it says it is not connected, not that there are no tokens', async () => {
    const el = await manager(null);
    const list = sr(el).querySelector('pat-token-list') as PatTokenList;
    await list.updateComplete;
    const state = list.shadowRoot!.querySelector('[part="state"]')!;
    expect(state.textContent).to.equal('Not connected to a token server yet.');
    expect(state.getAttribute('role')).to.equal('status');
    expect(sr(el).querySelector<HTMLButtonElement>('[part="create"]')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
    el.provider = new MemoryProvider();
    await waitUntil(() => list.shadowRoot!.querySelector('[part="state"]')?.textContent === 'No personal access tokens yet.', 'connected: empty');
  });
});
