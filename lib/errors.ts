/**
 * One typed error family for every provider. Each error has a stable `code` a program can switch on
 * and a `message` a person can act on. The reference server's problem+json `code` values map onto
 * these (see {@link errorFromProblem}).
 */

export type ErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'validation_failed'
  | 'conflict'
  | 'password_confirmation_required'
  | 'password_incorrect'
  | 'otp_required'
  | 'admin_token_acknowledgement_required'
  | 'feature_disabled'
  | 'rate_limited'
  | 'offline'
  | 'unsupported_operation'
  | 'bad_response'
  | 'server_error';

export interface FieldError {
  /** Field name in the request (`name`, `expires_at`, `scopes`, …) or `''` for the whole request. */
  field: string;
  message: string;
}

export interface ProviderErrorOptions {
  /** The server's own machine code when it has one (e.g. `token_expired`), for logs and finer UI. */
  serverCode?: string;
  status?: number;
  fieldErrors?: FieldError[];
  /** Seconds to wait before retrying (rate limited). */
  retryAfter?: number;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly code: ErrorCode;
  readonly serverCode: string | undefined;
  readonly status: number | undefined;
  readonly fieldErrors: FieldError[];
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.code = code;
    this.serverCode = options.serverCode;
    this.status = options.status;
    this.fieldErrors = options.fieldErrors ?? [];
    this.retryAfter = options.retryAfter;
  }

  /** Plain data, for crossing a message channel (extension) where class identity is lost. */
  toJSON(): SerializedProviderError {
    return {
      name: 'ProviderError',
      code: this.code,
      message: this.message,
      serverCode: this.serverCode ?? null,
      status: this.status ?? null,
      fieldErrors: this.fieldErrors,
      retryAfter: this.retryAfter ?? null,
    };
  }

  static fromJSON(data: SerializedProviderError): ProviderError {
    return new ProviderError(data.code, data.message, {
      serverCode: data.serverCode ?? undefined,
      status: data.status ?? undefined,
      fieldErrors: data.fieldErrors,
      retryAfter: data.retryAfter ?? undefined,
    });
  }
}

export interface SerializedProviderError {
  name: 'ProviderError';
  code: ErrorCode;
  message: string;
  serverCode: string | null;
  status: number | null;
  fieldErrors: FieldError[];
  retryAfter: number | null;
}

/** Thrown when a provider's server cannot do what was asked; `capabilities` says so up front. */
export class UnsupportedOperation extends ProviderError {
  readonly operation: string;
  constructor(operation: string, providerName: string) {
    super('unsupported_operation', `${providerName} servers cannot ${operation}.`);
    this.name = 'UnsupportedOperation';
    this.operation = operation;
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

/** RFC 9457 problem details as the reference server sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  retry_after?: number;
}

/** Server problem codes that are finer than the family; everything else maps by HTTP status. */
const SERVER_CODES: Record<string, ErrorCode> = {
  unauthorized: 'unauthorized',
  invalid_credentials: 'unauthorized',
  token_expired: 'unauthorized',
  token_disabled: 'unauthorized',
  session_expired: 'unauthorized',
  user_inactive: 'unauthorized',
  malformed_token: 'unauthorized',
  forbidden: 'forbidden',
  insufficient_scope: 'forbidden',
  csrf_failed: 'forbidden',
  not_found: 'not_found',
  validation_failed: 'validation_failed',
  conflict: 'conflict',
  password_confirmation_required: 'password_confirmation_required',
  password_incorrect: 'password_incorrect',
  otp_required: 'otp_required',
  admin_token_acknowledgement_required: 'admin_token_acknowledgement_required',
  personal_access_tokens_disabled: 'feature_disabled',
  rate_limited: 'rate_limited',
};

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 413 || status === 415 || status === 422) return 'validation_failed';
  if (status === 501) return 'feature_disabled';
  return status >= 500 ? 'server_error' : 'bad_response';
}

/** Messages for when the server sent no usable `detail`. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  unauthorized: 'You are signed out or your credential has expired. Sign in again.',
  forbidden: 'You do not have permission to do that.',
  not_found: 'That item no longer exists. Refresh the list.',
  validation_failed: 'Some fields are not valid. Check them and try again.',
  conflict: 'That conflicts with the current state on the server. Refresh and try again.',
  password_confirmation_required: 'Enter your password to confirm this change.',
  password_incorrect: 'That password is not correct.',
  otp_required: 'This account uses two-factor authentication: enter the current one-time code from your authenticator app.',
  admin_token_acknowledgement_required:
    'You are generating a personal access token with System Admin permissions. Are you sure want to create this token?',
  feature_disabled: 'Personal access tokens are disabled on this server.',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
  offline: 'The server cannot be reached. Check your connection or the server address.',
  unsupported_operation: 'This server cannot do that.',
  bad_response: 'The server sent an answer patkit does not understand.',
  server_error: 'The server had an internal error. Try again later.',
};

/** Turns an HTTP error answer (problem+json or anything else) into a typed error. */
export function errorFromProblem(status: number, problem: Problem | null, retryAfterHeader?: string | null): ProviderError {
  const serverCode = typeof problem?.code === 'string' ? problem.code : undefined;
  const code = (serverCode !== undefined ? SERVER_CODES[serverCode] : undefined) ?? codeForStatus(status);
  const detail = typeof problem?.detail === 'string' && problem.detail.trim() !== '' ? problem.detail : undefined;
  const fieldErrors = Array.isArray(problem?.errors)
    ? problem.errors.filter(
        (e): e is FieldError => typeof e?.field === 'string' && typeof e?.message === 'string',
      )
    : [];
  const retryRaw = problem?.retry_after ?? (retryAfterHeader ? Number(retryAfterHeader) : undefined);
  const retryAfter = typeof retryRaw === 'number' && Number.isFinite(retryRaw) && retryRaw >= 0 ? retryRaw : undefined;
  return new ProviderError(code, detail ?? DEFAULT_MESSAGES[code], { serverCode, status, fieldErrors, retryAfter });
}
