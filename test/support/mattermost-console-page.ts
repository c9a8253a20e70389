/**
 * The Mattermost stand-in's web pages: a page shaped like the System Console's
 * **User Management > Users** page (`/admin_console/user_management/users`), where an admin
 * searches for a user and picks **Manage Roles** from the row's menu, so the extension can map the
 * console and frame its role panel there.
 *
 * A real Mattermost answers every path outside `/api/` with its web app, a script-built page; the
 * stand-in runs no web app, so it renders the page's shape (navigation, search field, the users
 * table, each row's menu) as static HTML. It keeps the real server's framing headers
 * (`X-Frame-Options: SAMEORIGIN`, a CSP with `frame-ancestors 'self'` and `script-src 'self'`), so a
 * test shows that the panel works under them. Nothing here is interactive; the page holds no token.
 */
import type { StandInUser } from './mattermost-data.ts';

export const CONSOLE_USERS_PATH = '/admin_console/user_management/users';

/** Headers of the web app's pages (not of the API). */
export const CONSOLE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'x-frame-options': 'SAMEORIGIN',
  'content-security-policy': "frame-ancestors 'self'; script-src 'self'",
  'cache-control': 'no-cache, max-age=31556926, public',
};

/** Does this request ask for the web app (any GET outside the API) rather than the REST API? */
export function isConsolePath(method: string, pathname: string): boolean {
  return method === 'GET' && !pathname.startsWith('/api/');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body { margin: 0; font: 14px/1.4 'Open Sans', system-ui, sans-serif; color: #3f4350; background: #f1f1f3; display: grid; grid-template-columns: 220px 1fr; min-height: 100vh; }
  nav { background: #1e325c; color: #fff; padding: 12px 0; }
  nav h2 { font-size: 13px; margin: 0 16px 12px; opacity: .9; }
  nav h3 { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; margin: 14px 16px 4px; opacity: .64; }
  nav a { display: block; color: #fff; text-decoration: none; padding: 4px 24px; opacity: .8; }
  nav a[aria-current] { background: rgb(255 255 255 / .16); opacity: 1; font-weight: 600; }
  main { padding: 0 28px 28px; }
  header { display: flex; align-items: center; gap: 8px; height: 56px; border-bottom: 1px solid #dddde0; margin: 0 -28px 20px; padding: 0 28px; background: #fff; }
  header h1 { font-size: 20px; font-weight: 600; margin: 0; }
  .admin-console__wrapper { background: #fff; border: 1px solid #dddde0; border-radius: 4px; }
  .toolbar { display: flex; gap: 12px; padding: 16px; border-bottom: 1px solid #dddde0; }
  .toolbar input { flex: 1; max-width: 320px; padding: 6px 10px; border: 1px solid #c7c7cc; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 10px 16px; border-bottom: 1px solid #ececef; }
  th { font-size: 12px; font-weight: 600; color: #6b6f78; }
  td small { display: block; color: #6b6f78; }
  details { position: relative; }
  summary { cursor: pointer; color: #1c58d9; }
  details ul { position: absolute; right: 0; z-index: 1; margin: 4px 0; padding: 6px 0; list-style: none; background: #fff; border: 1px solid #dddde0; border-radius: 4px; box-shadow: 0 4px 12px rgb(0 0 0 / .12); min-width: 160px; }
  details li { padding: 4px 14px; }`;

const SECTIONS: Array<[string, string[]]> = [
  ['Reporting', ['Site Statistics', 'Server Logs']],
  ['User Management', ['Users', 'Groups', 'Teams', 'Channels', 'Permissions']],
  ['Integrations', ['Integration Management', 'Bot Accounts']],
];

function nav(current: string): string {
  const groups = SECTIONS.map(
    ([title, items]) => `<h3>${title}</h3>${items.map((item) => `<a href="#"${item === current ? ' aria-current="page"' : ''}>${item}</a>`).join('')}`,
  ).join('');
  return `<nav aria-label="System Console"><h2>System Console</h2>${groups}</nav>`;
}

function date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function row(u: StandInUser): string {
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ') || u.username;
  return `<tr><td>${escapeHtml(name)}<small>@${escapeHtml(u.username)}</small></td><td>${escapeHtml(u.email)}</td><td>${date(u.create_at)}</td>
    <td>${u.delete_at === 0 ? 'Member' : 'Deactivated'}</td>
    <td><details><summary>Member</summary><ul><li>Manage Roles</li><li>Manage Teams</li><li>Manage Tokens</li><li>Reset Password</li><li>Deactivate</li></ul></details></td></tr>`;
}

/** The System Console page for `pathname`: the Users page, or the console's frame with a heading. */
export function consolePage(pathname: string, users: StandInUser[]): string {
  const onUsers = pathname === CONSOLE_USERS_PATH;
  const content = onUsers
    ? `<header><h1>Users</h1></header>
      <section class="admin-console__wrapper" aria-label="Users">
        <div class="toolbar"><input type="search" placeholder="Search users" aria-label="Search users" /></div>
        <table><thead><tr><th>Name</th><th>Email</th><th>Member since</th><th>Status</th><th>Actions</th></tr></thead>
        <tbody>${[...users].sort((a, b) => a.username.localeCompare(b.username)).slice(0, 10).map(row).join('')}</tbody></table>
      </section>`
    : `<header><h1>System Console</h1></header>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Users - Mattermost</title><style>${STYLE}</style></head>
<body>${nav(onUsers ? 'Users' : '')}<main>${content}</main></body></html>`;
}
