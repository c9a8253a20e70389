/**
 * The HTTP client of the console's own pages that the lib has no operation for (webhooks, an
 * organisation's approval switch): the console's session, as a cookie with the CSRF header or as a
 * bearer credential, and that credential kept out of error texts.
 */
import { HttpClient } from '../lib/http.ts';
import { CSRF_HEADER } from '../lib/providers/reference-server/wire.ts';

export interface ConsoleHttpConfig {
  baseUrl: string;
  sessionMode: 'bearer' | 'cookie';
  /** The bearer credential (bearer mode); cookie mode sends the CSRF header instead. */
  credential?: () => string | null;
}

export function consoleHttp(config: ConsoleHttpConfig): HttpClient {
  return new HttpClient({
    baseUrl: config.baseUrl,
    serverLabel: 'The patkit server',
    credentials: config.sessionMode === 'cookie' ? 'same-origin' : 'omit',
    headers: (): Record<string, string> => {
      if (config.sessionMode === 'cookie') return { [CSRF_HEADER]: '1' };
      const credential = config.credential?.() ?? null;
      return credential ? { authorization: `Bearer ${credential}` } : {};
    },
    secrets: () => [config.credential?.() ?? null],
  });
}
