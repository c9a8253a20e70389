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
import type { ServerSettings, User } from '../lib/model.ts';
import type { ProviderConfig, TokenProvider } from '../lib/provider.ts';
import { renderGroupPage, renderOrganizationPage, renderOrganizations } from './org-pages.ts';
import { el } from './dom.ts';
import { renderAuditLog } from './audit-log.ts';
import { renderIdentifyPage } from './identify.ts';
import { WebhookClient } from './webhook-client.ts';
import { renderWebhooks } from './webhooks.ts';
import { requireOperation } from '../lib/providers/require-operation.ts';
import { approvalFieldset, approvalPatch } from './approval-settings.ts';
import { OrgApprovalClient, renderOrgApproval } from './org-approval.ts';
import { pendingRequestCount, renderRequests, REQUESTS_TITLE, showPendingCount } from './requests.ts';
import { renderTemplates, TEMPLATES_TITLE } from './templates.ts';

export interface ConsoleOptions {
  /** Server origin; the console is served by the server itself, so `location.origin` by default. */
  baseUrl?: string;
  /** `cookie` (default): an HttpOnly session cookie, nothing secret visible to script. */
  sessionMode?: ProviderConfig['sessionMode'];
}

type Route = 'my-tokens' | 'all-tokens' | 'requests' | 'identify' | 'organizations' | 'users' | 'settings' | 'templates' | 'webhooks' | 'audit';

export class AdminConsole {
  readonly provider: TokenProvider;
  readonly root: HTMLElement;
  user: User | null = null;
  #main: HTMLElement | null = null;
  /** Bearer mode only: the session credential, for the Webhooks page's own client. */
  #credential: string | null = null;
  readonly #webhooks: WebhookClient;
  readonly #orgApproval: OrgApprovalClient;
  /** Requests waiting for this user's decision; `null`: the user approves nothing (no Requests page). */
  #pendingRequests: string | null = null;

