/**
 * RFC 7662 token introspection for resource servers (tokens:introspect): whether a PAT is active now
 * and what it may do, from the token, its owner and the settings as they are at this moment. The
 * request is the form real clients send (`token`, optional `token_type_hint`) or the same as JSON;
 * the resource server authenticates with its own PAT, as a Bearer header or as the password of HTTP
 * Basic (client_secret_basic: introspection-client.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IntrospectionSchema, IntrospectSchema, problemResponses } from '../http/schemas.ts';
import { Problem } from '../http/problems.ts';
import { INTROSPECTION_FORM_FIELDS, INTROSPECTION_SECURITY, introspectionCaller, challenge } from './introspection-client.ts';

export const introspectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = app.ctx.auth;

  app.post(
    '/introspect',
    {
      config: { formFields: INTROSPECTION_FORM_FIELDS },
      schema: {
        tags: ['tokens'],
        security: INTROSPECTION_SECURITY,
        summary: 'RFC 7662 token introspection for resource servers',
        description:
          'The token to inspect goes in the body, as `application/x-www-form-urlencoded` (what OAuth clients and gateways send) or JSON; `token_type_hint` is accepted and ignored (patkit has one kind of token), other form parameters are ignored. The caller authenticates with its own PAT (scope `tokens:introspect`) as `Authorization: Bearer`, or as HTTP Basic with the PAT as the password and its owner\'s username as the user name. Answers `{active:false}` and nothing else for any token that is not usable now.',
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: IntrospectSchema,
        response: { 200: IntrospectionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      try {
        await introspectionCaller(app, request);
      } catch (error) {
        if (error instanceof Problem && error.status === 401) reply.header('www-authenticate', challenge(request));
        throw error;
      }
      reply.header('cache-control', 'no-store');
      const check = await auth.checkPat(request.body.token);
      if (!check.ok) return { active: false };
      await auth.noteUse(check.record, null);
      const { record } = check;
      return {
        active: true,
        sub: record.user.id,
        username: record.user.username,
        scope: check.effective.join(' '),
        // RFC 7662: exp is a NumericDate, so a token that never expires has none.
        ...(record.expires_at === null ? {} : { exp: Math.floor(Date.parse(record.expires_at) / 1000) }),
        iat: Math.floor(Date.parse(record.created_at) / 1000),
        token_id: record.id,
        token_type: 'bearer',
        // The host enforces these: introspection does not know the address of the token's user (docs/security.md rule 37).
        allowed_ips: record.allowed_ips === '' ? [] : record.allowed_ips.split(' '),
        not_before: record.not_before,
        ...(record.not_before === null ? {} : { nbf: Math.floor(Date.parse(record.not_before) / 1000) }),
      };
    },
  );
};
