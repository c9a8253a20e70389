/**
 * The console's session cookie: HttpOnly, SameSite=Strict, Secure except on a loopback host (the
 * console in development), persistent only when "remember me" was asked for.
 */
export const SESSION_COOKIE = 'patkit_session';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return LOOPBACK_HOSTS.has(name.toLowerCase());
}

/** The Set-Cookie value that starts a session on the console's host. */
export function sessionCookie(credential: string, host: string | undefined, maxAgeSeconds: number | null): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (!isLoopbackHost(host)) attributes.push('Secure');
  if (maxAgeSeconds !== null) attributes.push(`Max-Age=${maxAgeSeconds}`);
  return `${SESSION_COOKIE}=${credential}; ${attributes.join('; ')}`;
}

/** The Set-Cookie value that ends it. */
export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

/** The value of one cookie in a Cookie header (the first, when it is there twice), or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
