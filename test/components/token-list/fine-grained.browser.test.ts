/**
 * Fine-grained tokens in `<pat-token-list>` and `<pat-token-details>`, in real Chromium: the
 * states Pending approval, Denied (with the reason), Not valid yet (not-before ahead) and Lifetime
 * exceeds policy, with the way out (regenerate with a compliant expiry); the details' approval,
 * resources, allowed addresses and not-before. Data comes from MemoryProvider, an in-memory TEST
 * DOUBLE of TokenProvider (test/support/memory-provider.ts).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../../components/locales/de.ts';
import '../../../components/token-details/token-details.ts';
import type { PatTokenDetails } from '../../../components/token-details/token-details.component.ts';
import type { TokenMeta } from '../../../lib/model.ts';
import { MemoryProvider, fullCapabilities, makeToken } from '../../support/memory-provider.ts';
import { describe, it, before, after } from '../../support/mocha.ts';
import { ago, confirmOpen, DAY, detailsOf, loaded, menuAction, rows, sr } from './list-fixture.ts';

const ahead = (days: number): string => new Date(Date.now() + days * DAY).toISOString();
const text = (el: Element | ShadowRoot): string => el.textContent!.replace(/\s+/g, ' ').trim();

function fineTokens(): TokenMeta[] {
  return [
    makeToken({
      name: 'waiting',
      created_at: ago(1),
      status: 'pending',
      approval: { state: 'pending', justification: 'CI needs it', requested_at: ago(1), decided_at: null, decided_by: null, reason: null },
    }),
    makeToken({
      name: 'refused',
      created_at: ago(2),
      status: 'denied',
      approval: { state: 'denied', justification: 'please', requested_at: ago(3), decided_at: ago(2), decided_by: { id: 'u_admin', username: 'admin' }, reason: 'Use the team bot.' },
    }),
    makeToken({ name: 'later', created_at: ago(3), not_before: ahead(2), expires_at: ahead(60) }),
    makeToken({ name: 'too long', created_at: ago(4), expires_at: ahead(300), lifetime_exceeds_policy: true }),
    makeToken({
      name: 'bounded',
      created_at: ago(5),
      resources: [
        { type: 'project', id: 'p1', name: 'Website' },
        { type: 'organization', id: 'org_1' },
      ],
      allowed_ips: ['203.0.113.0/24', '2001:db8::/32'],
    }),
  ];
}

const row = (el: Element, name: string): HTMLElement => rows(el as never).find((r) => r.querySelector('.name')!.textContent === name)!;

function provider(): MemoryProvider {
  const capabilities = { ...fullCapabilities(), approval: true, notBefore: true, allowedIps: true, resources: true };
  capabilities.expiry = { ...capabilities.expiry, maxLifetimeDays: 90, defaultLifetimeDays: 30 };
  return new MemoryProvider({ tokens: fineTokens(), capabilities });
}

describe('fine-grained tokens in the list and the details', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  it('the list names each state: Pending approval, Denied with its reason, Not valid yet with when, Lifetime exceeds policy', async () => {
    const el = await loaded(provider());
    expect(text(row(el, 'waiting').querySelector('.status')!)).to.equal('Pending approval');
    expect(text(row(el, 'refused').querySelector('.status')!)).to.equal('Denied');
    expect(text(row(el, 'refused'))).to.contain('Reason: Use the team bot.');
    expect(text(row(el, 'later').querySelector('.status')!)).to.equal('Not valid yet');
    expect(text(row(el, 'later'))).to.contain('Not valid before');
    expect(text(row(el, 'too long'))).to.contain('Lifetime exceeds policy');
    expect(text(row(el, 'bounded').querySelector('.status')!)).to.equal('Active');
    // The status filter offers the new states where the server has them, and filters by them.
    const status = [...sr(el).querySelectorAll<HTMLSelectElement>('[part="toolbar"] select')].find((s) => [...s.options].some((o) => o.value === 'pending'))!;
    expect([...status.options].map((o) => o.value)).to.include.members(['pending', 'denied', 'scheduled']);
    status.value = 'denied';
    status.dispatchEvent(new Event('change'));
    await waitUntil(() => rows(el).length === 1);
    expect(rows(el)[0]!.querySelector('.name')!.textContent).to.equal('refused');
  });

  it('a pending or denied token offers no Regenerate, Disable or Enable', async () => {
    const el = await loaded(provider());
    const index = rows(el).indexOf(row(el, 'waiting'));
    rows(el)[index]!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
    await waitUntil(() => sr(el).querySelector('[part="menu"]'));
    const actions = [...sr(el).querySelectorAll('[part="menu"] [data-action]')].map((b) => b.getAttribute('data-action'));
    expect(actions).to.include('details').and.include('delete');
    expect(actions).not.to.include.members(['regenerate']);
    expect(actions).not.to.include('disable');
  });

  it('Regenerate on a token over the lifetime policy offers compliant expiries and regenerates once with the one picked', async () => {
    const p = provider();
    const el = await loaded(p);
    await menuAction(el, rows(el).indexOf(row(el, 'too long')), 'regenerate');
    const root = await confirmOpen(el);
    expect(text(root)).to.contain('lives longer than the server now allows').and.contain('at most 90 days');
    const select = root.querySelector<HTMLSelectElement>('select')!;
    expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal(['In 7 days', 'In 30 days', 'In 90 days']);
    expect(select.selectedOptions[0]!.textContent!.trim(), 'the server default is picked').to.equal('In 30 days');
    const done = oneEvent(el, 'pat-token-action');
    root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    const { detail } = await done;
    const id = p.tokens.find((t) => t.name === 'too long')!.id;
    // One call: the server checks the new expiry counting from this regenerate (a separate change of
    // expiry would count from the first issue and be refused over the cap).
    expect(p.calls.filter(([m]) => m === 'updateToken')).to.deep.equal([]);
    const regenerates = p.calls.filter(([m]) => m === 'regenerateToken');
    expect(regenerates).to.have.length(1);
    expect(regenerates[0]![1]).to.equal(id);
    const options = regenerates[0]![3] as { expiresAt: string; gracePeriodSeconds?: number };
    expect(Math.round((Date.parse(options.expiresAt) - Date.now()) / DAY)).to.equal(30);
    expect(options.gracePeriodSeconds).to.equal(undefined);
    expect(detail.expiresAt).to.equal(options.expiresAt);
    expect(detail.gracePeriodSeconds).to.equal(undefined);
  });

  it('details: denied with the reason and justification; resources as chips; addresses; axe clean', async () => {
    const tokens = fineTokens();
    const el = await fixture<PatTokenDetails>(html`<pat-token-details .token=${tokens[1]} .capabilities=${provider().capabilities}></pat-token-details>`);
    const root = sr(el);
    expect(text(root.querySelector('[part="approval"]')!)).to.contain('Denied by admin').and.contain('The token never works.').and.contain('Justification: please');
    expect(root.querySelector('[part="reason"]')!.textContent).to.equal('Use the team bot.');
    expect(text(root.querySelector('[part="facts"]')!)).to.contain('Denied');
    await expect(el).to.be.accessible();
    el.token = tokens[4]!;
    await el.updateComplete;
    const chips = [...root.querySelectorAll('[part="resources"] .chip')].map((c) => text(c));
    expect(chips).to.deep.equal(['project Website', 'organization org_1']);
    expect([...root.querySelectorAll('[part="allowed-ips"] li')].map((li) => li.textContent)).to.deep.equal(['203.0.113.0/24', '2001:db8::/32']);
    expect(root.querySelector('[part="approval"]')).to.equal(null);
    await expect(el).to.be.accessible();
    // A token bounded to nothing, on a server with resources: said in words.
    el.token = tokens[2]!;
    await el.updateComplete;
    expect(text(root.querySelector('[part="resources"]')!)).to.equal('Everything the owner can reach');
    expect(text(root.querySelector('[part="not-before"]')!)).to.match(/^Not valid before .+ \(in 2 days\)\.$/);
    expect(text(root.querySelector('[part="facts"]')!)).to.contain('Not valid yet').and.contain('Any address');
  });

  it('details from the list: "Lifetime exceeds policy" and its Regenerate… closes the view and asks with a compliant expiry', async () => {
    const el = await loaded(provider());
    await menuAction(el, rows(el).indexOf(row(el, 'too long')), 'details');
    await waitUntil(() => detailsOf(el)?.shadowRoot?.querySelector('[part="lifetime-policy"]'));
    const details = detailsOf(el)!;
    expect(text(sr(details).querySelector('[part="lifetime-policy"]')!)).to.contain('Lifetime exceeds policy').and.contain('at most 90 days');
    await expect(details).to.be.accessible();
    sr(details).querySelector<HTMLButtonElement>('[part="regenerate"]')!.click();
    await waitUntil(() => !detailsOf(el), 'the details closed');
    const root = await confirmOpen(el);
    expect([...root.querySelectorAll('select option')].map((o) => o.textContent!.trim())).to.include('In 90 days');
  });

  it('inline details without an opener: Regenerate… asks the host through pat-token-action', async () => {
    const token = fineTokens()[3]!;
    const el = await fixture<PatTokenDetails>(html`<pat-token-details .token=${token}></pat-token-details>`);
    const asked = oneEvent(el, 'pat-token-action');
    sr(el).querySelector<HTMLButtonElement>('[part="regenerate"]')!.click();
    expect((await asked).detail).to.deep.include({ action: 'regenerate', handled: false, ids: [token.id] });
  });

  it('speaks German: list states and the details', async () => {
    const el = await loaded(provider(), 'me', 'de');
    expect(text(row(el, 'waiting').querySelector('.status')!)).to.equal('Wartet auf Genehmigung');
    expect(text(row(el, 'refused'))).to.contain('Grund: Use the team bot.');
    expect(text(row(el, 'too long'))).to.contain('Laufzeit über der Richtlinie');
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="de"><pat-token-details .token=${fineTokens()[0]}></pat-token-details></div>`);
    const details = wrapper.querySelector('pat-token-details')!;
    await (details as PatTokenDetails).updateComplete;
    expect(text(sr(details).querySelector('[part="approval"]')!)).to.contain('Wartet seit').and.contain('Begründung: CI needs it');
  });
});
