/**
 * Server addresses, host permissions and console match patterns: what the options page checks on
 * input, what the background asks the browser about, and what the role-panel frame script matches.
 */
import { bad, str } from './field-checks.ts';

/** A base URL: https, or http on a loopback host only (README, options page). */
export function checkBaseUrl(v: unknown, path = 'baseUrl'): string {
  const s = str(2000, { min: 1 })(v, path);
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw bad(path, 'must be a full URL such as https://tokens.example.com');
  }
  if (url.username || url.password) throw bad(path, 'must not contain a user name or password');
  if (url.search || url.hash) throw bad(path, 'must not contain a query or fragment');
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw bad(path, 'must use https (plain http is allowed only for 127.0.0.1 and localhost)');
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/**
 * The host permission patkit asks for to contact a server or run on a console: scheme and host,
 * no port, any path. A match pattern without a port matches every port in Chrome and Firefox,
 * while Firefox refuses to request a pattern with a port ("not declared in the manifest": it
 * is not a subset of `http://127.0.0.1/*` there), so `http://127.0.0.1:8811` asks for
 * `http://127.0.0.1/*`.
 */
export function originPermission(urlOrPattern: string): string {
  const m = /^(https?):\/\/([^/:]+|\[[^\]]+\])(?::\d+)?(?:\/|$)/.exec(urlOrPattern);
  if (!m) throw bad('url', 'must start with http:// or https:// and a host');
  return `${m[1]}://${m[2]}/*`;
}

/**
 * The content-script match pattern for a console mapping: the pattern without its port, since
 * Firefox's match patterns have no ports (one with a port never matches there). The port is
 * checked instead by {@link panelPatternMatches}, in the content script and the background.
 */
export function panelScriptMatch(pattern: string): string {
  return pattern.replace(/^(https?:\/\/[^/:]+|https?:\/\/\[[^\]]+\]):\d+\//, '$1/');
}

/** Does a console mapping's pattern cover this page origin (scheme, host or `*.host`, and port)? */
export function panelPatternMatches(pattern: string, origin: string): boolean {
  const m = /^(https?):\/\/(\*\.)?([^/:]+|\[[^\]]+\])(?::(\d+))?\//.exec(pattern);
  if (!m) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = m[3]!.toLowerCase();
  const defaultPort = m[1] === 'https' ? '443' : '80';
  const hostOk = m[2] ? url.hostname === host || url.hostname.endsWith(`.${host}`) : url.hostname === host;
  return url.protocol === `${m[1]}:` && hostOk && (url.port || defaultPort) === (m[4] ?? defaultPort);
}

/** A Chrome match pattern limited to http(s) schemes and a concrete host. */
export function checkMatchPattern(v: unknown, path = 'pattern'): string {
  const s = str(2000, { min: 1 })(v, path);
  const m = /^(https?):\/\/(\*|\*\.[^/*]+|[^/*]+)(\/.*)$/.exec(s);
  if (!m || m[2] === '*') throw bad(path, 'must look like https://console.example.com/admin/* (one host, http or https)');
  return s;
}
