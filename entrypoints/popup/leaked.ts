/**
 * "Revoke a leaked token" in the popup: paste → the kind recognised by its prefix and the
 * configured server it belongs to (pick one when several fit) → confirm → the result, with a way
 * back at every step.
 *
 * Where the secret goes (the fewest hops that keep docs/security.md rule 20, "only the background talks to
 * servers"): the popup recognises it locally (lib/leaked.ts), then sends it in one validated
 * `leaked.revoke` message to the background, which makes the one call to the place it belongs
 * (the chosen patkit / GitLab / npm server, or GitHub's revocation API) and forgets it. The popup
 * keeps it only in the password-type field, which is cleared the moment it is sent, on cancel and
 * on close; it is never put in storage, a cache, the URL, an event or the console.
 *
 * GitHub: `permissions.request` for api.github.com is the first call of the confirm click (a user
 * gesture; Firefox refuses it after an await).
 */
import { browser } from 'wxt/browser';
import { ProviderError } from '../../lib/errors.ts';
import { GITHUB_API_PERMISSION, recognizeSecret, SECRET_KINDS, type Recognition, type SecretKind } from '../../lib/leaked.ts';
import { send } from '../../extension/messaging/remote-provider.ts';
import { t } from '../../extension/i18n.ts';
import type { LeakedRevokeAnswer, ServerView } from '../../extension/messaging/protocol.ts';

/** The kind's name in the popup's language (lib's labels are English). */
const KIND_KEYS: Record<string, string> = {
  patkit: 'popupLeakedKindPatkit',
  gitlab_pat: 'popupLeakedKindGitlab',
  npm: 'popupLeakedKindNpm',
  github_classic: 'popupLeakedKindGithubClassic',
  github_fine_grained: 'popupLeakedKindGithubFineGrained',
  github_oauth: 'popupLeakedKindGithubOauth',
  github_user_to_server: 'popupLeakedKindGithubUserToServer',
  github_server_to_server: 'popupLeakedKindGithubServerToServer',
  github_refresh: 'popupLeakedKindGithubRefresh',
};
const TARGET_KEYS: Record<string, string> = { patkit: 'popupLeakedTargetPatkit', gitlab: 'popupLeakedTargetGitlab', npm: 'popupLeakedTargetNpm' };

const kindName = (kind: SecretKind): string => t(KIND_KEYS[kind.id] ?? 'popupLeakedKindPatkit');

function problemText(r: Extract<Recognition, { ok: false }>): string {
  const kind = r.kind ? kindName(r.kind) : '';
  switch (r.problem) {
    case 'empty':
      return t('popupLeakedEmpty');
    case 'too_long':
      return t('popupLeakedTooLong');
    case 'whitespace_inside':
      return t('popupLeakedWhitespace');
    case 'bad_characters':
      return t('popupLeakedBadCharacters', kind);
    case 'too_short':
      return t('popupLeakedTooShort', kind);
    case 'too_long_for_kind':
      return t('popupLeakedTooLongForKind', kind);
    default: {
      const order = ['patkit', 'gitlab', 'npm', 'github'];
      const kinds = [...SECRET_KINDS].sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target));
      return t('popupLeakedUnknown', kinds.map((k) => `${k.prefix} (${kindName(k)})`).join(', '));
    }
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

export interface LeakedFlowOptions {
  /** Back to where the user came from (the list). */
  close(): void;
  openOptions(): void;
}

/** The flow's elements, built once; each step shows one of the three step boxes. */
function buildView() {
  const heading = el('h2', { id: 'leaked-title', textContent: t('popupLeakedTitle') });
  const intro = el('p', { className: 'hint', textContent: t('popupLeakedIntro') });
  const input = el('input', { id: 'leaked-secret', type: 'password', autocomplete: 'off', spellcheck: false, required: true });
  input.setAttribute('autocapitalize', 'off');
  input.setAttribute('aria-describedby', 'leaked-kind');
  // Password managers: this is not a login field.
  input.setAttribute('data-1p-ignore', '');
  input.setAttribute('data-lpignore', 'true');
  const show = el('button', { type: 'button', id: 'leaked-show', className: 'secondary', textContent: t('popupLeakedShow') });
  show.setAttribute('aria-pressed', 'false');
  const field = el('div', { className: 'secret-field' }, el('label', { htmlFor: 'leaked-secret', textContent: t('popupLeakedField') }), el('div', { className: 'row' }, input, show));
  const kindLine = el('p', { id: 'leaked-kind', className: 'kind' });
  kindLine.setAttribute('role', 'status');
  const targetBox = el('div', { id: 'leaked-target' });
  const error = el('p', { id: 'leaked-error', className: 'error' });
  error.setAttribute('role', 'alert');
  const cancel = el('button', { type: 'button', id: 'leaked-cancel', className: 'secondary', textContent: t('popupLeakedCancel') });
  const next = el('button', { type: 'button', id: 'leaked-next', disabled: true, textContent: t('popupLeakedContinue') });
  const pasteStep = el('div', { id: 'leaked-paste' }, intro, field, kindLine, targetBox, el('div', { className: 'actions' }, cancel, next));

  const confirmText = el('p', { id: 'leaked-confirm-text' });
  const back = el('button', { type: 'button', id: 'leaked-back', className: 'secondary', textContent: t('popupLeakedBack') });
  const go = el('button', { type: 'button', id: 'leaked-go', className: 'danger' });
  const confirmStep = el('div', { id: 'leaked-confirm', hidden: true }, confirmText, el('div', { className: 'actions' }, back, go));

  const resultText = el('p', { id: 'leaked-result-text' });
  resultText.setAttribute('role', 'status');
  const again = el('button', { type: 'button', id: 'leaked-again', className: 'secondary', textContent: t('popupLeakedAgain') });
  const done = el('button', { type: 'button', id: 'leaked-done', textContent: t('popupLeakedDone') });
  const resultStep = el('div', { id: 'leaked-result', hidden: true }, resultText, el('div', { className: 'actions' }, again, done));

  const signIn = el('button', { type: 'button', id: 'leaked-open-options', className: 'secondary', hidden: true, textContent: t('popupLeakedOpenOptions') });
  return { input, show, kindLine, targetBox, error, signIn, cancel, next, pasteStep, confirmText, back, go, confirmStep, resultText, again, done, resultStep, heading };
}

