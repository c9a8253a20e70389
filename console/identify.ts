/**
 * The console's "Identify a token" page (hash route `#/identify`, admins with `users:read`): paste a
 * token value, see whose it is — owner, token name and id, status, scopes, expiry, last uses, and
 * whether the value was a previous secret still in its grace period. Uses the provider's
 * `identifyToken` (POST /api/v1/tokens/identify, audited by the server as `token.identified`).
 *
 * The pasted value is a secret: it is read out of the field and the field is cleared before the
 * request goes out; it never goes into the URL, storage, the console log or the page, and the field
 * opts out of autofill history (`autocomplete="off"`, no `name`); it is a password-type field, shown
 * in clear only while "Show" is pressed. Server strings go in as text only
 * (docs/security.md rule 21).
 */
import { ProviderError } from '../lib/errors.ts';
import type { IdentifiedToken, TokenMeta } from '../lib/model.ts';
import { patkitTokenForm } from '../lib/token-checksum.ts';
import type { TokenProvider } from '../lib/provider.ts';
import { el, formatUtc, type Child } from './dom.ts';

const when = (iso: string | null, none: string): string => (iso === null ? none : formatUtc(iso));

const BAD_CHECKSUM =
  'The checksum at the end of this value is wrong: it was mistyped or only partly copied, or it is not a patkit token. Copy it again, whole.';

/** What went wrong, in words an admin can act on. */
export function identifyErrorText(error: unknown): string {
  if (!(error instanceof ProviderError)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case 'validation_failed':
      return 'That is not a patkit token: patkit tokens start with "pat_" followed by 36 letters and digits. Check that it was copied whole.';
    case 'not_found':
      return 'No token of this server has that value: it was deleted, regenerated (and its grace period is over) or never existed here.';
    case 'forbidden':
      return 'Your account may not identify tokens: that needs the users:read permission.';
    case 'unauthorized':
      return 'Your session has ended. Sign in again, then paste the value again.';
    case 'rate_limited':
      return `Too many attempts. Try again${error.retryAfter ? ` in ${error.retryAfter} seconds` : ' later'}.`;
    default:
      return error.message;
  }
}

function ownerText(token: TokenMeta, owner: IdentifiedToken['owner']): string {
  const person = `${owner.display_name} (${owner.username})`;
  if (token.owner.kind === 'user') return `${person}${owner.active ? '' : ', deactivated'}`;
  const level = token.owner.kind === 'group' ? 'group' : 'organization';
  return `${token.owner.scope_name ?? token.owner.scope_id ?? 'an'} ${level} token (technical user ${person})`;
}

function statusText(token: TokenMeta): string {
  if (token.status === 'expired') return 'Expired: it no longer works.';
  if (token.status === 'disabled') return 'Disabled: it does not work until its owner or an admin enables it.';
  return 'Active: it works.';
}

function resultCard(found: IdentifiedToken): HTMLElement {
  const { token, owner } = found;
  const row = (term: string, ...detail: Child[]): HTMLElement[] => [el('dt', {}, term), el('dd', {}, ...detail)];
  const uses = token.recent_uses ?? [];
  const lastUse = token.last_used_at === null ? 'Never used' : `${when(token.last_used_at, '')}${token.last_used_ip ? ` from ${token.last_used_ip}` : ''}`;
  const matched =
    found.matched === 'previous'
      ? `A previous secret of this token, replaced by a regenerate but still valid in its grace period${
          token.rotation ? ` until ${when(token.rotation.previous_valid_until, '')}` : ''
        }. Whatever uses it should move to the new value.`
      : 'The current secret of this token.';
  return el(
    'section',
    { class: 'identified', 'aria-labelledby': 'identified-title' },
    el('h2', { id: 'identified-title' }, `Token “${token.name}” of ${owner.display_name}`),
    found.matched === 'previous' ? el('p', { class: 'notice', role: 'note' }, 'This value is a previous secret in its grace period.') : null,
    el(
      'dl',
      { class: 'facts' },
      ...row('Owner', ownerText(token, owner)),
      ...row('Token name', token.name),
      ...row('Token id', el('code', {}, token.id)),
      ...row('Status', statusText(token)),
      ...row('Scopes', token.scopes.length ? token.scopes.join(', ') : 'None'),
      ...row('Expires', when(token.expires_at, 'Never')),
      ...row('Last used', lastUse),
      ...(uses.length
        ? row('Recent uses', el('ul', { class: 'uses' }, ...uses.map((u) => el('li', {}, `${u.ip}, ${when(u.at, '')}`))))
        : []),
      ...row('The value is', matched),
    ),
  );
}

/** Renders the page into `main`. */
export function renderIdentifyPage(provider: TokenProvider, main: HTMLElement): void {
  const input = el('input', {
    id: 'identify-value',
    type: 'password',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'identify-help',
    class: 'secret-input',
  });
  const show = el('button', { type: 'button', class: 'show-value', 'aria-pressed': 'false', 'aria-controls': 'identify-value' }, 'Show');
  show.addEventListener('click', () => {
    const visible = input.type === 'password';
    input.type = visible ? 'text' : 'password';
    show.setAttribute('aria-pressed', String(visible));
  });
  const submit = el('button', { type: 'submit', class: 'primary' }, 'Identify');
  const status = el('p', { role: 'status', class: 'status' });
  const error = el('p', { role: 'alert', class: 'error' });
  const result = el('div', { class: 'identify-result' });
  const form = el(
    'form',
    // Our own messages (in the alert below) instead of the browser's validation bubble.
    { class: 'identify', 'aria-label': 'Identify a token', novalidate: true },
    el('label', { for: 'identify-value' }, 'Token value'),
    el('div', { class: 'value-row' }, input, show),
    el(
      'p',
      { id: 'identify-help', class: 'help' },
      'Paste a token (pat_…) to see whose it is. The value goes to this server only and is cleared from this field as soon as you press Identify; every lookup is recorded in the audit log.',
    ),
    submit,
    status,
    error,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // Out of the field before anything else: the secret stays on the page no longer than needed.
    const value = input.value.trim();
    input.value = '';
    error.textContent = '';
    status.textContent = '';
    result.replaceChildren();
    if (value === '') {
      error.textContent = 'Paste a token value first.';
      input.focus();
      return;
    }
    const shape = patkitTokenForm(value);
    if (shape !== 'ok') {
      error.textContent = shape === 'bad-checksum' ? BAD_CHECKSUM : identifyErrorText(new ProviderError('validation_failed', 'not a patkit token'));
      input.focus();
      return;
    }
    if (!provider.identifyToken) {
      error.textContent = 'This server cannot identify tokens.';
      return;
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    status.textContent = 'Looking up…';
    try {
      const found = await provider.identifyToken(value);
      status.textContent = `Found: token “${found.token.name}” of ${found.owner.username}.`;
      result.replaceChildren(resultCard(found));
    } catch (e) {
      status.textContent = '';
      error.textContent = identifyErrorText(e);
      input.focus();
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });

  main.replaceChildren(el('h1', {}, 'Identify a token'), form, result);
  input.focus();
}
