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

/**
 * Renders the flow into `view` (emptied first). Returns a function that tears it down, clearing
 * the field, for the popup to call when it leaves the view another way.
 */
export function openLeakedFlow(view: HTMLElement, options: LeakedFlowOptions): () => void {
  let servers: ServerView[] = [];
  let recognised: Extract<Recognition, { ok: true }> | null = null;

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
  view.replaceChildren(heading, pasteStep, confirmStep, resultStep, error, signIn);
  view.setAttribute('aria-labelledby', 'leaked-title');

  const setError = (text: string, offerOptions = false): void => {
    error.textContent = text;
    signIn.hidden = !offerOptions;
  };
  const step = (which: 'paste' | 'confirm' | 'result'): void => {
    pasteStep.hidden = which !== 'paste';
    confirmStep.hidden = which !== 'confirm';
    resultStep.hidden = which !== 'result';
  };

  /** The servers of the recognised kind; the checked one is the target. */
  function chosenServer(): ServerView | null {
    if (!recognised || recognised.kind.target === 'github') return null;
    const matching = servers.filter((s) => s.kind === recognised!.kind.target);
    if (matching.length === 1) return matching[0]!;
    const checked = targetBox.querySelector<HTMLInputElement>('input[name=leaked-server]:checked');
    return matching.find((s) => s.id === checked?.value) ?? null;
  }

  function renderTarget(): void {
    targetBox.replaceChildren();
    setError('');
    if (!recognised) return;
    const { kind } = recognised;
    if (kind.target === 'github') {
      targetBox.append(el('p', { className: 'hint', textContent: t('popupLeakedGithubNote') }));
      return;
    }
    const matching = servers.filter((s) => s.kind === kind.target);
    if (matching.length === 0) {
      setError(t('popupLeakedNoServer', t(TARGET_KEYS[kind.target]!)), true);
    } else if (matching.length === 1) {
      targetBox.append(el('p', { className: 'on', textContent: t('popupLeakedOn', matching[0]!.name) }));
    } else {
      const legend = el('legend', { textContent: t('popupLeakedPickServer') });
      const radios = matching.map((s) => {
        const radio = el('input', { type: 'radio', name: 'leaked-server', value: s.id });
        radio.addEventListener('change', update);
        return el('label', {}, radio, ` ${s.name}`);
      });
      targetBox.append(el('fieldset', {}, legend, ...radios));
    }
    if (kind.target === 'npm' && matching.length > 0) targetBox.append(el('p', { className: 'hint', textContent: t('popupLeakedNpmNote') }));
  }

  function update(): void {
    const r = input.value.trim() === '' ? null : recognizeSecret(input.value);
    const before = recognised;
    recognised = r?.ok ? r : null;
    kindLine.textContent = r === null ? '' : r.ok ? t('popupLeakedRecognised', kindName(r.kind)) : problemText(r);
    kindLine.toggleAttribute('data-problem', r !== null && !r.ok);
    if (before?.kind !== recognised?.kind || !recognised) renderTarget();
    next.disabled = !recognised || (recognised.kind.target !== 'github' && chosenServer() === null);
    next.textContent = recognised?.kind.target === 'github' ? t('popupLeakedContinueGithub') : t('popupLeakedContinue');
  }

  input.addEventListener('input', update);
  show.addEventListener('click', () => {
    const visible = input.type === 'password';
    input.type = visible ? 'text' : 'password';
    show.textContent = visible ? t('popupLeakedHide') : t('popupLeakedShow');
    show.setAttribute('aria-pressed', String(visible));
  });

  const teardown = (): void => {
    input.value = '';
    recognised = null;
    view.replaceChildren();
  };
  const leave = (): void => {
    teardown();
    options.close();
  };
  cancel.addEventListener('click', leave);
  done.addEventListener('click', leave);
  signIn.addEventListener('click', () => options.openOptions());
  view.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      if (!confirmStep.hidden) return void (step('paste'), input.focus());
      leave();
    }
  });

  next.addEventListener('click', () => {
    if (!recognised) return;
    const server = chosenServer();
    const name = kindName(recognised.kind);
    if (recognised.kind.target === 'github') {
      confirmText.textContent = t('popupLeakedConfirmGithub', name);
      go.textContent = t('popupLeakedReportGithub');
    } else if (recognised.kind.target === 'patkit') {
      confirmText.textContent = t('popupLeakedConfirmReport', name, server!.name);
      go.textContent = t('popupLeakedReport');
    } else {
      confirmText.textContent = t('popupLeakedConfirmRevoke', name, server!.name);
      go.textContent = t('popupLeakedRevoke');
    }
    setError('');
    step('confirm');
    go.focus();
  });
  back.addEventListener('click', () => {
    step('paste');
    input.focus();
  });

  go.addEventListener('click', () => {
    if (!recognised) return;
    const { kind, secret } = recognised;
    const server = chosenServer();
    // GitHub: the permission request comes first, synchronously inside the click (user gesture).
    const permission = kind.target === 'github' ? browser.permissions.request({ origins: [GITHUB_API_PERMISSION] }) : Promise.resolve(true);
    go.disabled = back.disabled = true;
    setError('');
    void (async () => {
      try {
        if (!(await permission)) {
          setError(t('popupLeakedGithubDenied'));
          return;
        }
        const request = server ? send('leaked.revoke', { secret, serverId: server.id }) : send('leaked.revoke', { secret });
        // Sent: the popup keeps no copy from here on.
        input.value = '';
        recognised = null;
        showResult(await request);
      } catch (e) {
        const unauthorized = e instanceof ProviderError && e.code === 'unauthorized';
        if (!input.value) {
          // The value is gone (sent): start again from the paste, with the reason shown.
          step('paste');
          update();
          input.focus();
        }
        setError(e instanceof Error ? `${e.message} ${unauthorized ? t('popupLeakedSignInHint') : t('popupLeakedTryAgain')}` : String(e), unauthorized);
      } finally {
        go.disabled = back.disabled = false;
      }
    })();
  });

  function showResult(answer: LeakedRevokeAnswer): void {
    const where = answer.serverName ?? 'GitHub';
    const text =
      answer.outcome === 'revoked'
        ? answer.token
          ? t('popupLeakedRevokedNamed', where, answer.token.name)
          : t('popupLeakedRevoked', where)
        : answer.outcome === 'reported'
          ? answer.target === 'github'
            ? t('popupLeakedReportedGithub')
            : t('popupLeakedReported', where)
          : answer.target === 'gitlab'
            ? t('popupLeakedNotAcceptedGitlab', where)
            : t('popupLeakedNotFound', where);
    resultText.textContent = text;
    resultText.dataset.outcome = answer.outcome;
    step('result');
    done.focus();
  }

  again.addEventListener('click', () => {
    input.value = '';
    update();
    step('paste');
    input.focus();
  });

  void send('servers.list', {}).then(
    (views) => {
      servers = views;
      update();
    },
    (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
  );
  step('paste');
  input.focus();
  return teardown;
}
