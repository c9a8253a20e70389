/** The audit log, newest first, for callers with audit:read. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decodeCursor, pageFrom, parseLimit } from '../http/paging.ts';
import { AuditEventSchema, AuditQuerySchema, pageOf, problemResponses, SECURITY } from '../http/schemas.ts';

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/audit',
    {
      schema: { tags: ['audit'], security: SECURITY, summary: 'The audit log, newest first', querystring: AuditQuerySchema, response: { 200: pageOf(AuditEventSchema), ...problemResponses } },
    },
    async (request) => {
      await app.authorize(request, 'audit:read');
      const q = request.query;
      const limit = parseLimit(q.limit);
      const before = decodeCursor(q.cursor, (v): v is number => Number.isInteger(v));
      const rows = await ctx.store.listAudit({ token_id: q.token_id ?? null, user_id: q.user_id ?? null, action: q.action ?? null, before, limit: limit + 1 });
      return pageFrom(rows, limit, (row) => row, (last) => Number(last.id));
    },
  );
};
