/**
 * Rotation with a grace period in the popup, where the server can keep the old value working
 * (`capabilities.rotationGraceMaxSeconds` > 0): the regenerate confirmation offers none / 1 hour /
 * 1 day / 7 days (up to the server's maximum), the reveal says until when the old value works,
 * and rotating tokens are listed above the list with their end of grace and "End grace now".
 * Everything goes through the popup's {@link RemoteProvider} (the background makes the calls).
 */
import { PatkitError } from '../../lib/errors.ts';
import type { CreatedToken, TokenMeta } from '../../lib/model.ts';
import type { TokenProvider } from '../../lib/provider.ts';
import { t } from '../background/i18n.ts';

export const GRACE_CHOICES: ReadonlyArray<{ seconds: number; key: string }> = [
  { seconds: 0, key: 'popupGraceNone' },
  { seconds: 3600, key: 'popupGraceHour' },
  { seconds: 86_400, key: 'popupGraceDay' },
  { seconds: 604_800, key: 'popupGraceWeek' },
];

const time = (iso: string): string => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

export interface RegenerateWithGraceOptions {
  provider: TokenProvider;
  token: TokenMeta;
  passwordRequired: boolean;
  /** Shows the new secret once (the kit's reveal dialog), with `intro` in place of its first line. */
  reveal(created: CreatedToken, intro: string | null): Promise<void>;
}

/**
 * The confirmation (a native modal dialog: Escape and Cancel close it, focus returns to the
 * opener), then the regenerate. Wrong passwords keep the dialog open with the reason.
 * Resolves `true` once regenerated, `false` when cancelled.
 */
export function regenerateWithGrace(options: RegenerateWithGraceOptions): Promise<boolean> {
  const { provider, token } = options;
  const max = provider.capabilities.rotationGraceMaxSeconds;
  const opener = document.activeElement as HTMLElement | null;
  const dialog = el('dialog', { className: 'grace', id: 'grace-dialog' });
  dialog.setAttribute('role', 'alertdialog');
  dialog.setAttribute('aria-labelledby', 'grace-title');
  const radios = GRACE_CHOICES.filter((c) => c.seconds <= max).map((c, i) =>
    el('label', {}, el('input', { type: 'radio', name: 'grace', value: String(c.seconds), checked: i === 0 }), ` ${t(c.key)}`),
  );
  const password = el('input', { type: 'password', id: 'grace-password', autocomplete: 'current-password' });
  const passwordBox = el('div', { className: 'password', hidden: !options.passwordRequired }, el('label', { htmlFor: 'grace-password', textContent: t('popupPasswordBody') }), password);
  const error = el('p', { className: 'error', id: 'grace-error' });
  error.setAttribute('role', 'alert');
  const cancel = el('button', { type: 'button', className: 'secondary', id: 'grace-cancel', textContent: t('popupGraceCancel') });
  const confirm = el('button', { type: 'submit', className: 'danger', id: 'grace-confirm', textContent: t('popupGraceConfirm') });
  const form = el(
    'form',
    { method: 'dialog' },
    el('h2', { id: 'grace-title', textContent: t('popupGraceTitle', token.name) }),
    el('p', { textContent: t('popupGraceBody') }),
    el('fieldset', {}, el('legend', { textContent: t('popupGraceLegend') }), ...radios),
    passwordBox,
    error,
    el('div', { className: 'actions' }, cancel, confirm),
  );
  dialog.append(form);
  document.body.append(dialog);
  dialog.showModal();
  (radios[0]?.querySelector('input') ?? confirm).focus();

  return new Promise<boolean>((resolve) => {
    const finish = (result: boolean): void => {
      password.value = '';
      dialog.close();
      dialog.remove();
      opener?.focus();
      resolve(result);
    };
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const seconds = Number(form.querySelector<HTMLInputElement>('input[name=grace]:checked')?.value ?? 0);
      if (options.passwordRequired && password.value === '') {
        error.textContent = t('popupGracePasswordNeeded');
        password.focus();
        return;
      }
      confirm.disabled = cancel.disabled = true;
      error.textContent = '';
      void (async () => {
        try {
          const created = await provider.regenerateToken(token.id, options.passwordRequired ? { password: password.value } : undefined, seconds > 0 ? { gracePeriodSeconds: seconds } : {});
          finish(true);
          const until = created.token.rotation?.previous_valid_until;
          await options.reveal(created, seconds > 0 && until ? t('popupGraceRevealIntro', time(until)) : null);
        } catch (e) {
          confirm.disabled = cancel.disabled = false;
          error.textContent = e instanceof Error ? e.message : String(e);
          if (e instanceof PatkitError && (e.code === 'password_incorrect' || e.code === 'password_confirmation_required')) {
            passwordBox.hidden = false;
            options.passwordRequired = true;
            password.focus();
          }
        }
      })();
    });
  });
}

/** Tokens whose previous secret still works, soonest end first. */
export function rotatingTokens(tokens: TokenMeta[], now = Date.now()): TokenMeta[] {
  return tokens
    .filter((tk) => tk.rotation && Date.parse(tk.rotation.previous_valid_until) > now)
    .sort((a, b) => Date.parse(a.rotation!.previous_valid_until) - Date.parse(b.rotation!.previous_valid_until));
}

/**
 * "Rotating: <name> — the old value (…wxyz) works until <time>. [End grace now]" for each token
 * in its grace period; hidden when there is none.
 */
export function renderRotations(view: HTMLElement, tokens: TokenMeta[], onEnd: (token: TokenMeta, button: HTMLButtonElement) => void): void {
  const rotating = rotatingTokens(tokens);
  view.hidden = rotating.length === 0;
  if (rotating.length === 0) return void view.replaceChildren();
  const items = rotating.map((tk) => {
    const end = el('button', { type: 'button', className: 'secondary end-grace', textContent: t('popupGraceEnd') });
    end.dataset.tokenId = tk.id;
    end.setAttribute('aria-label', t('popupGraceEndLabel', tk.name));
    end.addEventListener('click', () => onEnd(tk, end));
    const text = el('span', { className: 'text', textContent: t('popupGraceRotating', tk.name, tk.rotation!.previous_last4, time(tk.rotation!.previous_valid_until)) });
    const li = el('li', {}, text, end);
    li.dataset.tokenId = tk.id;
    return li;
  });
  view.replaceChildren(el('ul', { id: 'rotations' }, ...items));
  view.setAttribute('aria-label', t('popupGraceSection'));
}
