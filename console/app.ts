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
import type { Role, ServerSettings, User } from '../lib/model.ts';
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
import { pendingRequestCount, renderRequests, requestsTitle, showPendingCount } from './requests.ts';
import { renderTemplates, templatesTitle } from './templates.ts';
import { appStrings } from './app.strings.ts';
import { CONSOLE_LANGUAGES, consoleLanguage, startLanguage, switchLanguage, type ConsoleLanguage } from './i18n.ts';

export interface ConsoleOptions {
  /** Server origin; the console is served by the server itself, so `location.origin` by default. */
  baseUrl?: string;
  /** `cookie` (default): an HttpOnly session cookie, nothing secret visible to script. */
  sessionMode?: ProviderConfig['sessionMode'];
  /** The browser's languages, when no language was chosen in the console (`navigator.languages` by default). */
  languages?: readonly string[];
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
    startLanguage(options.languages ?? navigator.languages);
  }

  /** Restores an existing session or shows the sign-in page. */
  async start(): Promise<void> {
    // index.html's English placeholder, in the chosen language while the session is checked.
    this.root.replaceChildren(el('p', {}, appStrings().loading));
    try {
      this.user = await this.provider.currentUser();
      await this.#refreshCapabilities();
      this.#pendingRequests = await pendingRequestCount(this.provider);
      this.#renderShell();
      await this.#route();
    } catch {
      this.#renderSignIn();
    }
  }

  /**
   * The server's reasons why this account may not create tokens come in English (lib/); the kit
   * shows them as given, so the known ones are put in the console's language here.
   */
  async #refreshCapabilities(): Promise<void> {
    const caps = await this.provider.refreshCapabilities();
    const s = appStrings();
    const english = appStrings.tables.en;
    const known: Record<string, string> = { [english.patsOff]: s.patsOff, [english.noTokenRole]: s.noTokenRole };
    const reason = caps.create.reason;
    if (reason !== null && known[reason] !== undefined) caps.create = { ...caps.create, reason: known[reason] };
  }

  /**
   * The server names its built-in roles in English; in another language the role manager gets them
   * in the console's words (matched by id; other roles keep the names their admins gave them).
   * Empty in English or when the roles cannot be read: the role manager then loads them itself.
   */
  async #builtInRolesInLanguage(): Promise<Role[]> {
    if (consoleLanguage() === 'en' || !this.provider.listRoles) return [];
    const s = appStrings();
    const words = new Map<string, [string, string]>([
      ['system_admin', [s.roleSystemAdmin, s.roleSystemAdminHelp]],
      ['system_user', [s.roleMember, s.roleMemberHelp]],
      ['user_access_token', [s.roleTokenCreator, s.roleTokenCreatorHelp]],
    ]);
    try {
      const roles = await this.provider.listRoles();
      return roles.map((role) => {
        const [name, description] = words.get(role.id) ?? [role.name, role.description];
        return { ...role, name, description };
      });
    } catch {
      return [];
    }
  }

  /** The header's (and the sign-in page's) language switch: the page re-renders in the chosen language. */
  #languageSwitch(): HTMLElement {
    const s = appStrings();
    const names: Record<ConsoleLanguage, string> = { en: 'English', de: 'Deutsch' };
    const select = el(
      'select',
      { id: 'console-language', 'aria-label': s.language },
      ...CONSOLE_LANGUAGES.map((lang) => el('option', { value: lang, lang, selected: lang === consoleLanguage() }, names[lang])),
    );
    select.addEventListener('change', async () => {
      switchLanguage(select.value as ConsoleLanguage);
      if (!this.user) {
        this.#renderSignIn();
      } else {
        // The server's own messages (capabilities) in the new language, then the page again.
        await this.#refreshCapabilities().catch(() => undefined);
        this.#renderShell();
        await this.#route();
      }
      this.root.querySelector<HTMLSelectElement>('#console-language')?.focus();
    });
    return el('span', { class: 'language' }, select);
  }

  #renderSignIn(message = ''): void {
    const s = appStrings();
    document.title = s.consoleTitle;
    const username = el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
    const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const error = el('p', { class: 'error', role: 'alert' }, message);
    const submit = el('button', { type: 'submit', class: 'primary' }, s.signIn);
    const form = el(
      'form',
      { class: 'signin', 'aria-labelledby': 'signin-title' },
      el('h1', { id: 'signin-title' }, s.consoleTitle),
      el('label', { for: 'username' }, s.username),
      username,
      el('label', { for: 'password' }, s.password),
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
        await this.#refreshCapabilities();
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
    this.root.replaceChildren(el('div', { class: 'signin-language' }, this.#languageSwitch()), el('main', { class: 'signin-page' }, form));
    username.focus();
  }

  #routes(): Array<[Route, string]> {
    const caps = this.provider.capabilities;
    const s = appStrings();
    const routes: Array<[Route, string]> = [['my-tokens', s.myTokens]];
    if (caps.adminInventory) routes.push(['all-tokens', s.allTokens]);
    if (this.#pendingRequests !== null) routes.push(['requests', requestsTitle()]);
    if (caps.identify && this.provider.identifyToken) routes.push(['identify', s.identify]);
    if (caps.orgTokens && this.provider.listOrganizations) routes.push(['organizations', s.organizations]);
    if (caps.roles || caps.userActivation) routes.push(['users', s.users]);
    if (caps.settings) routes.push(['settings', s.settings]);
    if (caps.templates && this.provider.createTemplate && this.user?.permissions.includes('settings:write')) routes.push(['templates', templatesTitle()]);
    if (this.user?.permissions.includes('settings:write')) routes.push(['webhooks', s.webhooks]);
    if (caps.audit) routes.push(['audit', s.audit]);
    return routes;
  }

  #renderShell(): void {
    const s = appStrings();
    const nav = el(
      'nav',
      { 'aria-label': s.navLabel },
      el('ul', {}, ...this.#routes().map(([route, label]) => el('li', {}, el('a', { href: `#/${route}`, 'data-route': route, 'data-label': label }, label)))),
    );
    const signOut = el('button', { type: 'button', class: 'signout' }, s.signOut);
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
        // Who, the language and Sign out wrap as one group, so a long (German) nav never splits them.
        el('div', { class: 'account' }, el('span', { class: 'who' }, s.signedInAs(this.user?.username ?? '')), this.#languageSwitch(), signOut),
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
      roles.roles = await this.#builtInRolesInLanguage();
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
    const s = appStrings();
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
      { class: 'settings', 'aria-label': s.settingsLabel },
      el(
        'fieldset',
        {},
        el('legend', {}, s.integration),
        toggle('enable_personal_access_tokens', s.enablePats, s.enablePatsHelp),
      ),
      el(
        'fieldset',
        {},
        el('legend', {}, s.lifetime),
        number('default_lifetime_days', s.defaultLifetime, s.defaultLifetimeHelp),
        number('max_lifetime_days', s.maxLifetime, s.maxLifetimeHelp),
        toggle('allow_no_expiry', s.allowNoExpiry, s.allowNoExpiryHelp),
      ),
      el(
        'fieldset',
        {},
        el('legend', {}, s.passwordPolicy),
        toggle('require_password_confirmation', s.requirePassword, s.requirePasswordHelp),
      ),
      approvalFieldset(settings),
      el('button', { type: 'submit', class: 'primary' }, s.saveSettings),
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
        await this.#refreshCapabilities();
        status.textContent = s.settingsSaved;
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
