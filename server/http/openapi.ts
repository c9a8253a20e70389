/** The OpenAPI 3.1 document of the API, generated from the route schemas, served at /api/v1/openapi.json. */
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { TOKEN_PATTERN_SOURCE } from './schemas.ts';

export const openApi = fp<{ version: string }>(
  async (app, { version }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'patkit reference token server',
          version,
          description: `Personal access tokens. Tokens match \`${TOKEN_PATTERN_SOURCE}\` (\`pat_\` + 30 base62 CSPRNG characters + 6-character base62 CRC32); send them only as \`Authorization: Bearer\`. Errors are RFC 9457 problem+json with a stable \`code\`.`,
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: `A personal access token (${TOKEN_PATTERN_SOURCE}) or a session credential (pks_…).` },
            cookie: { type: 'apiKey', in: 'cookie', name: 'patkit_session', description: 'Console session; writes need the header X-Patkit-CSRF: 1.' },
            basic: {
              type: 'http',
              scheme: 'basic',
              description: "Introspection only (RFC 6749 client_secret_basic): the user name is the username of the token's owner, the password a personal access token with tokens:introspect.",
            },
          },
        },
      },
    });
    app.addHook('onReady', async () => {
      // Published for secret scanners (docs/security.md rule 1).
      (app.swagger() as { info: Record<string, unknown> }).info['x-token-pattern'] = TOKEN_PATTERN_SOURCE;
    });
    app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'patkit-openapi' },
);
