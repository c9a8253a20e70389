/**
 * GitHub's public credential revocation API (REST `POST /credentials/revoke`, API version
 * 2022-11-28): anyone may report leaked GitHub tokens, no account or credential needed. GitHub
 * revokes each valid token and tells its owner; the answer is 202 whatever was found, so the
 * outcome for the reporter is `reported`.
 *
 * The call is made with no credential and no cookie. The base URL and `fetch` are injectable so
 * the exact request can be checked against a loopback stand-in (there is no network here).
 */
import { ProviderError } from './errors.ts';
import { HttpClient, errorBodyObject, problemError, type ErrorAnswer } from './http.ts';
import type { LeakedSecretResult } from './model.ts';
import type { CallOptions } from './provider.ts';

export const GITHUB_API = 'https://api.github.com';
/** The host permission the extension asks for, at the moment of the report (kept in leaked.ts, which the popup loads without the HTTP client). */
export { GITHUB_API_PERMISSION } from './leaked.ts';
/** GitHub accepts at most this many credentials per request. */
export const GITHUB_REVOKE_MAX = 1000;

export interface GitHubRevokeOptions extends CallOptions {
  /** Defaults to {@link GITHUB_API}; tests point it at a loopback stand-in. */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function githubError(answer: ErrorAnswer): ProviderError {
  const body = errorBodyObject(answer);
  const detail = typeof body?.['message'] === 'string' ? (body['message'] as string).trim() : '';
  if (answer.status === 422) {
    return new ProviderError('validation_failed', `GitHub refused the report as invalid${detail ? ` (${detail})` : ''}. Check that you pasted one whole GitHub token.`, {
      status: 422,
      serverCode: detail || 'unprocessable',
    });
  }
  if (answer.status === 429 || (answer.status === 403 && answer.headers.get('x-ratelimit-remaining') === '0')) {
    const retry = Number(answer.headers.get('retry-after'));
    const reset = Number(answer.headers.get('x-ratelimit-reset'));
    const seconds = Number.isFinite(retry) && retry > 0 ? retry : Number.isFinite(reset) && reset > 0 ? Math.max(1, Math.ceil(reset - Date.now() / 1000)) : 60;
    return new ProviderError('rate_limited', `GitHub's revocation API is busy for this address. Try again in ${Math.ceil(seconds / 60)} minute(s).`, {
      status: answer.status,
      retryAfter: seconds,
      serverCode: 'rate_limited',
    });
  }
  return problemError(answer);
}

/** Reports leaked GitHub tokens to GitHub (one request, at most {@link GITHUB_REVOKE_MAX}). */
export async function reportToGitHub(credentials: string[], options: GitHubRevokeOptions = {}): Promise<LeakedSecretResult> {
  const values = credentials.map((c) => c.trim()).filter((c) => c !== '');
  if (values.length === 0 || values.length > GITHUB_REVOKE_MAX) {
    throw new ProviderError('validation_failed', `Report between 1 and ${GITHUB_REVOKE_MAX} GitHub tokens at a time.`, { fieldErrors: [{ field: 'credentials', message: 'Between 1 and 1000' }] });
  }
  const http = new HttpClient({
    baseUrl: options.baseUrl ?? GITHUB_API,
    serverLabel: 'GitHub',
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    credentials: 'omit',
    retries: 0,
    secrets: () => values,
    errorFor: githubError,
  });
  await http.request({
    method: 'POST',
    path: '/credentials/revoke',
    headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    body: { credentials: values },
    signal: options.signal,
  });
  return { outcome: 'reported', token: null };
}
