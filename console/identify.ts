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
import { identifyStrings } from './identify.strings.ts';

const when = (iso: string | null, none: string): string => (iso === null ? none : formatUtc(iso));

/** What went wrong, in words an admin can act on. */
export function identifyErrorText(error: unknown): string {
  if (!(error instanceof ProviderError)) return error instanceof Error ? error.message : String(error);
  const s = identifyStrings();
  switch (error.code) {
    case 'validation_failed':
      return s.notPatkit;
    case 'not_found':
      return s.notFound;
    case 'forbidden':
      return s.forbidden;
    case 'unauthorized':
      return s.signedOut;
    case 'rate_limited':
      return s.rateLimited(error.retryAfter ?? null);
    default:
      return error.message;
  }
}

function ownerText(token: TokenMeta, owner: IdentifiedToken['owner']): string {
  const s = identifyStrings();
  const person = `${owner.display_name} (${owner.username})`;
  if (token.owner.kind === 'user') return `${person}${owner.active ? '' : s.deactivated}`;
  return s.scopedOwner(token.owner.scope_name ?? token.owner.scope_id ?? s.unnamedScope, token.owner.kind === 'group' ? 'group' : 'organization', person);
}

function statusText(token: TokenMeta): string {
  const s = identifyStrings();
  if (token.status === 'expired') return s.expired;
  if (token.status === 'disabled') return s.disabled;
  return s.active;
}

function resultCard(found: IdentifiedToken): HTMLElement {
  const s = identifyStrings();
  const { token, owner } = found;
  const row = (term: string, ...detail: Child[]): HTMLElement[] => [el('dt', {}, term), el('dd', {}, ...detail)];
  const uses = token.recent_uses ?? [];
  const lastUse = token.last_used_at === null ? s.neverUsed : `${when(token.last_used_at, '')}${token.last_used_ip ? s.fromIp(token.last_used_ip) : ''}`;
  const matched =
    found.matched === 'previous' ? s.previousSecret(token.rotation ? when(token.rotation.previous_valid_until, '') : null) : s.currentSecret;
  return el(
    'section',
    { class: 'identified', 'aria-labelledby': 'identified-title' },
    el('h2', { id: 'identified-title' }, s.resultTitle(token.name, owner.display_name)),
    found.matched === 'previous' ? el('p', { class: 'notice', role: 'note' }, s.previousNote) : null,
    el(
      'dl',
      { class: 'facts' },
      ...row(s.owner, ownerText(token, owner)),
      ...row(s.tokenName, token.name),
      ...row(s.tokenId, el('code', {}, token.id)),
      ...row(s.status, statusText(token)),
      ...row(s.scopes, token.scopes.length ? token.scopes.join(', ') : s.noScopes),
      ...row(s.expires, when(token.expires_at, s.never)),
      ...row(s.lastUsed, lastUse),
      ...(uses.length
        ? row(s.recentUses, el('ul', { class: 'uses' }, ...uses.map((u) => el('li', {}, `${u.ip}, ${when(u.at, '')}`))))
        : []),
      ...row(s.valueIs, matched),
    ),
  );
}

/** Renders the page into `main`. */
export function renderIdentifyPage(provider: TokenProvider, main: HTMLElement): void {
  const s = identifyStrings();
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
  const show = el('button', { type: 'button', class: 'show-value', 'aria-pressed': 'false', 'aria-controls': 'identify-value' }, s.show);
  show.addEventListener('click', () => {
    const visible = input.type === 'password';
    input.type = visible ? 'text' : 'password';
    show.setAttribute('aria-pressed', String(visible));
  });
  const submit = el('button', { type: 'submit', class: 'primary' }, s.identify);
  const status = el('p', { role: 'status', class: 'status' });
  const error = el('p', { role: 'alert', class: 'error' });
  const result = el('div', { class: 'identify-result' });
  const form = el(
    'form',
    // Our own messages (in the alert below) instead of the browser's validation bubble.
    { class: 'identify', 'aria-label': s.title, novalidate: true },
    el('label', { for: 'identify-value' }, s.value),
    el('div', { class: 'value-row' }, input, show),
    el('p', { id: 'identify-help', class: 'help' }, s.help),
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
      error.textContent = s.empty;
      input.focus();
      return;
    }
    const shape = patkitTokenForm(value);
    if (shape !== 'ok') {
      error.textContent = shape === 'bad-checksum' ? s.badChecksum : identifyErrorText(new ProviderError('validation_failed', 'not a patkit token'));
      input.focus();
      return;
    }
    if (!provider.identifyToken) {
      error.textContent = s.unsupported;
      return;
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    status.textContent = s.lookingUp;
    try {
      const found = await provider.identifyToken(value);
      status.textContent = s.found(found.token.name, found.owner.username);
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

  main.replaceChildren(el('h1', {}, s.title), form, result);
  input.focus();
}
