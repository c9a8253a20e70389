/** Mattermost's error answers onto the typed error family. */
import { DEFAULT_MESSAGES, ProviderError, errorFromProblem } from '../../errors.ts';
import { errorBodyObject, type ErrorAnswer } from '../../http.ts';

/** Mattermost's `AppError` (`{id, message, detailed_error, request_id, status_code}`) → the typed family. */
export function mattermostError(answer: ErrorAnswer): ProviderError {
  const body = errorBodyObject(answer);
  const id = typeof body?.['id'] === 'string' ? body['id'] : undefined;
  const message = typeof body?.['message'] === 'string' && body['message'].trim() !== '' ? body['message'].trim() : undefined;
  const retryHeader = answer.headers.get('retry-after') ?? answer.headers.get('x-ratelimit-reset');
  const base = errorFromProblem(answer.status, null, retryHeader);
  const opts = { serverCode: id, status: answer.status, retryAfter: base.retryAfter };
  // 501 is how Mattermost says "EnableUserAccessTokens is off" (api.user.create_user_access_token.disabled.app_error).
  if (answer.status === 501 || (id !== undefined && /user_access_token\.disabled\.app_error$/.test(id))) {
    return new ProviderError('feature_disabled', DEFAULT_MESSAGES.feature_disabled, opts);
  }
  const fieldErrors =
    base.code === 'validation_failed' && message ? [{ field: '', message }] : [];
  return new ProviderError(base.code, message ?? `${DEFAULT_MESSAGES[base.code]} (HTTP ${answer.status})`, { ...opts, fieldErrors });
}