/** What the result step says about the background's answer. */
function resultMessage(answer: LeakedRevokeAnswer): string {
  const where = answer.serverName ?? 'GitHub';
  if (answer.outcome === 'revoked') return answer.token ? t('popupLeakedRevokedNamed', where, answer.token.name) : t('popupLeakedRevoked', where);
  if (answer.outcome === 'reported') return answer.target === 'github' ? t('popupLeakedReportedGithub') : t('popupLeakedReported', where);
  return answer.target === 'gitlab' ? t('popupLeakedNotAcceptedGitlab', where) : t('popupLeakedNotFound', where);
}

/** One open flow: its elements, the configured servers and what the pasted value was recognised as. */
class LeakedFlow {
  private readonly view: HTMLElement;
  private readonly options: LeakedFlowOptions;
  private readonly ui: ReturnType<typeof buildView>;
  private servers: ServerView[] = [];
  private recognised: Extract<Recognition, { ok: true }> | null = null;

  constructor(view: HTMLElement, options: LeakedFlowOptions) {
    this.view = view;
    this.options = options;
    this.ui = buildView();
    const { heading, pasteStep, confirmStep, resultStep, error, signIn } = this.ui;
    view.replaceChildren(heading, pasteStep, confirmStep, resultStep, error, signIn);
    view.setAttribute('aria-labelledby', 'leaked-title');
    this.listen();
  }

  start(): void {
    void send('servers.list', {}).then(
      (views) => {
        this.servers = views;
        this.update();
      },
      (e: unknown) => this.setError(e instanceof Error ? e.message : String(e)),
    );
    this.step('paste');
    this.ui.input.focus();
  }

  /** Clears the field and empties the view. */
  readonly teardown = (): void => {
    this.ui.input.value = '';
    this.recognised = null;
    this.view.replaceChildren();
  };

  private leave(): void {
    this.teardown();
    this.options.close();
  }

  private setError(text: string, offerOptions = false): void {
    this.ui.error.textContent = text;
    this.ui.signIn.hidden = !offerOptions;
  }

  private step(which: 'paste' | 'confirm' | 'result'): void {
    this.ui.pasteStep.hidden = which !== 'paste';
    this.ui.confirmStep.hidden = which !== 'confirm';
    this.ui.resultStep.hidden = which !== 'result';
  }

