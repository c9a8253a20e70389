/**
 * The summary `npm start` prints once the server is up. It is built from what the server itself
 * printed, so it only says what is true of this start: whether a password was shown above, and
 * whether the demo user still lacks the token role.
 */
import { RESET_ADMIN_PASSWORD_COMMAND } from '../server/server-options.ts';

export interface ServerFacts {
  url: string | null;
  /** Where admin's password is: printed above (first start or reset), in the environment, or set earlier. */
  adminPassword: 'shown' | 'env' | 'earlier';
  /** The demo user's line, when the server seeded one. */
  demoUser: { username: string; password: string; lacksTokenRole: boolean } | null;
  /** The server's last start-up line ("Admin console: …") has been seen. */
  complete: boolean;
}

export const emptyFacts = (): ServerFacts => ({ url: null, adminPassword: 'earlier', demoUser: null, complete: false });

/** Reads one line of the server's output into `facts` (lines are those server/main.ts prints). */
export function readServerLine(facts: ServerFacts, line: string): void {
  const listening = /patkit listening on (\S+)/.exec(line);
  if (listening) facts.url = listening[1] ?? null;
  if (/^Sign in as "admin" with password \S+|^The password of "admin" was reset: sign in with (?!from )/.test(line)) facts.adminPassword = 'shown';
  else if (/^(Sign in as|The password of) "admin".*from PATKIT_ADMIN_PASSWORD/.test(line)) facts.adminPassword = 'env';
  const demo = /^Demo user: "([^"]+)" with password (\S+?)(?: \((cannot create tokens)[^)]*\))?\.?$/.exec(line);
  if (demo) facts.demoUser = { username: demo[1]!, password: demo[2]!, lacksTokenRole: demo[3] !== undefined };
  if (line.startsWith('Admin console:')) facts.complete = true;
}

const SIGN_IN: Record<ServerFacts['adminPassword'], string[]> = {
  shown: [' Sign in as:     admin, with the password printed above'],
  env: [' Sign in as:     admin, with the password in PATKIT_ADMIN_PASSWORD'],
  earlier: [
    ' Sign in as:     admin, with the password set on first start',
    `                 (lost it? \`${RESET_ADMIN_PASSWORD_COMMAND}\` prints a new one)`,
  ],
};

/** The banner's lines; `extensionDir` when the extension was built. */
export function bannerLines(url: string, facts: ServerFacts, extensionDir: string | null): string[] {
  const rule = '──────────────────────────────────────────────────────────────';
  const lines = [
    '',
    rule,
    ` Admin console:  ${url}/`,
    ` API:            ${url}/api/v1  (OpenAPI: ${url}/api/v1/openapi.json)`,
    ` Documentation:  ${url}/docs/  (guides, every component live, the HTTP API reference)`,
    ...SIGN_IN[facts.adminPassword],
  ];
  const demo = facts.demoUser;
  if (demo) {
    const role = demo.lacksTokenRole ? ', without the token role until an admin grants it' : '';
    lines.push(`                 ${demo.username} (password ${demo.password}), the demo user${role}`);
  }
  if (extensionDir) {
    lines.push(
      ` Extension:      ${extensionDir}`,
      '                 Chrome: chrome://extensions → Developer mode → "Load unpacked" → that folder.',
      '                 Firefox: `npm run build:firefox`, then about:debugging → "Load Temporary Add-on".',
    );
  }
  lines.push(' Stop with Ctrl+C.', rule, '');
  return lines;
}
