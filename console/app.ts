/**
 * The demo admin console: plain DOM plus the patkit kit, nothing else. Every server string goes
 * into the page through `textContent` or Lit bindings (docs/security.md rule 21), never as HTML.
 *
 * Pages (hash routes): sign-in, My tokens, All tokens (admins), Identify a token (`identify.ts`), Organizations (with the Organization
 * and Group pages in `org-pages.ts`), Users & roles, Settings, Audit log.
 * Which pages exist follows the signed-in user's capabilities, as the kit does.
 */
import '../components/token-manager/token-manager.ts';
import '../components/role-manager/role-manager.ts';
import type { PatTokenManager } from '../components/token-manager/token-manager.component.ts';
import type { PatRoleManager } from '../components/role-manager/role-manager.component.ts';
import { createReferenceServerProvider } from '../lib/providers/reference-server/provider.ts';
import type { AuditEvent, ServerSettings, User } from '../lib/model.ts';
import type { ProviderConfig, TokenProvider } from '../lib/provider.ts';
import { renderGroupPage, renderOrganizationPage, renderOrganizations } from './org-pages.ts';
import { renderIdentifyPage } from './identify.ts';
import { renderWebhooks, WebhookClient } from './webhooks.ts';
import { requireOperation } from '../lib/providers/operations.ts';

export interface ConsoleOptions {
  /** Server origin; the console is served by the server itself, so `location.origin` by default. */
  baseUrl?: string;
  /** `cookie` (default): an HttpOnly session cookie, nothing secret visible to script. */
  sessionMode?: ProviderConfig['sessionMode'];
}

type Route = 'my-tokens' | 'all-tokens' | 'identify' | 'organizations' | 'users' | 'settings' | 'webhooks' | 'audit';

type Child = Node | string | null | undefined | false;