  private listen(): void {
    const { input, show, cancel, done, signIn, next, back, go, again } = this.ui;
    input.addEventListener('input', () => this.update());
    show.addEventListener('click', () => {
      const visible = input.type === 'password';
      input.type = visible ? 'text' : 'password';
      show.textContent = visible ? t('popupLeakedHide') : t('popupLeakedShow');
      show.setAttribute('aria-pressed', String(visible));
    });
    cancel.addEventListener('click', () => this.leave());
    done.addEventListener('click', () => this.leave());
    signIn.addEventListener('click', () => this.options.openOptions());
    this.view.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        if (!this.ui.confirmStep.hidden) return void (this.step('paste'), input.focus());
        this.leave();
      }
    });
    next.addEventListener('click', () => this.confirm());
    back.addEventListener('click', () => {
      this.step('paste');
      input.focus();
    });
    go.addEventListener('click', () => this.revoke());
    again.addEventListener('click', () => {
      input.value = '';
      this.update();
      this.step('paste');
      input.focus();
    });
  }

  /** The servers of the recognised kind; the checked one is the target. */
  private chosenServer(): ServerView | null {
    const recognised = this.recognised;
    if (!recognised || recognised.kind.target === 'github') return null;
    const matching = this.servers.filter((s) => s.kind === recognised.kind.target);
    if (matching.length === 1) return matching[0]!;
    const checked = this.ui.targetBox.querySelector<HTMLInputElement>('input[name=leaked-server]:checked');
    return matching.find((s) => s.id === checked?.value) ?? null;
  }

  private renderTarget(): void {
    const { targetBox } = this.ui;
    targetBox.replaceChildren();
    this.setError('');
    if (!this.recognised) return;
    const { kind } = this.recognised;
    if (kind.target === 'github') {
      targetBox.append(el('p', { className: 'hint', textContent: t('popupLeakedGithubNote') }));
      return;
    }
    const matching = this.servers.filter((s) => s.kind === kind.target);
    if (matching.length === 0) {
      this.setError(t('popupLeakedNoServer', t(TARGET_KEYS[kind.target]!)), true);
    } else if (matching.length === 1) {
      targetBox.append(el('p', { className: 'on', textContent: t('popupLeakedOn', matching[0]!.name) }));
    } else {
      const legend = el('legend', { textContent: t('popupLeakedPickServer') });
      const radios = matching.map((s) => {
        const radio = el('input', { type: 'radio', name: 'leaked-server', value: s.id });
        radio.addEventListener('change', () => this.update());
        return el('label', {}, radio, ` ${s.name}`);
      });
      targetBox.append(el('fieldset', {}, legend, ...radios));
    }
    if (kind.target === 'npm' && matching.length > 0) targetBox.append(el('p', { className: 'hint', textContent: t('popupLeakedNpmNote') }));
  }

  private update(): void {
    const { input, kindLine, next } = this.ui;
    const r = input.value.trim() === '' ? null : recognizeSecret(input.value);
    const before = this.recognised;
    this.recognised = r?.ok ? r : null;
    const recognised = this.recognised;
    kindLine.textContent = r === null ? '' : r.ok ? t('popupLeakedRecognised', kindName(r.kind)) : problemText(r);
    kindLine.toggleAttribute('data-problem', r !== null && !r.ok);
    if (before?.kind !== recognised?.kind || !recognised) this.renderTarget();
    next.disabled = !recognised || (recognised.kind.target !== 'github' && this.chosenServer() === null);
    next.textContent = recognised?.kind.target === 'github' ? t('popupLeakedContinueGithub') : t('popupLeakedContinue');
  }

  /** "Continue": says what will happen, where. */
  private confirm(): void {
    if (!this.recognised) return;
    const { confirmText, go } = this.ui;
    const server = this.chosenServer();
    const name = kindName(this.recognised.kind);
    if (this.recognised.kind.target === 'github') {
      confirmText.textContent = t('popupLeakedConfirmGithub', name);
      go.textContent = t('popupLeakedReportGithub');
    } else if (this.recognised.kind.target === 'patkit') {
      confirmText.textContent = t('popupLeakedConfirmReport', name, server!.name);
      go.textContent = t('popupLeakedReport');
    } else {
      confirmText.textContent = t('popupLeakedConfirmRevoke', name, server!.name);
      go.textContent = t('popupLeakedRevoke');
    }
    this.setError('');
    this.step('confirm');
    go.focus();
  }

  /** The confirm click: sends the secret once, then keeps no copy. */
  private revoke(): void {
    if (!this.recognised) return;
    const { go, back } = this.ui;
    const { kind, secret } = this.recognised;
    const server = this.chosenServer();
    // GitHub: the permission request comes first, synchronously inside the click (user gesture).
    const permission = kind.target === 'github' ? browser.permissions.request({ origins: [GITHUB_API_PERMISSION] }) : Promise.resolve(true);
    go.disabled = back.disabled = true;
    this.setError('');
    void this.send(permission, secret, server).finally(() => {
      go.disabled = back.disabled = false;
    });
  }

  private async send(permission: Promise<boolean>, secret: string, server: ServerView | null): Promise<void> {
    const { input } = this.ui;
    try {
      if (!(await permission)) {
        this.setError(t('popupLeakedGithubDenied'));
        return;
      }
      const request = server ? send('leaked.revoke', { secret, serverId: server.id }) : send('leaked.revoke', { secret });
      // Sent: the popup keeps no copy from here on.
      input.value = '';
      this.recognised = null;
      this.showResult(await request);
    } catch (e) {
      const unauthorized = e instanceof ProviderError && e.code === 'unauthorized';
      if (!input.value) {
        // The value is gone (sent): start again from the paste, with the reason shown.
        this.step('paste');
        this.update();
        input.focus();
      }
      this.setError(e instanceof Error ? `${e.message} ${unauthorized ? t('popupLeakedSignInHint') : t('popupLeakedTryAgain')}` : String(e), unauthorized);
    }
  }

  private showResult(answer: LeakedRevokeAnswer): void {
    const { resultText, done } = this.ui;
    resultText.textContent = resultMessage(answer);
    resultText.dataset.outcome = answer.outcome;
    this.step('result');
    done.focus();
  }
}

/**
 * Renders the flow into `view` (emptied first). Returns a function that tears it down, clearing
 * the field, for the popup to call when it leaves the view another way.
 */
export function openLeakedFlow(view: HTMLElement, options: LeakedFlowOptions): () => void {
  const flow = new LeakedFlow(view, options);
  flow.start();
  return flow.teardown;
}
