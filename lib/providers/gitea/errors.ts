/** Gitea's error answers onto the typed error family (which credential was sent shapes the message). */
import { DEFAULT_MESSAGES, ProviderError, errorFromProblem } from '../../errors.ts';
import { errorBodyObject, type ErrorAnswer } from '../../http.ts';

/** Gitea's `APIError` (`{message, url}`) → the typed family; `basic`: the request carried the password. */
export function giteaError(answer: ErrorAnswer, sent: { basic: boolean; otp: boolean }): ProviderError {
  const body = errorBodyObject(answer);
  const message = typeof body?.['message'] === 'string' ? body['message'].trim() : '';
  const base = errorFromProblem(answer.status, null, answer.headers.get('retry-after'));
  const opts = { status: answer.status, retryAfter: base.retryAfter, serverCode: message || undefined };
  if (answer.status === 401 && /\botp\b|two-factor|2fa/i.test(message)) {
    return new ProviderError(
      'otp_required',
      sent.otp
        ? 'That one-time code is not correct or has expired. Enter the current code from your authenticator app.'
        : DEFAULT_MESSAGES.otp_required,
      { ...opts, serverCode: 'otp_required', fieldErrors: [{ field: 'otp', message: sent.otp ? 'Not correct or expired' : 'Required' }] },
    );
  }
  if (answer.status === 401 && /webauthn|security key/i.test(message)) {
    return new ProviderError(
      'forbidden',
      'Gitea refuses password requests for accounts with a security key (WebAuthn). Create and delete tokens in Gitea’s own settings (Settings → Applications).',
      { ...opts, serverCode: 'webauthn_enrolled' },
    );
  }
  if (answer.status === 401 && sent.basic) {
    return new ProviderError('password_incorrect', 'That user name or password is not correct.', {
      ...opts,
      serverCode: 'invalid_credentials',
      fieldErrors: [{ field: 'password', message: 'Not correct' }],
    });
  }
  if (answer.status === 401 && /auth required|basic/i.test(message)) {
    return new ProviderError('password_confirmation_required', 'Gitea lists, creates and deletes tokens only with your account password. Enter it to continue.', {
      ...opts,
      serverCode: 'basic_auth_required',
      fieldErrors: [{ field: 'password', message: 'Required' }],
    });
  }
  if (answer.status === 403 && /scope/i.test(message)) {
    return new ProviderError('forbidden', `This token lacks the scope Gitea needs for that (${message}). Sign in with a token that has read:user, or with your password.`, {
      ...opts,
      serverCode: 'insufficient_scope',
    });
  }
  if (answer.status === 403 && /admin|same as the contextuser/i.test(message)) {
    return new ProviderError('forbidden', 'Only site administrators can manage another account’s tokens on this Gitea server.', { ...opts, serverCode: 'not_self_or_admin' });
  }
  if (answer.status === 400 || answer.status === 422) {
    const field = /name/i.test(message) ? 'name' : /scope/i.test(message) ? 'scopes' : '';
    const text = /name has been used/i.test(message) ? 'You already have a token with that name. Choose another name.' : message || DEFAULT_MESSAGES.validation_failed;
    return new ProviderError('validation_failed', text, { ...opts, fieldErrors: [{ field, message: text }] });
  }
  return new ProviderError(base.code, message ? `${DEFAULT_MESSAGES[base.code]} (${answer.status}: ${message})` : `${DEFAULT_MESSAGES[base.code]} (HTTP ${answer.status})`, opts);
}
