/**
 * One configured server on the options page: its state and who is signed in, the sign-in form
 * (password, with a one-time code once the server asks for one, or token), sign out, edit, remove.
 * Server strings are rendered with `textContent` only (docs/security.md rule 21).
 */
import { ProviderError } from '../../lib/errors.ts';
import type { ProviderDescriptor } from '../../lib/provider.ts';
import { send } from '../../extension/messaging/remote-provider.ts';
import type { ServerView, SignInRequest } from '../../extension/messaging/protocol.ts';
import { t } from '../../extension/i18n.ts';
import { $, message } from './page.ts';

const STATE_LABEL: Record<ServerView['state'], string> = { signed_in: 'optionsStateSignedIn', signed_out: 'optionsStateSignedOut', offline: 'optionsStateOffline' };

export interface ServerCardActions {
  /** Reloads the server list after a change. */
  refresh(): Promise<void>;
  edit(server: ServerView): void;
}

function fill(card: HTMLElement, server: ServerView, descriptor: ProviderDescriptor | undefined): void {
  card.dataset.serverId = server.id;
  $('.name', card).textContent = server.name;
  $('.kind', card).textContent = descriptor?.label ?? server.kind;
  const state = $<HTMLElement>('.state', card);
  state.textContent = t(STATE_LABEL[server.state]);
  state.dataset.state = server.state;
  $('.url', card).textContent = server.baseUrl;
  $('.who', card).textContent = server.user ? t('optionsSignedInAs', server.user.display_name || server.user.username, server.user.username) : '';
  $<HTMLElement>('.keep-note', card).hidden = !(server.user && server.keepSignedIn);
  $<HTMLFormElement>('form.signin', card).hidden = server.state !== 'signed_out';
  $<HTMLElement>('.sign-out', card).hidden = server.state === 'signed_out';
}

/** The sign-in form's request, or the page's reason why it cannot be sent yet. */
function readSignIn(form: HTMLFormElement, serverId: string, otpAsked: boolean): SignInRequest | { problem: 'optionsNeedToken' | 'optionsNeedCredentials' | 'optionsNeedOtp' } {
  const data = new FormData(form);
  const keepSignedIn = data.get('keep') === 'on';
  if (data.get(`method-${serverId}`) === 'token') {
    const token = String(data.get('token') ?? '');
    return token === '' ? { problem: 'optionsNeedToken' } : { serverId, kind: 'token', token, keepSignedIn };
  }
  const username = String(data.get('username') ?? '');
  const password = String(data.get('password') ?? '');
  if (username === '' || password === '') return { problem: 'optionsNeedCredentials' };
  const otp = otpAsked ? String(data.get('otp') ?? '').trim() : undefined;
  if (otp !== undefined && !/^[0-9]{4,10}$/.test(otp)) return { problem: 'optionsNeedOtp' };
  return { serverId, kind: 'password', username, password, keepSignedIn, ...(otp !== undefined ? { otp } : {}) };
}

function wireSignIn(card: HTMLElement, server: ServerView, descriptor: ProviderDescriptor | undefined, actions: ServerCardActions): void {
  const signin = $<HTMLFormElement>('form.signin', card);
  const methods = descriptor?.signIn ?? ['password', 'token'];
  for (const radio of card.querySelectorAll<HTMLInputElement>('input[name=method]')) {
    radio.name = `method-${server.id}`;
    (radio.closest('label') as HTMLElement).hidden = !methods.includes(radio.value as 'password' | 'token');
    if (radio.value === methods[0]) radio.checked = true;
  }
  const otpLabel = $<HTMLElement>('label.otp', card);
  let otpAsked = false;
  const showMethod = (): void => {
    const method = card.querySelector<HTMLInputElement>(`input[name=method-${server.id}]:checked`)?.value ?? 'password';
    for (const el of card.querySelectorAll<HTMLElement>('.by-password')) el.hidden = method !== 'password';
    for (const el of card.querySelectorAll<HTMLElement>('.by-token')) el.hidden = method !== 'token';
    // The one-time code appears only once the server asked for it (two-factor accounts), and only for a password.
    otpLabel.hidden = method !== 'password' || !otpAsked;
  };
  signin.addEventListener('change', showMethod);
  showMethod();
  const error = $<HTMLElement>('.error', card);
  signin.addEventListener('submit', (event) => {
    event.preventDefault();
    const request = readSignIn(signin, server.id, otpAsked);
    error.textContent = '';
    if ('problem' in request) {
      if (request.problem === 'optionsNeedOtp') $<HTMLInputElement>('input[name=otp]', card).focus();
      return void (error.textContent = t(request.problem));
    }
    void send('auth.signIn', request).then(
      () => actions.refresh(),
      (e: unknown) => {
        if (e instanceof ProviderError && e.code === 'otp_required' && request.kind === 'password') {
          // First time: ask for the code, in the page's words; after a code: the server's reason.
          const first = !otpAsked;
          otpAsked = true;
          showMethod();
          const otp = $<HTMLInputElement>('input[name=otp]', card);
          otp.value = '';
          otp.focus();
          error.textContent = first ? t('optionsOtpAsked') : t('optionsOtpWrong');
          return;
        }
        error.textContent = message(e);
      },
    );
  });
}

/** A card for `server` from the page's `#server-card` template, with its buttons wired. */
export function serverCard(template: HTMLTemplateElement, server: ServerView, descriptors: ProviderDescriptor[], actions: ServerCardActions): HTMLElement {
  const card = (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  const descriptor = descriptors.find((d) => d.kind === server.kind);
  fill(card, server, descriptor);
  wireSignIn(card, server, descriptor, actions);
  const error = $<HTMLElement>('.error', card);
  $('.sign-out', card).addEventListener('click', () => {
    void send('auth.signOut', { serverId: server.id }).then(actions.refresh, (e: unknown) => (error.textContent = message(e)));
  });
  $('.edit', card).addEventListener('click', () => actions.edit(server));
  $('.remove', card).addEventListener('click', () => {
    if (!confirm(t('optionsConfirmRemove', server.name))) return;
    void send('servers.remove', { serverId: server.id }).then(actions.refresh, (e: unknown) => (error.textContent = message(e)));
  });
  return card;
}
