/**
 * Request bodies: strict UTF-8 JSON (415 for anything else), at most BODY_LIMIT bytes, and a form
 * that carries a credential is refused as such (docs/security.md rule 6). The one exception is a
 * route that names its `formFields` (RFC 7662 introspection): it also takes a urlencoded form, reads
 * only those fields, and still refuses a credential of the caller's in any other field.
 */
import fp from 'fastify-plugin';
import { Problem, problems } from './problems.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The fields this route reads from an `application/x-www-form-urlencoded` body (others are ignored). */
    formFields?: readonly string[];
  }
}

/** Request bodies above this size get 413. */
export const BODY_LIMIT = 64 * 1024;

const TOKEN_IN_FORM = /(?:pat|pks)_[0-9A-Za-z]{20,}|(?:^|[&"\s])(?:access_token|token|private_token|credential)(?:=|")/i;
const CREDENTIAL_VALUE = /(?:pat|pks)_[0-9A-Za-z]{20,}/;
/** Form fields that would carry the caller's own credential (e.g. OAuth client_secret_post). */
const CREDENTIAL_FIELD = /^(?:client_secret|access_token|private_token|credential|password|api_?key)$/i;

/**
 * A urlencoded body as the route's fields. Each field at most once (RFC 6749 section 3.2); a
 * credential anywhere else is refused rather than ignored, so it is not taken for working.
 */
function parseForm(text: string, fields: readonly string[]): Record<string, string> {
  const body: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    if (fields.includes(name)) {
      if (name in body) throw problems.field(name, `"${name}" appears more than once in the form.`);
      body[name] = value;
    } else if (CREDENTIAL_FIELD.test(name) || CREDENTIAL_VALUE.test(value)) {
      throw problems.tokenInRequest(`the form field "${name}" (send your own credential in the Authorization header: Bearer, or Basic with it as the password)`);
    }
  }
  return { ...body };
}

export const bodyParsing = fp(
  async (app) => {
    app.removeAllContentTypeParsers();
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => {
      const buffer = body as Buffer;
      if (buffer.length === 0) {
        done(null, undefined);
        return;
      }
      let text: string;
      try {
        text = utf8.decode(buffer);
      } catch {
        done(problems.validation('The request body is not valid UTF-8.'));
        return;
      }
      try {
        done(null, JSON.parse(text));
      } catch {
        done(problems.validation('The request body is not valid JSON.'));
      }
    });
    app.addContentTypeParser(
      ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (request, body, done) => {
        const fields = request.routeOptions.config.formFields;
        if (fields !== undefined && request.headers['content-type']?.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded') {
          try {
            done(null, parseForm(utf8.decode(body as Buffer), fields));
          } catch (error) {
            done(error instanceof Problem ? error : problems.validation('The request body is not valid UTF-8.'));
          }
          return;
        }
        if (TOKEN_IN_FORM.test((body as Buffer).toString('latin1'))) done(problems.tokenInRequest('a form field'));
        else done(new Problem(415, 'unsupported_media_type', 'Send request bodies as application/json.'));
      },
    );
    app.addHook('preValidation', (request, _reply, done) => {
      // A write with no body is an empty object, so "{}" and nothing behave the same.
      if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') request.body = {};
      done();
    });
  },
  { name: 'patkit-body-parsing' },
);
