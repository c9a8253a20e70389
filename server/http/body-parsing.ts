/**
 * Request bodies: strict UTF-8 JSON only (415 for anything else), at most BODY_LIMIT bytes, and a
 * form that carries a credential is refused as such (docs/security.md rule 6).
 */
import fp from 'fastify-plugin';
import { Problem, problems } from './problems.ts';

/** Request bodies above this size get 413. */
export const BODY_LIMIT = 64 * 1024;

const TOKEN_IN_FORM = /(?:pat|pks)_[0-9A-Za-z]{20,}|(?:^|[&"\s])(?:access_token|token|private_token|credential)(?:=|")/i;

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
      (_request, body, done) => {
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
