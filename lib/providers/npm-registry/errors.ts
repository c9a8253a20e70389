/** npm registries' error answers onto the typed error family. */
import { DEFAULT_MESSAGES, ProviderError, errorFromProblem } from '../../errors.ts';
import { errorBodyObject, type ErrorAnswer } from '../../http.ts';

/** npm registries answer `{error}` (Verdaccio, npmjs) or `{message}`. */
export function npmError(answer: ErrorAnswer): ProviderError {
  const body = errorBodyObject(answer);
  const text = [body?.['error'], body?.['message'], body?.['reason']].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const base = errorFromProblem(answer.status, null, answer.headers.get('retry-after'));
  const opts = { status: answer.status, retryAfter: base.retryAfter, serverCode: text };
  const challenge = (answer.headers.get('www-authenticate') ?? '').toLowerCase();
  if (answer.status === 401 && challenge.includes('otp')) {
    return new ProviderError(
      'forbidden',
      'This registry asks for a one-time password (two-factor authentication), which patkit cannot send. Use `npm token create` for this account.',
      { ...opts, serverCode: 'otp_required' },
    );
  }
  const message = text ? `${DEFAULT_MESSAGES[base.code]} (${answer.status}: ${text})` : `${DEFAULT_MESSAGES[base.code]} (HTTP ${answer.status})`;
  return new ProviderError(base.code, message, opts);
}