/** Creates an element; children that are strings become text nodes (never parsed as HTML). */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export class AdminConsole {
  readonly provider: TokenProvider;
  readonly root: HTMLElement;
  user: User | null = null;
  #main: HTMLElement | null = null;
  /** Bearer mode only: the session credential, for the Webhooks page's own client. */
  #credential: string | null = null;
  readonly #webhooks: WebhookClient;

  constructor(root: HTMLElement, options: ConsoleOptions = {}) {
    this.root = root;
    this.provider = createReferenceServerProvider({
      baseUrl: options.baseUrl ?? location.origin,
      sessionMode: options.sessionMode ?? 'cookie',
    });
    this.#webhooks = new WebhookClient({ baseUrl: options.baseUrl ?? location.origin, sessionMode: options.sessionMode ?? 'cookie', credential: () => this.#credential });
    window.addEventListener('hashchange', () => void this.#route());
  }

  /** Restores an existing session or shows the sign-in page. */
  async start(): Promise<void> {
    try {
      this.user = await this.provider.currentUser();
      await this.provider.refreshCapabilities();
      this.#renderShell();
      await this.#route();
    } catch {
      this.#renderSignIn();
    }
  }

  #renderSignIn(message = ''): void {
    const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
    const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const error = h('p', { class: 'error', role: 'alert' }, message);
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
    const form = h(
      'form',
      { class: 'signin', 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title' }, 'patkit admin console'),
      h('label', { for: 'username' }, 'Username'),
      username,
      h('label', { for: 'password' }, 'Password'),
      password,
      submit,
      error,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      error.textContent = '';
      try {
        const signedIn = await this.provider.signIn({ kind: 'password', username: username.value, password: password.value });
        password.value = '';
        this.user = signedIn.user;
        this.#credential = signedIn.credential || null;
        await this.provider.refreshCapabilities();
        this.#renderShell();
        if (location.hash !== '#/my-tokens') location.hash = '#/my-tokens';
        else await this.#route();
      } catch (e) {
        error.textContent = e instanceof Error ? e.message : String(e);
        submit.disabled = false;
        password.focus();
      }
    });
    this.root.replaceChildren(h('main', { class: 'signin-page' }, form));
    username.focus();
  }

  #routes(): Array<[Route, string]> {
    const caps = this.provider.capabilities;
    const routes: Array<[Route, string]> = [['my-tokens', 'My tokens']];
    if (caps.adminInventory) routes.push(['all-tokens', 'All tokens']);
    if (caps.identify && this.provider.identifyToken) routes.push(['identify', 'Identify a token']);
    if (caps.orgTokens && this.provider.listOrganizations) routes.push(['organizations', 'Organizations']);
    if (caps.roles || caps.userActivation) routes.push(['users', 'Users & roles']);
    if (caps.settings) routes.push(['settings', 'Settings']);
    if (this.user?.permissions.includes('settings:write')) routes.push(['webhooks', 'Webhooks']);
    if (caps.audit) routes.push(['audit', 'Audit log']);
    return routes;
  }

  #renderShell(): void {
    const nav = h(
      'nav',
      { 'aria-label': 'Console' },
      h('ul', {}, ...this.#routes().map(([route, label]) => h('li', {}, h('a', { href: `#/${route}`, 'data-route': route }, label)))),
    );
    const signOut = h('button', { type: 'button', class: 'signout' }, 'Sign out');
    signOut.addEventListener('click', async () => {
      try {
        await this.provider.signOut();
      } finally {
        this.user = null;
        this.#credential = null;
        history.replaceState(null, '', location.pathname);
        this.#renderSignIn();
      }
    });
    this.#main = h('main', { id: 'main', tabindex: '-1' });
    this.root.replaceChildren(
      h(
        'header',
        { class: 'topbar' },
        h('span', { class: 'brand' }, 'patkit'),
        nav,
        h('span', { class: 'who' }, `Signed in as ${this.user?.username ?? ''}`),
        signOut,
      ),
      this.#main,
    );
  }

  async #route(): Promise<void> {
    if (!this.user || !this.#main) return;
    const routes = this.#routes();
    const wanted = location.hash.replace(/^#\//, '') as Route;
    // Organization and Group pages: #/org/<id>, #/group/<org id>/<group id>.
    const scoped = /^(org|group)\/([^/]+)(?:\/([^/]+))?$/.exec(wanted);
    if (scoped && routes.some(([r]) => r === 'organizations')) {
      for (const a of this.root.querySelectorAll<HTMLAnchorElement>('nav a')) {
        if (a.dataset.route === 'organizations') a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
      const [, kind, first, second] = scoped;
      if (kind === 'org' && second === undefined) await renderOrganizationPage(this.provider, this.user, this.#main, decodeURIComponent(first!));
      else if (kind === 'group' && second !== undefined) await renderGroupPage(this.provider, this.user, this.#main, decodeURIComponent(first!), decodeURIComponent(second));
      return;
    }
    const route = routes.some(([r]) => r === wanted) ? wanted : 'my-tokens';
    for (const a of this.root.querySelectorAll<HTMLAnchorElement>('nav a')) {
      if (a.dataset.route === route) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const title = routes.find(([r]) => r === route)![1];
    document.title = `${title} · patkit`;
    const main = this.#main;
    if (route === 'my-tokens' || route === 'all-tokens') {
      const manager = document.createElement('pat-token-manager') as PatTokenManager;
      manager.heading = title;
      manager.owner = route === 'all-tokens' ? 'all' : 'me';
      manager.currentUser = this.user;
      manager.provider = this.provider;
      main.replaceChildren(h('h1', { class: 'visually-hidden' }, title), manager);
    } else if (route === 'identify') {
      renderIdentifyPage(this.provider, main);
    } else if (route === 'organizations') {
      await renderOrganizations(this.provider, main, this.user);
    } else if (route === 'users') {
      const roles = document.createElement('pat-role-manager') as PatRoleManager;
      roles.provider = this.provider;
      main.replaceChildren(h('h1', {}, title), roles);
    } else if (route === 'settings') {
      main.replaceChildren(h('h1', {}, title), await this.#settingsForm());
    } else if (route === 'webhooks') {
      await renderWebhooks(main, this.#webhooks);
    } else {
      main.replaceChildren(h('h1', {}, title), this.#auditLog());
    }
  }

  async #settingsForm(): Promise<HTMLElement> {
    let settings: ServerSettings;
    try {
      settings = await requireOperation(this.provider, 'getSettings')();
    } catch (e) {
      return h('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e));
    }
    const toggle = (id: keyof ServerSettings, label: string, help: string): HTMLElement =>
      h(
        'div',
        { class: 'setting' },
        h('input', { type: 'checkbox', role: 'switch', id, name: id, checked: settings[id] === true, 'aria-describedby': `${id}-help` }),
        h('label', { for: id }, label),
        h('p', { id: `${id}-help`, class: 'help' }, help),
      );
    const number = (id: keyof ServerSettings, label: string, help: string): HTMLElement =>
      h(
        'div',
        { class: 'setting' },
        h('label', { for: id }, label),
        h('input', { type: 'number', id, name: id, min: '0', max: '3650', value: String(settings[id]), 'aria-describedby': `${id}-help` }),
        h('p', { id: `${id}-help`, class: 'help' }, help),
      );
    const status = h('p', { role: 'status', class: 'status' });
    const form = h(
      'form',
      { class: 'settings', 'aria-label': 'Server settings' },
      h(
        'fieldset',
        {},
        h('legend', {}, 'Integration management'),
        toggle(
          'enable_personal_access_tokens',
          'Enable personal access tokens',
          'When off, nobody can create tokens and existing tokens stop working until it is turned on again.',
        ),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Token lifetime'),
        number('default_lifetime_days', 'Default lifetime (days)', 'Used when a token is created without an expiry date.'),
        number('max_lifetime_days', 'Maximum lifetime (days)', '0 means no maximum.'),
        toggle('allow_no_expiry', 'Allow tokens that never expire', 'When off, every token must have an expiry date.'),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Password policy'),
        toggle(
          'require_password_confirmation',
          'Require the password for token changes',
          'Creating, regenerating, cloning, enabling and deleting tokens ask for the password again.',
        ),
      ),
      h('button', { type: 'submit', class: 'primary' }, 'Save settings'),
      status,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = (id: string): HTMLInputElement => form.querySelector<HTMLInputElement>(`#${id}`)!;
      const patch: Partial<ServerSettings> = {
        enable_personal_access_tokens: value('enable_personal_access_tokens').checked,
        allow_no_expiry: value('allow_no_expiry').checked,
        require_password_confirmation: value('require_password_confirmation').checked,
        default_lifetime_days: Number(value('default_lifetime_days').value),
        max_lifetime_days: Number(value('max_lifetime_days').value),
      };
      status.classList.remove('error');
      try {
        await requireOperation(this.provider, 'updateSettings')(patch);
        await this.provider.refreshCapabilities();
        status.textContent = 'Settings saved.';
      } catch (e) {
        status.classList.add('error');
        status.textContent = e instanceof Error ? e.message : String(e);
      }
    });
    return form;
  }

  #auditLog(): HTMLElement {
    const body = h('tbody');
    const status = h('p', { role: 'status' }, 'Loading…');
    const more = h('button', { type: 'button', hidden: true }, 'Load more');
    let cursor: string | null = null;
    const row = (e: AuditEvent): HTMLElement =>
      h(
        'tr',
        {},
        h('td', {}, dateTime.format(Date.parse(e.at))),
        h('td', {}, e.action),
        h('td', {}, e.actor?.username ?? '—'),
        h('td', {}, e.token_id ?? '—'),
        h('td', {}, e.ip ?? '—'),
      );
    const load = async (): Promise<void> => {
      try {
        const page = await requireOperation(this.provider, 'listAudit')({ cursor, limit: 100 });
        body.append(...page.items.map(row));
        cursor = page.next_cursor;
        more.hidden = cursor === null;
        status.textContent = body.children.length === 0 ? 'No events yet.' : `${body.children.length} events`;
      } catch (e) {
        status.textContent = e instanceof Error ? e.message : String(e);
      }
    };
    more.addEventListener('click', () => void load());
    void load();
    return h(
      'section',
      { class: 'audit' },
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Audit log, newest first'),
        h(
          'thead',
          {},
          h('tr', {}, ...['Time (UTC)', 'Action', 'Actor', 'Token', 'IP'].map((c) => h('th', { scope: 'col' }, c))),
        ),
        body,
      ),
      status,
      more,
    );
  }
}

/** Mounts the console into `root` and starts it. */
export async function mountConsole(root: HTMLElement, options: ConsoleOptions = {}): Promise<AdminConsole> {
  const app = new AdminConsole(root, options);
  await app.start();
  return app;
}
