/**
 * <pat-token-requests> in real Chromium against RequestsMemoryProvider, an in-memory TEST DOUBLE
 * of TokenProvider with the approval operations (docs-site/demo-requests.ts): what a request
 * shows, approve and deny (the reason dialog) from the keyboard with focus after each, bulk
 * decisions, the state filter, the loading, empty and error states, property mode, German, and axe.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/locales/de.ts';
import '../../../components/token-requests/token-requests.ts';
import type { PatTokenRequests } from '../../../components/token-requests/token-requests.component.ts';
import { ProviderError } from '../../../lib/errors.ts';
import type { TokenMeta } from '../../../lib/model.ts';
import { makeRequest, requestsProvider, type RequestsMemoryProvider } from '../../support/memory-provider.ts';
import { describe, it } from '../../support/mocha.ts';

const sr = (el: Element): ShadowRoot => el.shadowRoot!;
const cards = (el: PatTokenRequests): HTMLElement[] => [...sr(el).querySelectorAll<HTMLElement>('[part="request"]')];
const card = (el: PatTokenRequests, name: string): HTMLElement => cards(el).find((c) => c.querySelector('h3')!.textContent === name)!;
const active = (el: PatTokenRequests): Element | null => sr(el).activeElement;
const stateLine = (el: PatTokenRequests): string => sr(el).querySelector('[part="state"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const dialogOf = (el: PatTokenRequests): HTMLDialogElement | null => sr(el).querySelector<HTMLDialogElement>('[part="deny-dialog"]');

async function setup(provider: RequestsMemoryProvider = requestsProvider()): Promise<PatTokenRequests> {
  const el = await fixture<PatTokenRequests>(html`<pat-token-requests .provider=${provider}></pat-token-requests>`);
  await waitUntil(() => cards(el).length > 0, 'requests loaded');
  return el;
}

describe('<pat-token-requests>', () => {
  it('shows each pending request: requester, justification, scopes, resources as chips, addresses, not-before, expiry; axe clean', async () => {
    const el = await setup();
    expect(cards(el).map((c) => c.querySelector('h3')!.textContent)).to.deep.equal(['deploy previews', 'metrics export', 'laptop']);
    const alice = card(el, 'deploy previews');
    expect(alice.textContent).to.contain('alice');
    expect(alice.querySelector('[part="justification"]')!.textContent).to.equal('Our CI posts preview links; it runs only from the build network.');
    expect(alice.textContent).to.contain('tokens:read').and.contain('post:all');
    const chips = [...alice.querySelectorAll('[part="resources"] .chip')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim());
    expect(chips).to.deep.equal(['project Website', 'project Docs']);
    expect(alice.querySelector('[part="allowed-ips"]')!.textContent).to.contain('203.0.113.0/24');
    expect(card(el, 'metrics export').textContent).to.contain('Not valid before');
    expect(card(el, 'laptop').textContent).to.contain('Everything the owner can reach').and.contain('No justification given.').and.contain('Never');
    await expect(el).to.be.accessible();
  });

  it('approves from the keyboard: Enter on Approve, the event, the request leaves, focus moves to the next one', async () => {
    const provider = requestsProvider();
    const el = await setup(provider);
    const approve = card(el, 'deploy previews').querySelector<HTMLButtonElement>('[part="approve"]')!;
    expect(approve.getAttribute('aria-label')).to.equal('Approve deploy previews');
    approve.focus();
    const approved = oneEvent(el, 'pat-request-approved');
    await sendKeys({ press: 'Enter' });
    const { detail } = await approved;
    expect(detail.token.approval.state).to.equal('approved');
    expect(detail.token.status).to.equal('active');
    expect(provider.tokens.find((t) => t.name === 'deploy previews')!.approval!.state).to.equal('approved');
    await waitUntil(() => !card(el, 'deploy previews'), 'the approved request left the pending list');
    expect(active(el)).to.equal(card(el, 'metrics export').querySelector('[part="approve"]'));
    await waitUntil(() => sr(el).querySelector('[aria-live]')!.textContent === 'Approved deploy previews.');
  });

  it('denies from the keyboard: the reason dialog (required), Escape changes nothing and returns focus, a reason denies', async () => {
    const provider = requestsProvider();
    const el = await setup(provider);
    const deny = card(el, 'metrics export').querySelector<HTMLButtonElement>('[part="deny"]')!;
    deny.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialogOf(el)?.open, 'the reason dialog opened');
    expect(active(el)).to.equal(sr(el).querySelector('[part="reason"]'));
    expect(dialogOf(el)!.textContent).to.contain('Deny “metrics export”?');
    await expect(el).to.be.accessible();
    // No reason: refused, said, nothing sent.
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(active(el)).to.equal(sr(el).querySelector('[part="deny-confirm"]'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => sr(el).querySelector('#deny-error')?.textContent === 'Enter a reason.');
    expect(active(el)).to.equal(sr(el).querySelector('[part="reason"]'));
    expect(sr(el).querySelector('[part="reason"]')!.getAttribute('aria-invalid')).to.equal('true');
    expect(provider.calls.some(([m]) => m === 'denyTokenRequest')).to.equal(false);
    // Escape: closed, nothing changed, focus back on Deny….
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialogOf(el));
    expect(active(el)).to.equal(card(el, 'metrics export').querySelector('[part="deny"]'));
    expect(provider.tokens.find((t) => t.name === 'metrics export')!.approval!.state).to.equal('pending');
    // Again, with a reason.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialogOf(el)?.open);
    await sendKeys({ type: 'Use the shared export token.' });
    const denied = oneEvent(el, 'pat-request-denied');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    const { detail } = await denied;
    expect(detail.token.approval.reason).to.equal('Use the shared export token.');
    expect(provider.tokens.find((t) => t.name === 'metrics export')!.status).to.equal('denied');
    await waitUntil(() => !card(el, 'metrics export'));
    // The next request ("laptop") took its place.
    expect(active(el)).to.equal(card(el, 'laptop').querySelector('[part="approve"]'));
  });

  it('bulk: select all, approve selected; select one, deny selected with one reason', async () => {
    const provider = requestsProvider([
      makeRequest('alice', { name: 'one' }),
      makeRequest('bob', { name: 'two' }),
      makeRequest('carol', { name: 'three' }),
      makeRequest('dave', { name: 'four' }),
    ]);
    const el = await setup(provider);
    const approvedEvents: string[] = [];
    el.addEventListener('pat-request-approved', (e) => approvedEvents.push(e.detail.token.id));
    card(el, 'one').querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    card(el, 'two').querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await el.updateComplete;
    expect(el.selectedIds).to.have.length(2);
    expect(sr(el).querySelector('[part="bulk-bar"]')!.textContent).to.contain('2 selected');
    sr(el).querySelector<HTMLButtonElement>('[part="bulk-approve"]')!.click();
    await waitUntil(() => cards(el).length === 2, 'two approved');
    expect(approvedEvents).to.have.length(2);
    await waitUntil(() => sr(el).querySelector('[aria-live]')!.textContent === 'Approved 2 requests.');
    expect(el.selectedIds).to.deep.equal([]);
    // Select all (the rest) and deny them with one reason.
    sr(el).querySelector<HTMLInputElement>('.select-all input')!.click();
    await el.updateComplete;
    expect(el.selectedIds).to.have.length(2);
    sr(el).querySelector<HTMLButtonElement>('[part="bulk-deny"]')!.click();
    await waitUntil(() => dialogOf(el)?.open);
    expect(dialogOf(el)!.textContent).to.contain('Deny 2 requests?');
    const reason = sr(el).querySelector<HTMLTextAreaElement>('[part="reason"]')!;
    reason.value = 'Not this quarter.';
    sr(el).querySelector<HTMLButtonElement>('[part="deny-confirm"]')!.click();
    await waitUntil(() => cards(el).length === 0, 'all decided');
    expect(provider.tokens.filter((t) => t.approval!.state === 'denied').map((t) => t.approval!.reason)).to.deep.equal(['Not this quarter.', 'Not this quarter.']);
    expect(stateLine(el)).to.equal('No requests are waiting for a decision.');
    expect(active(el)).to.equal(sr(el).querySelector('[part="state"]'), 'focus on the empty message, not lost');
    await expect(el).to.be.accessible();
  });

  it('a bulk decision that fails for one says so and keeps that request, selected', async () => {
    const provider = requestsProvider([makeRequest('alice', { name: 'one' }), makeRequest('bob', { name: 'two' })]);
    const el = await setup(provider);
    provider.failNext.set('approveTokenRequest', new ProviderError('conflict', 'That request was already decided.'));
    const errors: string[] = [];
    el.addEventListener('pat-error', (e) => errors.push(e.detail.code));
    sr(el).querySelector<HTMLInputElement>('.select-all input')!.click();
    await el.updateComplete;
    sr(el).querySelector<HTMLButtonElement>('[part="bulk-approve"]')!.click();
    await waitUntil(() => sr(el).querySelector('[aria-live]')!.textContent!.includes('could not be changed'));
    expect(sr(el).querySelector('[aria-live]')!.textContent).to.equal('Approved two. 1 request could not be changed: That request was already decided.');
    expect(errors).to.deep.equal(['conflict']);
    const notice = sr(el).querySelector<HTMLElement>('[part="notice"]')!;
    expect(notice.classList.contains('error-text') && notice.getBoundingClientRect().height > 0, 'the failure is on screen, not only announced').to.equal(true);
    expect(cards(el).map((c) => c.querySelector('h3')!.textContent)).to.deep.equal(['one']);
    expect(el.selectedIds).to.have.length(1);
  });

  it('filters by state: approved and denied requests show who decided, when and why; no actions', async () => {
    const el = await setup();
    const select = sr(el).querySelector<HTMLSelectElement>('[part="state-filter"]')!;
    select.value = 'denied';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => cards(el).length === 1 && card(el, 'old sync job'), 'denied requests loaded');
    const denied = card(el, 'old sync job');
    expect(denied.querySelector('[part="decision"]')!.textContent).to.contain('Decided by admin').and.contain('The wiki has its own bot account; use that.');
    expect(denied.querySelector('[part="approve"], [part="deny"], input[type="checkbox"]')).to.equal(null);
    expect(el.getAttribute('state')).to.equal('denied');
    select.value = 'approved';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => stateLine(el) === 'No approved requests.');
    await expect(el).to.be.accessible();
  });

  it('loading, error (with Try again) and empty states', async () => {
    const provider = requestsProvider([]);
    let release!: () => void;
    provider.hold = new Promise((r) => (release = r));
    const el = await fixture<PatTokenRequests>(html`<pat-token-requests .provider=${provider}></pat-token-requests>`);
    await waitUntil(() => stateLine(el) === 'Loading requests…');
    expect(sr(el).querySelector('[part="state"]')!.getAttribute('role')).to.equal('status');
    release();
    await waitUntil(() => stateLine(el) === 'No requests are waiting for a decision.');
    provider.hold = null;
    provider.failNext.set('listTokenRequests', new ProviderError('forbidden', 'You may not approve token requests.'));
    const failed = oneEvent(el, 'pat-error');
    sr(el).querySelector<HTMLButtonElement>('[part="refresh"]')!.click();
    expect((await failed).detail.code).to.equal('forbidden');
    await waitUntil(() => stateLine(el).includes('You may not approve token requests.'));
    expect(sr(el).querySelector('[part="state"]')!.getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
    provider.tokens = [makeRequest('alice', { name: 'after retry' })];
    [...sr(el).querySelectorAll<HTMLButtonElement>('[part="state"] button')].find((b) => b.textContent === 'Try again')!.click();
    await waitUntil(() => card(el, 'after retry'));
  });

  it('without a provider or requests it says it is not connected, not that nothing is waiting', async () => {
    const el = await fixture<PatTokenRequests>(html`<pat-token-requests></pat-token-requests>`);
    expect(stateLine(el)).to.equal('Not connected to a token server yet.');
    el.requests = [];
    await el.updateComplete;
    expect(stateLine(el)).to.equal('No requests are waiting for a decision.');
  });

  it('property mode: the host gives requests; decisions apply locally and are announced as events', async () => {
    const requests: TokenMeta[] = [makeRequest('alice', { name: 'one' }), makeRequest('bob', { name: 'two' })];
    const el = await fixture<PatTokenRequests>(html`<pat-token-requests .requests=${requests}></pat-token-requests>`);
    expect(cards(el)).to.have.length(2);
    expect(sr(el).querySelector('[part="refresh"]')).to.equal(null);
    const approved = oneEvent(el, 'pat-request-approved');
    card(el, 'one').querySelector<HTMLButtonElement>('[part="approve"]')!.click();
    expect((await approved).detail.token.approval.state).to.equal('approved');
    await waitUntil(() => cards(el).length === 1);
    let refused: unknown = null;
    await el.deny([requests[1]!.id], '  ').catch((e: unknown) => (refused = e));
    expect(refused, 'a blank reason is refused').to.be.instanceOf(RangeError);
    const denied = oneEvent(el, 'pat-request-denied');
    await el.deny([requests[1]!.id], 'No.');
    expect((await denied).detail.token.approval.reason).to.equal('No.');
    el.loading = true;
    el.requests = [];
    await el.updateComplete;
    expect(stateLine(el)).to.equal('Loading requests…');
    el.loading = false;
    el.error = 'The server failed (500).';
    await el.updateComplete;
    expect(stateLine(el)).to.contain('The server failed (500).');
  });

  it('speaks German inside lang="de"', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="de"><pat-token-requests .provider=${requestsProvider()}></pat-token-requests></div>`);
    const el = wrapper.querySelector<PatTokenRequests>('pat-token-requests')!;
    await waitUntil(() => cards(el).length > 0);
    expect(card(el, 'deploy previews').querySelector('[part="approve"]')!.textContent).to.equal('Genehmigen');
    expect(card(el, 'laptop').textContent).to.contain('Keine Begründung angegeben.');
  });
});
