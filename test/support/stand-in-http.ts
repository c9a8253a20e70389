/**
 * The HTTP plumbing the contract-built stand-in servers (Gitea, GitLab, Mattermost) share: listen on
 * 127.0.0.1 at a free port, stop with every connection closed, and read a request's JSON body.
 * What each server checks and answers stays in its own file.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  url: string;
}

/** A server for `handle` on 127.0.0.1, port 0 (tests never hard-code a port). */
export function listenOnLoopback(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Listening> {
  return new Promise((done) => {
    const server = createServer((req, res) => void handle(req, res));
    server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** Closes the server and every connection still open (a keep-alive client would hold it open). */
export function stopServer(server: Server | null): Promise<void> {
  return new Promise((done) => {
    if (!server) return done();
    server.closeAllConnections();
    server.close(() => done());
  });
}

/**
 * The request body: `{ body: undefined }` when there is none, `{ body }` parsed from JSON, or null
 * when it is not JSON (each stand-in answers that in its server's own error shape).
 */
export async function readJsonBody(req: IncomingMessage): Promise<{ body: unknown } | null> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return { body: undefined };
  try {
    return { body: JSON.parse(raw) as unknown };
  } catch {
    return null;
  }
}

/** Sends `body` as JSON with this content type, or an empty answer (no content type) when it is undefined. */
export function answerJson(res: ServerResponse, status: number, body: unknown, contentType: string, headers: Record<string, string>): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(JSON.stringify(body));
}
