/**
 * Checks every request passes before any routing work: one Authorization and one Content-Type
 * header at most, no credential in the URL, `no-store` on API answers, and CORS for the origins the
 * server was told to trust (with their preflight).
 */
import fp from 'fastify-plugin';
import { problems } from './problems.ts';

const TOKEN_IN_URL = /(?:pat|pks)_[0-9A-Za-z]{20,}/;
const TOKEN_PARAM = /(?:^|[?&;])(?:access_token|token|private_token|api_key|apikey|credential|session)=/i;

/** Which of the two single-valued headers appears more than once, or null. */
function repeatedHeader(raw: string[]): string | null {
  let authorization = 0;
  let contentType = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'authorization') authorization++;
    else if (name === 'content-type') contentType++;
  }
  if (authorization > 1) return 'Authorization';
  return contentType > 1 ? 'Content-Type' : null;
}

export const requestGuards = fp<{ corsOrigins: string[] }>(
  async (app, options) => {
    const corsOrigins = new Set(options.corsOrigins);
    app.addHook('onRequest', (request, reply, done) => {
      const repeated = repeatedHeader(request.raw.rawHeaders);
      if (repeated !== null) {
        done(problems.validation(`The request has more than one ${repeated} header.`));
        return;
      }
      const url = request.url;
      const q = url.indexOf('?');
      if (TOKEN_IN_URL.test(url) || (q >= 0 && TOKEN_PARAM.test(url.slice(q)))) {
        done(problems.tokenInRequest('the URL'));
        return;
      }
      if (url.startsWith('/api/')) reply.header('cache-control', 'no-store');
      const origin = request.headers.origin;
      if (origin !== undefined && corsOrigins.has(origin)) {
        reply.header('access-control-allow-origin', origin);
        reply.header('access-control-expose-headers', 'Retry-After');
        reply.header('vary', 'Origin');
      }
      done();
    });

    app.route({
      method: 'OPTIONS',
      url: '/*',
      schema: { hide: true },
      handler: async (request, reply) => {
        const origin = request.headers.origin;
        if (origin === undefined || !corsOrigins.has(origin)) throw problems.forbidden('This origin may not call the API from a browser.');
        reply.header('access-control-allow-methods', 'GET, POST, PATCH, PUT, DELETE');
        reply.header('access-control-allow-headers', 'Authorization, Content-Type, X-Patkit-CSRF');
        reply.header('access-control-max-age', '600');
        return reply.code(204).send();
      },
    });
  },
  { name: 'patkit-request-guards' },
);
