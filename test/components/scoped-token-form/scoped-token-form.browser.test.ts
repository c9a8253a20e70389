/**
 * <pat-scoped-token-form> ("Create access token" for an organisation or group) in real Chromium: its
 * fields and the line saying which scope the token gets, validation before the provider is asked,
 * the password when the server wants one, the keyboard path to a created token shown once, and its
 * events. The providers are small stand-ins with only `createScopedToken`.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/scoped-token-form/scoped-token-form.ts';
import type { PatScopedTokenForm } from '../../../components/scoped-token-form/scoped-token-form.component.ts';
import type { CreatedToken, ScopedTokenDraft } from '../../../lib/model.ts';
import type { ScopedOwner, TokenProvider } from '../../../lib/provider.ts';
import { makeToken } from '../../support/memory-provider.ts';
import { describe, it } from '../../support/mocha.ts';

describe('<pat-scoped-token-form>', () => {
  const owner: ScopedOwner = { kind: 'group', id: 'grp_1', org_id: 'org_1', name: 'Platform' };

  it('offers Token name, Expiration date, Admin role (sentence case) and says which scope the token gets', async () => {
    const calls: Array<{ owner: ScopedOwner; draft: ScopedTokenDraft }> = [];
    const provider = {
      capabilities: { expiry: { mode: 'required', maxLifetimeDays: 365, defaultLifetimeDays: 30 }, passwordConfirmation: 'never' },
      createScopedToken: async (o: ScopedOwner, draft: ScopedTokenDraft): Promise<CreatedToken> => {
        calls.push({ owner: o, draft });
        throw Object.assign(new Error('The server said no.'), { code: 'forbidden' });
      },
    } as unknown as TokenProvider;
    const form = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${provider} .owner=${owner}></pat-scoped-token-form>`);
    const root = form.shadowRoot!;
    expect(root.querySelector('h2')!.textContent).to.equal('Create access token');
    const labels = [...root.querySelectorAll('label')].map((l) => l.textContent!.trim());
    expect(labels[0]).to.equal('Token name');
    expect(labels[1]).to.equal('Expiration date');
    expect(labels[2]).to.contain('Admin role: give this token the admin role');
    const line = (): string => root.querySelector('[part="scope-line"]')!.textContent!.trim();
    expect(line()).to.equal('Will have group user scope.');
    root.querySelector<HTMLInputElement>('input[name="admin_role"]')!.click();
    await form.updateComplete;
    expect(line()).to.equal('Will have group admin scope.');
    await expect(form).to.be.accessible();

    form.owner = { kind: 'organization', id: 'org_1', name: 'Acme' };
    await form.updateComplete;
    expect(line()).to.equal('Will have organization admin scope.');

    // An empty name never reaches the provider; a server refusal is shown.
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await form.updateComplete;
    expect(root.querySelector('[role="alert"]')!.textContent).to.equal('Enter a token name.');
    expect(calls.length).to.equal(0);
    root.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'ci';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('[role="alert"]')?.textContent === 'The server said no.', 'server error shown');
    expect(calls.length).to.equal(1);
    expect(calls[0]!.draft.admin_role).to.equal(true);
    expect(calls[0]!.draft.name).to.equal('ci');
    expect(Date.parse(calls[0]!.draft.expires_at!)).to.be.greaterThan(Date.now() + 29 * 86_400_000);
  });
});

describe('<pat-scoped-token-form> and the password policy', () => {
  it('asks for the password in the form itself once the server said it wants one, and sends it', async () => {
    const owner: ScopedOwner = { kind: 'organization', id: 'org_pw', name: 'Policy Org' };
    const sent: Array<string | undefined> = [];
    const provider = {
      capabilities: { expiry: { mode: 'required', maxLifetimeDays: 365, defaultLifetimeDays: 30 }, passwordConfirmation: 'policy' },
      createScopedToken: async (_o: ScopedOwner, _d: ScopedTokenDraft, confirm?: { password?: string }): Promise<CreatedToken> => {
        sent.push(confirm?.password);
        throw Object.assign(new Error(confirm?.password ? 'Stop here.' : 'Enter your password to confirm this change.'), {
          code: confirm?.password ? 'forbidden' : 'password_confirmation_required',
        });
      },
    } as unknown as TokenProvider;
    const form = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${provider} .owner=${owner}></pat-scoped-token-form>`);
    const root = form.shadowRoot!;
    expect(root.querySelector('input[name="password"]') === null, 'no password field while the policy is unknown').to.equal(true);
    root.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'ci';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('input[name="password"]'), 'password field after the server asked');
    expect(root.activeElement === root.querySelector('input[name="password"]'), 'focus on the password field').to.equal(true);
    await expect(form).to.be.accessible();
    const field = root.querySelector<HTMLInputElement>('input[name="password"]')!;
    field.value = 'pw-123';
    field.dispatchEvent(new InputEvent('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => sent.length === 2, 'sent again');
    expect(sent).to.deep.equal([undefined, 'pw-123']);
    // A second form on the same provider asks at once.
    const second = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${provider} .owner=${owner}></pat-scoped-token-form>`);
    expect(second.shadowRoot!.querySelector('input[name="password"]') !== null, 'remembered per provider').to.equal(true);
  });
});

describe('<pat-scoped-token-form>: creating, cancelling, limits', () => {
  const owner: ScopedOwner = { kind: 'organization', id: 'org_kb', name: 'Keyboard Org' };
  const SECRET = 'pat_scoped_0123456789abcdefghijklmnopqrstuv';

  function creating(drafts: ScopedTokenDraft[]): TokenProvider {
    return {
      capabilities: { expiry: { mode: 'required', maxLifetimeDays: 90, defaultLifetimeDays: 30 }, passwordConfirmation: 'never' },
      createScopedToken: async (_o: ScopedOwner, draft: ScopedTokenDraft): Promise<CreatedToken> => {
        drafts.push(draft);
        return { token: makeToken({ name: draft.name }), secret: SECRET };
      },
    } as unknown as TokenProvider;
  }

  it('keyboard only: type a name, Enter creates; pat-token-saved carries metadata only, the secret shows once, the form empties', async () => {
    const drafts: ScopedTokenDraft[] = [];
    const form = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${creating(drafts)} .owner=${owner}></pat-scoped-token-form>`);
    const root = form.shadowRoot!;
    root.querySelector<HTMLInputElement>('input[name="name"]')!.focus();
    await sendKeys({ type: 'deploy bot' });
    const saved = oneEvent(form, 'pat-token-saved');
    await sendKeys({ press: 'Enter' });
    const event = await saved;
    expect(event.detail.mode).to.equal('create');
    expect(event.detail.token.name).to.equal('deploy bot');
    expect(JSON.stringify(event.detail)).not.to.contain(SECRET);
    expect(drafts).to.have.length(1);
    expect(drafts[0]!.admin_role).to.equal(false);
    const reveal = (): Element | null => root.querySelector('pat-reveal-dialog');
    await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part~="secret"]'), 'the secret in the reveal dialog');
    expect(reveal()!.shadowRoot!.querySelector('[part~="secret"]')!.textContent).to.equal(SECRET);
    expect(root.querySelector<HTMLInputElement>('input[name="name"]')!.value).to.equal('');
    reveal()!.remove();
  });

  it('Cancel sends pat-wizard-cancel and creates nothing', async () => {
    const drafts: ScopedTokenDraft[] = [];
    const form = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${creating(drafts)} .owner=${owner}></pat-scoped-token-form>`);
    const cancelled = oneEvent(form, 'pat-wizard-cancel');
    [...form.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Cancel')!.click();
    await cancelled;
    expect(drafts).to.have.length(0);
  });

  it('a date past the server\'s maximum lifetime is refused on the date field, which gets focus; no request', async () => {
    const drafts: ScopedTokenDraft[] = [];
    const form = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${creating(drafts)} .owner=${owner}></pat-scoped-token-form>`);
    const root = form.shadowRoot!;
    const date = root.querySelector<HTMLInputElement>('input[name="expires_at"]')!;
    expect(Date.parse(date.value)).to.be.greaterThan(Date.now() + 28 * 86_400_000);
    root.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'too long';
    date.value = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    date.dispatchEvent(new InputEvent('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('[role="alert"]'), 'refusal shown');
    expect(root.querySelector('[role="alert"]')!.textContent).to.equal('Tokens on this server live at most 90 days.');
    await form.updateComplete;
    expect(root.activeElement).to.equal(date);
    expect(drafts).to.have.length(0);
  });
});