  constructor(root: HTMLElement, options: ConsoleOptions = {}) {
    this.root = root;
    this.provider = createReferenceServerProvider({
      baseUrl: options.baseUrl ?? location.origin,
      sessionMode: options.sessionMode ?? 'cookie',
    });
    this.#webhooks = new WebhookClient({ baseUrl: options.baseUrl ?? location.origin, sessionMode: options.sessionMode ?? 'cookie', credential: () => this.#credential });
    this.#orgApproval = new OrgApprovalClient({ baseUrl: options.baseUrl ?? location.origin, sessionMode: options.sessionMode ?? 'cookie', credential: () => this.#credential });
    window.addEventListener('hashchange', () => void this.#route());
  }

  /** Restores an existing session or shows the sign-in page. */
  async start(): Promise<void> {
    try {
      this.user = await this.provider.currentUser();
      await this.provider.refreshCapabilities();
      this.#pendingRequests = await pendingRequestCount(this.provider);
      this.#renderShell();
      await this.#route();
    } catch {
      this.#renderSignIn();
    }
  }

  #renderSignIn(message = ''): void {
    const username = el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
    const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const error = el('p', { class: 'error', role: 'alert' }, message);
    const submit = el('button', { type: 'submit', class: 'primary' }, 'Sign in');
    const form = el(
      'form',
      { class: 'signin', 'aria-labelledby': 'signin-title' },
      el('h1', { id: 'signin-title' }, 'patkit admin console'),
      el('label', { for: 'username' }, 'Username'),
      username,
      el('label', { for: 'password' }, 'Password'),
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
        this.#pendingRequests = await pendingRequestCount(this.provider);
        this.#renderShell();
        // A deep link opened while signed out (#/webhooks) is where the user was going: keep it.
        if (location.hash === '' || location.hash === '#/') history.replaceState(null, '', '#/my-tokens');
        await this.#route();
      } catch (e) {
        error.textContent = e instanceof Error ? e.message : String(e);
        submit.disabled = false;
        password.focus();
      }
    });
    this.root.replaceChildren(el('main', { class: 'signin-page' }, form));
    username.focus();
  }

  #routes(): Array<[Route, string]> {
    const caps = this.provider.capabilities;
    const routes: Array<[Route, string]> = [['my-tokens', 'My tokens']];
    if (caps.adminInventory) routes.push(['all-tokens', 'All tokens']);
    if (this.#pendingRequests !== null) routes.push(['requests', REQUESTS_TITLE]);
    if (caps.identify && this.provider.identifyToken) routes.push(['identify', 'Identify a token']);
    if (caps.orgTokens && this.provider.listOrganizations) routes.push(['organizations', 'Organizations']);
    if (caps.roles || caps.userActivation) routes.push(['users', 'Users & roles']);
    if (caps.settings) routes.push(['settings', 'Settings']);
    if (caps.templates && this.provider.createTemplate && this.user?.permissions.includes('settings:write')) routes.push(['templates', TEMPLATES_TITLE]);
    if (this.user?.permissions.includes('settings:write')) routes.push(['webhooks', 'Webhooks']);
    if (caps.audit) routes.push(['audit', 'Audit log']);
    return routes;
  }

  #renderShell(): void {
    const nav = el(
      'nav',
      { 'aria-label': 'Console' },
      el('ul', {}, ...this.#routes().map(([route, label]) => el('li', {}, el('a', { href: `#/${route}`, 'data-route': route, 'data-label': label }, label)))),
    );
    const signOut = el('button', { type: 'button', class: 'signout' }, 'Sign out');
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
    this.#main = el('main', { id: 'main', tabindex: '-1' });
    this.root.replaceChildren(
      el(
        'header',
        { class: 'topbar' },
        el('span', { class: 'brand' }, 'patkit'),
        nav,
        el('span', { class: 'who' }, `Signed in as ${this.user?.username ?? ''}`),
        signOut,
      ),
      this.#main,
    );
    showPendingCount(this.root, this.#pendingRequests);
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
      if (kind === 'org' && second === undefined) {
        await renderOrganizationPage(this.provider, this.user, this.#main, decodeURIComponent(first!));
        if (this.user.permissions.includes('settings:write')) await renderOrgApproval(this.#main, this.#orgApproval, decodeURIComponent(first!));
      }
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
      main.replaceChildren(el('h1', { class: 'visually-hidden' }, title), manager);
    } else if (route === 'requests') {
      renderRequests(main, this.provider, () =>
        void pendingRequestCount(this.provider).then((count) => showPendingCount(this.root, (this.#pendingRequests = count))),
      );
    } else if (route === 'templates') {
      await renderTemplates(main, this.provider);
    } else if (route === 'identify') {
      renderIdentifyPage(this.provider, main);
    } else if (route === 'organizations') {
      await renderOrganizations(this.provider, main, this.user);
    } else if (route === 'users') {
      const roles = document.createElement('pat-role-manager') as PatRoleManager;
      roles.currentUser = this.user;
      roles.provider = this.provider;
      main.replaceChildren(el('h1', {}, title), roles);
    } else if (route === 'settings') {
      main.replaceChildren(el('h1', {}, title), await this.#settingsForm());
    } else if (route === 'webhooks') {
      await renderWebhooks(main, this.#webhooks);
    } else {
      main.replaceChildren(el('h1', {}, title), renderAuditLog(this.provider));
    }
  }

  async #settingsForm(): Promise<HTMLElement> {
    let settings: ServerSettings;
    try {
      settings = await requireOperation(this.provider, 'getSettings')();
    } catch (e) {
      return el('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e));
    }
    const toggle = (id: keyof ServerSettings, label: string, help: string): HTMLElement =>
      el(
        'div',
        { class: 'setting' },
        el('input', { type: 'checkbox', role: 'switch', id, name: id, checked: settings[id] === true, 'aria-describedby': `${id}-help` }),
        el('label', { for: id }, label),
        el('p', { id: `${id}-help`, class: 'help' }, help),
      );
    const number = (id: keyof ServerSettings, label: string, help: string): HTMLElement =>
      el(
        'div',
        { class: 'setting' },
        el('label', { for: id }, label),
        el('input', { type: 'number', id, name: id, min: '0', max: '3650', value: String(settings[id]), 'aria-describedby': `${id}-help` }),
        el('p', { id: `${id}-help`, class: 'help' }, help),
      );
    const status = el('p', { role: 'status', class: 'status' });
    const form = el(
      'form',
      { class: 'settings', 'aria-label': 'Server settings' },
      el(
        'fieldset',
        {},
        el('legend', {}, 'Integration management'),
        toggle(
          'enable_personal_access_tokens',
          'Enable personal access tokens',
          'When off, nobody can create tokens and existing tokens stop working until it is turned on again.',
        ),
      ),
      el(
        'fieldset',
        {},
        el('legend', {}, 'Token lifetime'),
        number('default_lifetime_days', 'Default lifetime (days)', 'Used when a token is created without an expiry date.'),
        number('max_lifetime_days', 'Maximum lifetime (days)', '0 means no maximum.'),
        toggle('allow_no_expiry', 'Allow tokens that never expire', 'When off, every token must have an expiry date.'),
      ),
      el(
        'fieldset',
        {},
        el('legend', {}, 'Password policy'),
        toggle(
          'require_password_confirmation',
          'Require the password for token changes',
          'Creating, regenerating, cloning, enabling and deleting tokens ask for the password again.',
        ),
      ),
      approvalFieldset(settings),
      el('button', { type: 'submit', class: 'primary' }, 'Save settings'),
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
        ...approvalPatch(form),
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
}

/** Mounts the console into `root` and starts it. */
export async function mountConsole(root: HTMLElement, options: ConsoleOptions = {}): Promise<AdminConsole> {
  const app = new AdminConsole(root, options);
  await app.start();
  return app;
}
