/** An answer that carries a secret (a new token or signing secret): shown once, never cached. */
import type { FastifyReply } from 'fastify';

export function sendSecret<T extends { secret: string }>(reply: FastifyReply, status: number, body: T) {
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
  return reply.code(status).send(body);
}
