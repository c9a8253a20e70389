/**
 * <pat-create-wizard>'s fine-grained parts in real Chromium against FineGrainedProvider, an
 * in-memory TEST DOUBLE (MemoryProvider plus templates and resources): templates that may only
 * be narrowed, the resource picker, the IP allow-list and not-before under "Advanced", and the
 * justification where new tokens wait for an approver. Each field's bad input is refused with
 * its message before anything is sent.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/create-wizard/create-wizard.ts';
import '../../../components/locales/de.ts';
import type { PatCreateWizard } from '../../../components/create-wizard/create-wizard.component.ts';
import { SEARCH_DELAY_MS } from '../../../components/create-wizard/resource-search.controller.ts';
import type { TokenDraft } from '../../../lib/model.ts';
import { fullCapabilities } from '../../support/memory-provider.ts';
import { describe, it } from '../../support/mocha.ts';
import { legend, next, q, sr, type } from './wizard-driver.ts';
import { FineGrainedProvider, fineGrainedCapabilities } from './fine-grained-provider.ts';

const errorOf = (el: Element, field: string): string => q(el, `#err-${field}`)?.textContent?.trim() ?? '';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function setup(provider: FineGrainedProvider, lang = 'en'): Promise<PatCreateWizard> {
  const el = await fixture<PatCreateWizard>(html`<pat-create-wizard lang=${lang} .provider=${provider} .currentUser=${provider.me}></pat-create-wizard>`);
  await waitUntil(() => q(el, 'input[name="name"]'), 'wizard rendered');
  return el;
}

async function toStep(el: PatCreateWizard, name: string): Promise<void> {
  for (let i = 0; i < 6 && legend(el) !== name; i += 1) await next(el);
  expect(legend(el)).to.equal(name);
}

async function created(el: PatCreateWizard, provider: FineGrainedProvider): Promise<TokenDraft> {
  const saved = oneEvent(el, 'pat-token-saved');
  q<HTMLButtonElement>(el, '[part="submit"]')!.click();
  await saved;
  for (const d of sr(el).querySelectorAll('pat-reveal-dialog')) d.remove();
  return provider.calls.findLast(([m]) => m === 'createToken')![1] as TokenDraft;
}

function openAdvanced(el: PatCreateWizard): void {
  const details = q<HTMLDetailsElement>(el, '[part="advanced"]')!;
  details.open = true;
}

describe('<pat-create-wizard> fine-grained tokens', () => {
  it('shows none of it where the provider has none of it', async () => {
    const provider = new FineGrainedProvider({ ...fullCapabilities(), createForOthers: false });
    const el = await setup(provider);
    expect(q(el, 'select[name="template"]')).to.equal(null);
    expect(q(el, '[part="advanced"]')).to.equal(null);
    expect([...sr(el).querySelectorAll('[part~="step"]')].map((s) => s.textContent!.trim())).to.deep.equal(['Details', 'Expiry', 'Access', 'Confirm']);
    expect(provider.calls.some(([m]) => m === 'listTemplates')).to.equal(false);
  });

  it('a template fills methods, expiry, resources and addresses, and the token records it', async () => {
    const provider = new FineGrainedProvider();
    const el = await setup(provider);
    await waitUntil(() => sr(el).querySelectorAll('select[name="template"] option').length === 3, 'templates listed');
    await expect(el).to.be.accessible();
    const select = q<HTMLSelectElement>(el, 'select[name="template"]')!;
    select.value = 'tpl_dns';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(q(el, '#help-template')!.textContent).to.contain('only narrow');
    expect(q<HTMLTextAreaElement>(el, 'textarea[name="allowed_ips"]')!.value).to.equal('203.0.113.0/24');
    expect(q<HTMLDetailsElement>(el, '[part="advanced"]')!.open, 'Advanced opens when it holds a value').to.equal(true);
    type(el, 'input[name="name"]', 'dns robot');
    await next(el);
    expect(q<HTMLInputElement>(el, 'input[name="expiry"][value="7"]')!.checked).to.equal(true);
    await toStep(el, 'Resources');
    await waitUntil(() => sr(el).querySelectorAll('[part="resource-chips"] li').length === 1);
    expect(q<HTMLInputElement>(el, 'input[name="resource-mode"][value="selected"]')!.checked).to.equal(true);
    await toStep(el, 'Confirm');
    expect(q(el, 'dl')!.textContent).to.contain('Edit DNS').and.to.contain('Alpha').and.to.contain('203.0.113.0/24');
    await expect(el).to.be.accessible();
    const draft = await created(el, provider);
    expect(draft).to.deep.include({ name: 'dns robot', scopes: ['tokens:read'], template_id: 'tpl_dns', allowed_ips: ['203.0.113.0/24'] });
    expect(draft.resources).to.deep.equal([{ type: 'project', id: 'p1', name: 'Alpha' }]);
  });

  it('a template may only be narrowed: more methods, a longer expiry, other resources or addresses are refused on their step', async () => {
    const provider = new FineGrainedProvider();
    const el = await setup(provider);
    await waitUntil(() => q(el, 'select[name="template"]'));
    const select = q<HTMLSelectElement>(el, 'select[name="template"]')!;
    select.value = 'tpl_dns';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    type(el, 'input[name="name"]', 'wider');
    type(el, 'textarea[name="allowed_ips"]', '198.51.100.7\n203.0.113.9');
    await next(el);
    expect(legend(el)).to.equal('Details');
    expect(errorOf(el, 'allowed_ips')).to.equal("Outside the template's ranges: 198.51.100.7.");
    expect(sr(el).activeElement).to.equal(q(el, 'textarea[name="allowed_ips"]'));
    type(el, 'textarea[name="allowed_ips"]', '203.0.113.9');
    await next(el);
    (q<HTMLInputElement>(el, 'input[name="expiry"][value="90"]')!).click();
    await next(el);
    expect(errorOf(el, 'expires_at')).to.equal('The template allows at most 7 days.');
    (q<HTMLInputElement>(el, 'input[name="expiry"][value="7"]')!).click();
    await next(el);
    expect(legend(el)).to.equal('Access');
    (q<HTMLInputElement>(el, 'input[name="access"][value=""]') ?? [...sr(el).querySelectorAll<HTMLInputElement>('input[name="access"]')].at(-1)!).click();
    await el.updateComplete;
    q<HTMLInputElement>(el, '#scope-tokens\\:write')!.click();
    await next(el);
    expect(errorOf(el, 'scopes')).to.equal('The template allows only: tokens:read.');
    q<HTMLInputElement>(el, '#scope-tokens\\:write')!.click();
    await next(el);
    expect(legend(el)).to.equal('Resources');
    q<HTMLInputElement>(el, 'input[name="resource-mode"][value="all"]')!.click();
    await next(el);
    expect(errorOf(el, 'resources')).to.equal('Pick only resources the template names.');
    expect(provider.calls.some(([m]) => m === 'createToken')).to.equal(false);
  });

  it('the resource picker: type, debounced search, add and remove chips by keyboard, at least one when "Only selected"', async () => {
    const provider = new FineGrainedProvider();
    const el = await setup(provider);
    type(el, 'input[name="name"]', 'picker');
    await toStep(el, 'Resources');
    await expect(el).to.be.accessible();
    q<HTMLInputElement>(el, 'input[name="resource-mode"][value="selected"]')!.click();
    await waitUntil(() => sr(el).querySelectorAll('[part="resource-results"] li').length === 4, 'first page');
    await next(el);
    expect(errorOf(el, 'resources')).to.equal('Pick at least one resource, or choose "All resources".');
    const before = provider.calls.filter(([m]) => m === 'listResources').length;
    type(el, 'input[name="resource-search"]', 'a');
    type(el, 'input[name="resource-search"]', 'al');
    type(el, 'input[name="resource-search"]', 'alp');
    await sleep(SEARCH_DELAY_MS / 2);
    expect(provider.calls.filter(([m]) => m === 'listResources').length, 'nothing sent while typing').to.equal(before);
    await waitUntil(() => sr(el).querySelectorAll('[part="resource-results"] li').length === 2, 'searched');
    const searches = provider.calls.filter(([m]) => m === 'listResources').slice(before);
    expect(searches).to.deep.equal([['listResources', { limit: 20, q: 'alp' }]]);
    expect(q(el, '[role="status"]')!.textContent).to.contain('2 resources found.');
    const typeSelect = q<HTMLSelectElement>(el, 'select[name="resource-type"]')!;
    typeSelect.value = 'organization';
    typeSelect.dispatchEvent(new Event('change'));
    await waitUntil(() => provider.calls.at(-1)?.[0] === 'listResources' && (provider.calls.at(-1)![1] as { type?: string }).type === 'organization');
    typeSelect.value = '';
    typeSelect.dispatchEvent(new Event('change'));
    await waitUntil(() => sr(el).querySelectorAll('[part="resource-results"] li').length === 2);
    // Keyboard: focus "Add Alpha", press Enter; then remove it with Space on its chip's button.
    q<HTMLButtonElement>(el, '[part="resource-results"] button[aria-label="Add Alpha"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    q<HTMLButtonElement>(el, '[part="resource-results"] button[aria-label="Add Alpine"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect([...sr(el).querySelectorAll('[part="resource-chips"] li')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Alpha (project) ×',
      'Alpine (project) ×',
    ]);
    expect(q<HTMLButtonElement>(el, 'button[aria-label="Add Alpha"]')!.disabled, 'a chosen resource is not offered twice').to.equal(true);
    q<HTMLButtonElement>(el, 'button[aria-label="Remove Alpine"]')!.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(sr(el).querySelectorAll('[part="resource-chips"] li').length).to.equal(1);
    await expect(el).to.be.accessible();
    await next(el);
    const draft = await created(el, provider);
    expect(draft.resources).to.deep.equal([{ type: 'project', id: 'p1', name: 'Alpha' }]);
  });

  it('at most 50 resources', async () => {
    const provider = new FineGrainedProvider();
    const many = Array.from({ length: 51 }, (_, i) => ({ type: 'project', id: `p${i}`, name: `P${i}` }));
    provider.templates = [{ id: 'tpl_many', name: 'Many', description: '', scopes: [], expires_in_days: null, resources: many, allowed_ips: [], created_at: null, updated_at: null }];
    const el = await setup(provider);
    await waitUntil(() => sr(el).querySelectorAll('select[name="template"] option').length === 2);
    const select = q<HTMLSelectElement>(el, 'select[name="template"]')!;
    select.value = 'tpl_many';
    select.dispatchEvent(new Event('change'));
    type(el, 'input[name="name"]', 'many');
    await toStep(el, 'Resources');
    await next(el);
    expect(legend(el)).to.equal('Resources');
    expect(errorOf(el, 'resources')).to.equal('Pick at most 50 resources.');
    q<HTMLButtonElement>(el, 'button[aria-label="Remove P50"]')!.click();
    await next(el);
    expect(legend(el)).to.equal('Confirm');
  });

  it('the IP allow-list refuses what is not an address or range, and more than 50, with a message on the field', async () => {
    const provider = new FineGrainedProvider();
    const el = await setup(provider);
    type(el, 'input[name="name"]', 'ips');
    openAdvanced(el);
    await el.updateComplete;
    await expect(el).to.be.accessible();
    type(el, 'textarea[name="allowed_ips"]', '10.0.0.0/8\nnope\n10.0.0.0/33\n2001:db8::/129\n256.1.1.1');
    await next(el);
    expect(legend(el)).to.equal('Details');
    const area = q<HTMLTextAreaElement>(el, 'textarea[name="allowed_ips"]')!;
    expect(area.getAttribute('aria-invalid')).to.equal('true');
    expect(area.getAttribute('aria-describedby')).to.equal('err-allowed_ips');
    expect(errorOf(el, 'allowed_ips')).to.equal(
      'Not an IP address or range: nope, 10.0.0.0/33, 2001:db8::/129, 256.1.1.1. Write one per line, like 203.0.113.0/24.',
    );
    await expect(el).to.be.accessible();
    type(el, 'textarea[name="allowed_ips"]', Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`).join('\n'));
    await el.updateComplete;
    expect(errorOf(el, 'allowed_ips'), 'typing clears the old error').to.equal('');
    await next(el);
    expect(errorOf(el, 'allowed_ips')).to.equal('At most 50 addresses or ranges.');
    type(el, 'textarea[name="allowed_ips"]', ' 203.0.113.0/24 \n\n2001:db8::/32\n127.0.0.1\n::1');
    await next(el);
    expect(legend(el)).to.equal('Expiry');
    await toStep(el, 'Confirm');
    const draft = await created(el, provider);
    expect(draft.allowed_ips).to.deep.equal(['203.0.113.0/24', '2001:db8::/32', '127.0.0.1', '::1']);
  });

  it('not-before must lie in the future and before the expiry', async () => {
    const provider = new FineGrainedProvider();
    const el = await setup(provider);
    type(el, 'input[name="name"]', 'later');
    openAdvanced(el);
    await el.updateComplete;
    const local = (ms: number): string => {
      const d = new Date(ms);
      const p = (n: number): string => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    };
    type(el, 'input[name="not_before"]', local(Date.now() - 3_600_000));
    await next(el);
    expect(errorOf(el, 'not_before')).to.equal('Pick a time in the future, or leave it empty.');
    expect(q(el, 'input[name="not_before"]')!.getAttribute('aria-invalid')).to.equal('true');
    // The default expiry is 30 days: 40 days ahead is after it.
    type(el, 'input[name="not_before"]', local(Date.now() + 40 * 86_400_000));
    await next(el);
    expect(errorOf(el, 'not_before')).to.equal('Pick a time before the token expires.');
    const at = Date.now() + 2 * 86_400_000;
    type(el, 'input[name="not_before"]', local(at));
    await toStep(el, 'Confirm');
    expect(q(el, 'dl')!.textContent).to.contain('Valid from');
    const draft = await created(el, provider);
    expect(Math.abs(Date.parse(draft.not_before!) - at)).to.be.below(60_000);
  });

  it('where approval applies: what the organisation reviews, a required justification (≤ 500), then "Request sent"', async () => {
    const provider = new FineGrainedProvider(fineGrainedCapabilities({ approvalRequired: true }));
    const el = await setup(provider);
    type(el, 'input[name="name"]', 'needs approval');
    await toStep(el, 'Confirm');
    expect(q(el, '[part="approval-notice"]')!.textContent).to.contain('reviews this request before the token works').and.to.contain('works only after an approver approves it');
    await expect(el).to.be.accessible();
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await el.updateComplete;
    expect(errorOf(el, 'justification')).to.equal('Say why you need this token.');
    await waitUntil(() => sr(el).activeElement === q(el, 'textarea[name="justification"]'), 'the field is focused');
    type(el, 'textarea[name="justification"]', 'x'.repeat(501));
    q<HTMLButtonElement>(el, '[part="submit"]')!.click();
    await el.updateComplete;
    expect(errorOf(el, 'justification')).to.equal('At most 500 characters.');
    expect(provider.calls.some(([m]) => m === 'createToken')).to.equal(false);
    type(el, 'textarea[name="justification"]', 'Nightly backups of project Alpha.');
    const draft = await created(el, provider);
    expect(draft.justification).to.equal('Nightly backups of project Alpha.');
    await waitUntil(() => q(el, '[part="notice"]')!.textContent === 'Request sent. The token works once an approver approves it.');
    expect(q(el, '[part="notice"]')!.getAttribute('role')).to.equal('status');
  });

  it('no justification is asked where approval does not apply to the caller', async () => {
    const provider = new FineGrainedProvider(fineGrainedCapabilities({ approvalRequired: false }));
    const el = await setup(provider);
    type(el, 'input[name="name"]', 'plain');
    await toStep(el, 'Confirm');
    expect(q(el, 'textarea[name="justification"]')).to.equal(null);
    expect(q(el, '[part="approval-notice"]')).to.equal(null);
    const draft = await created(el, provider);
    expect('justification' in draft).to.equal(false);
    expect('resources' in draft, '"All resources" sends no list').to.equal(false);
  });

  it('speaks German with lang="de"', async () => {
    const provider = new FineGrainedProvider(fineGrainedCapabilities({ approvalRequired: true }));
    const el = await setup(provider, 'de');
    await waitUntil(() => q(el, 'select[name="template"]'));
    expect(q(el, '[part="advanced"] summary')!.textContent).to.equal('Erweitert');
    expect(sr(el).textContent).to.contain('Mit einer Vorlage beginnen');
    openAdvanced(el);
    type(el, 'input[name="name"]', 'x');
    type(el, 'textarea[name="allowed_ips"]', 'nope');
    await next(el);
    expect(errorOf(el, 'allowed_ips')).to.contain('Keine IP-Adresse und kein Bereich: nope.');
  });
});
