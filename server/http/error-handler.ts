/**
 * Every error leaves as an RFC 9457 problem (`application/problem+json` with a stable `code`):
 * our own problems as thrown, schema validation as a 400 that names the fields, Fastify's own 4xx,
 * an unreachable database as a 503 to retry, anything else as a 500 logged in one line.
 */
import type { FastifyError, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { ConflictError, StoreUnavailableError } from '../store/errors.ts';
import { BODY_LIMIT } from './body-parsing.ts';
import { Problem, problems } from './problems.ts';

/** A schema validation failure as a 400 problem with one entry per field. */
function validationProblem(validation: FastifySchemaValidationError[], where: string): Problem {
  const errors = validation.map((v) => {
    const params = v.params as Record<string, unknown>;
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (v.keyword === 'additionalProperties') {
      const field = [path, String(params.additionalProperty)].filter(Boolean).join('.');
      return { field, message: `"${field}" is not a known field.` };
    }
    if (v.keyword === 'required') {
      // Nested fields are named by their path (`resources.0.id`), top-level ones as before.
      const field = [path, String(params.missingProperty)].filter(Boolean).join('.');
      return { field, message: `"${field}" is required.` };
    }
    return { field: path || (where === 'body' ? '' : where), message: `${path || where} ${v.message ?? 'is not valid'}.` };
  });
  return problems.validation(`The ${where === 'querystring' ? 'query string' : where} is not valid: ${errors[0]?.message ?? ''}`, errors);
}

function toProblem(error: FastifyError | Problem, route: string): Problem {
  if (error instanceof Problem) return error;
  if (error.validation) return validationProblem(error.validation, error.validationContext ?? 'body');
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new Problem(413, 'payload_too_large', `The request body is larger than ${BODY_LIMIT} bytes.`);
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new Problem(415, 'unsupported_media_type', 'Send request bodies as application/json.');
  // A store precondition that no longer held when the write ran (docs/security.md rule 27).
  if (error instanceof ConflictError) return problems.conflict(error.message);
  if (error instanceof StoreUnavailableError) {
    // One line, no stack: the cause is outside this process and the client should retry.
    console.error('patkit: %s: %s', route, error.message);
    return new Problem(503, 'database_unavailable', 'The token database cannot be reached right now. Try again in a moment.', { retryAfter: 1 });
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new Problem(error.statusCode, error.statusCode === 404 ? 'not_found' : 'validation_failed', error.message);
  }
  console.error('patkit: internal error on %s: %s', route, error.stack ?? error.message);
  return new Problem(500, 'internal_error', 'The server had an internal error. Try again later.');
}

export const errorHandler = fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
      const problem = toProblem(error, `${request.method} ${request.routeOptions.url ?? '?'}`);
      if (problem.status === 500) request.log.error(error);
      if (problem.retryAfter !== undefined) reply.header('retry-after', String(problem.retryAfter));
      return reply.code(problem.status).type('application/problem+json').send(problem.toBody());
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).type('application/problem+json').send(problems.notFound(`${request.method} ${request.url.split('?')[0]}`).toBody()),
    );
  },
  { name: 'patkit-error-handler' },
);
