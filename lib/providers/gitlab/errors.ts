/** GitLab's error answers onto the typed error family. */
import { DEFAULT_MESSAGES, ProviderError, errorFromProblem } from '../../errors.ts';
import { errorBodyObject, type ErrorAnswer } from '../../http.ts';

/** GitLab's error bodies (`{message}`, `{message: {field: [..]}}`, `{error, error_description, scope}`) → the family. */
export function gitlabError(answer: ErrorAnswer): ProviderError {
  const body = errorBodyObject(answer);
  const base = errorFromProblem(answer.status, null, answer.headers.get('retry-after'));
  const opts = { status: answer.status, retryAfter: base.retryAfter };
  if (body?.['error'] === 'insufficient_scope') {
    const scope = typeof body['scope'] === 'string' ? body['scope'] : 'api';
    return new ProviderError('forbidden', `The token you signed in with lacks the ${scope} scope. Create a personal access token with the ${scope} scope in GitLab and sign in with it.`, {
      ...opts,
      serverCode: 'insufficient_scope',
    });
  }
  const message = body?.['message'];
  if (typeof message === 'object' && message !== null && !Array.isArray(message)) {
    const fieldErrors = Object.entries(message as Record<string, unknown>).map(([field, v]) => ({
      field,
      message: Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : String(v),
    }));
    const text = fieldErrors.map((f) => `${f.field} ${f.message}`).join('; ');
    return new ProviderError(base.code === 'bad_response' ? 'validation_failed' : base.code, text || DEFAULT_MESSAGES.validation_failed, { ...opts, fieldErrors, serverCode: 'validation' });
  }
  const text = typeof message === 'string' ? message.trim() : typeof body?.['error_description'] === 'string' ? (body['error_description'] as string) : typeof body?.['error'] === 'string' ? (body['error'] as string) : '';
  if (answer.status === 401) {
    return new ProviderError('unauthorized', 'GitLab does not accept this token (revoked, expired or mistyped). Sign in again with a personal access token.', { ...opts, serverCode: text || 'unauthorized' });
  }
  if (answer.status === 400 || answer.status === 422) {
    const clean = text.replace(/^400 \(Bad request\) /, '');
    const m = /"(\w+)" (?:not given|is missing|is invalid|does not have a valid value)/.exec(clean);
    return new ProviderError('validation_failed', clean || DEFAULT_MESSAGES.validation_failed, { ...opts, serverCode: text || undefined, fieldErrors: [{ field: m?.[1] ?? '', message: clean || DEFAULT_MESSAGES.validation_failed }] });
  }
  const detail = text.replace(/^\d{3}\s*/, '');
  return new ProviderError(base.code, detail && !/^(Forbidden|Not Found|Unauthorized)$/i.test(detail) ? `${DEFAULT_MESSAGES[base.code]} (${answer.status}: ${detail})` : `${DEFAULT_MESSAGES[base.code]} (HTTP ${answer.status})`, { ...opts, serverCode: text || undefined });
}
