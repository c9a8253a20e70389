/**
 * What a Gitea sign-in keeps: a token, or (for the token routes, which accept the account password
 * only) the user name and password as one opaque credential the host stores like any other
 * (memory / `storage.session` only), and the `Authorization` header each becomes.
 */
/** The credential this provider keeps: a token, or the account's Basic credentials (never persisted). */
export type Session = { kind: 'token'; token: string } | { kind: 'basic'; username: string; password: string };

const BASIC_PREFIX = 'gitea-basic:';

/** Basic credentials as one opaque string, for the host's session store (storage.session only). */
export function encodeBasic(username: string, password: string): string {
  return BASIC_PREFIX + btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify([username, password]))));
}

export function decodeCredential(credential: string | null): Session | null {
  if (!credential) return null;
  if (!credential.startsWith(BASIC_PREFIX)) return { kind: 'token', token: credential };
  try {
    const bytes = Uint8Array.from(atob(credential.slice(BASIC_PREFIX.length)), (c) => c.charCodeAt(0));
    const [username, password] = JSON.parse(new TextDecoder().decode(bytes)) as [unknown, unknown];
    if (typeof username === 'string' && typeof password === 'string') return { kind: 'basic', username, password };
  } catch {
    // fall through
  }
  return null;
}

export interface Auth {
  authorization: string;
  otp?: string | undefined;
}
