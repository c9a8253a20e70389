/** RFC 9457 problem details with the stable `code` values listed in README and lib/errors.ts. */
import type { FieldError } from '../../lib/errors.ts';
import { ConflictError } from '../store/store.ts';

export const PROBLEM_TYPE_BASE = 'https://patkit.dev/problems/';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  retry_after?: number;
}

export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, detail: string, extra: { errors?: FieldError[]; retryAfter?: number } = {}) {
    super(detail);
    this.name = 'Problem';
    this.status = status;
    this.code = code;
    this.errors = extra.errors;
    this.retryAfter = extra.retryAfter;
  }

  toBody(): ProblemBody {
    const body: ProblemBody = {
      type: PROBLEM_TYPE_BASE + this.code,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      code: this.code,
    };
    if (this.errors) body.errors = this.errors;
    if (this.retryAfter !== undefined) body.retry_after = this.retryAfter;
    return body;
  }
}

export const problems = {
  validation: (detail: string, errors: FieldError[] = []) => new Problem(400, 'validation_failed', detail, { errors }),
  field: (field: string, message: string) => new Problem(400, 'validation_failed', message, { errors: [{ field, message }] }),
  unauthorized: (detail = 'Sign in, or send a valid credential in "Authorization: Bearer …".') =>
    new Problem(401, 'unauthorized', detail),
  forbidden: (detail = 'You do not have permission to do that.') => new Problem(403, 'forbidden', detail),
  insufficientScope: (scope: string) =>
    new Problem(403, 'insufficient_scope', `This needs the "${scope}" permission, which this credential does not have.`),
  notFound: (what = 'That item') => new Problem(404, 'not_found', `${what} does not exist.`),
  conflict: (detail: string) => new Problem(409, 'conflict', detail),
  patsDisabled: (status = 403) =>
    new Problem(status, 'personal_access_tokens_disabled', 'Personal access tokens are disabled on this server. An admin can enable them in the settings.'),
  /** A credential where it must never be (docs/security.md rule 6): only the Authorization header carries one. */
  tokenInRequest: (where: string) =>
    new Problem(
      400,
      'token_in_query',
      `Credentials are accepted only in the "Authorization: Bearer" header, never in ${where}: URLs and forms end up in logs and history. If this was a real token, regenerate it.`,
    ),
  rateLimited: (retryAfter: number) =>
    new Problem(429, 'rate_limited', `Too many failed attempts. Try again in ${retryAfter} seconds.`, { retryAfter }),
};

/** Runs a store write; a conflict it reports (a name or username taken) becomes a 409 problem. */
export async function conflictAsProblem<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConflictError) throw problems.conflict(error.message);
    throw error;
  }
}
