import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Role, User } from '../../lib/model.ts';
import type { ProviderCapabilities, TokenProvider } from '../../lib/provider.ts';
import { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import { PatErrorEvent, PatRequestUserActiveEvent, PatUserUpdatedEvent } from '../shared/events.ts';
import { messageOf } from '../shared/format.ts';
import { LocaleController } from '../shared/locale.ts';
import { rolesStrings } from './role-manager.strings.ts';
import type { PatStrings } from '../shared/strings.ts';
import { roleManagerStyles } from './role-manager.styles.ts';
import { requireOperation } from '../../lib/providers/require-operation.ts';

/**
 * @summary Admin view of users and their roles: search users, page through them, switch each role
 * of the catalog on or off (with the catalog's labels, e.g. "Allow this account to generate
 * personal access tokens", "post:all", "post:channels", and the server's name for each role),
 * Save with a clear result, and deactivate / reactivate.
 *
 * The catalog is what this server lets patkit manage. Roles a user holds outside it (a
 * Mattermost user's `system_user`, `system_admin`) are listed as kept: they are sent back
 * unchanged on Save and never offered as a switch.
 *
 * With a `provider` it loads and saves itself, `pageSize` users at a time with a "More users"
 * button while the server has more; otherwise set `users` and `roles` and listen for
 * `pat-user-updated` (it still emits the changed user; apply it on your backend and set `users`).
 * Deactivation and reactivation are offered only with `capabilities.userActivation`, and never on
 * `currentUser`'s own card (servers refuse it; the card says why instead).
 *
 * @event pat-request-user-active - Cancelable; before a user is deactivated or reactivated.
 * @event pat-user-updated - Roles or active state saved; `detail.user`, `detail.change`.
 * @event pat-error - Loading or saving failed; the message is on screen too.
 *
 * @csspart search - The search field's label.
 * @csspart users - The list of users.
 * @csspart user - One user's card.
 * @csspart save - A user's Save button.
 * @csspart more - The "More users" button (next page from the provider).
 * @csspart kept-roles - A user's roles outside the catalog, kept as they are.
 * @csspart activation - A user's Deactivate / Reactivate button.
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-color-danger=#b42318] - Destructive actions and errors.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatRoleManager extends LitElement {
  /** Tags this template renders; the `patkit/role-manager` entry defines them with this one where they are not defined yet. */
  static dependencies = { 'pat-confirm-dialog': PatConfirmDialog };

  static override styles = [baseStyles, roleManagerStyles];

  readonly #locale = new LocaleController(this, rolesStrings);

  /** Loads and saves through this provider. */
  @property({ attribute: false }) provider: TokenProvider | null = null;
  /** Users to show (filled in by the component itself when it has a provider). */
  @property({ attribute: false }) users: User[] = [];
  /** The role catalog (filled in from the provider when it has one). */
  @property({ attribute: false }) roles: Role[] = [];
  /** The signed-in user: their own card offers no Deactivate. */
  @property({ attribute: false }) currentUser: User | null = null;
  /** What the server can do; defaults to the provider's, or to everything. */
  @property({ attribute: false }) capabilities: ProviderCapabilities | null = null;
  /** Overrides for single strings of the kit's locale (English unless a `lang` picks another). */
  @property({ attribute: false }) strings: Partial<PatStrings> = {};
  /** Users asked of the provider per page (search results and "More users"). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 100;

  @state() private query = '';
  @state() private drafts: ReadonlyMap<string, ReadonlySet<string>> = new Map();
  @state() private results: ReadonlyMap<string, { ok: boolean; text: string }> = new Map();
  @state() private busy: ReadonlySet<string> = new Set();
  @state() private loading = false;
  @state() private error = '';
  /** Where the provider's next page of users starts; `null` on the last page. */
  @state() private nextCursor: string | null = null;

  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #requestSeq = 0;

  get #caps(): ProviderCapabilities {
    return this.capabilities ?? this.provider?.capabilities ?? FULL_CAPABILITIES;
  }

  /** Reloads users (for the current search, first page) and the role catalog from the provider. */
  async reload(): Promise<void> {
    await this.#load(null);
  }

  /** `cursor` null: the first page replaces the list; otherwise the next page is appended. */
  async #load(cursor: string | null): Promise<void> {
    const provider = this.provider;
    if (!provider) return;
    const seq = ++this.#requestSeq;
    this.loading = true;
    this.error = '';
    try {
      const [page, roles] = await Promise.all([
        requireOperation(provider, 'listUsers')({ text: this.query.trim() || undefined, limit: this.pageSize, ...(cursor ? { cursor } : {}) }),
        this.roles.length ? Promise.resolve(this.roles) : requireOperation(provider, 'listRoles')(),
      ]);
      if (seq !== this.#requestSeq) return;
      const known = cursor ? new Set(this.users.map((u) => u.id)) : new Set<string>();
      this.users = cursor ? [...this.users, ...page.items.filter((u) => !known.has(u.id))] : page.items;
      this.nextCursor = page.next_cursor;
      this.roles = roles;
    } catch (error) {
      const { code, message } = messageOf(error);
      this.error = message;
      this.dispatchEvent(new PatErrorEvent(code, message));
    } finally {
      if (seq === this.#requestSeq) this.loading = false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('provider') && this.provider) void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
  }

  #onSearch(value: string): void {
    this.query = value;
    clearTimeout(this.#searchTimer);
    if (this.provider) this.#searchTimer = setTimeout(() => void this.reload(), 200);
  }

  #rolesOf(user: User): ReadonlySet<string> {
    return this.drafts.get(user.id) ?? new Set(user.roles);
  }

  #toggle(user: User, roleId: string, on: boolean): void {
    const next = new Set(this.#rolesOf(user));
    if (on) next.add(roleId);
    else next.delete(roleId);
    const drafts = new Map(this.drafts);
    drafts.set(user.id, next);
    this.drafts = drafts;
    const results = new Map(this.results);
    results.delete(user.id);
    this.results = results;
  }

  #dirty(user: User): boolean {
    const draft = this.drafts.get(user.id);
    if (!draft) return false;
    return draft.size !== user.roles.length || user.roles.some((r) => !draft.has(r));
  }

  #setBusy(id: string, on: boolean): void {
    const next = new Set(this.busy);
    if (on) next.add(id);
    else next.delete(id);
    this.busy = next;
  }

  #replaceUser(user: User): void {
    this.users = this.users.map((u) => (u.id === user.id ? user : u));
    const drafts = new Map(this.drafts);
    drafts.delete(user.id);
    this.drafts = drafts;
  }

  #result(id: string, ok: boolean, text: string): void {
    const results = new Map(this.results);
    results.set(id, { ok, text });
    this.results = results;
  }

  async #save(user: User): Promise<void> {
    const s = this.#locale.strings(this.strings);
    const roles = [...this.#rolesOf(user)];
    const name = user.display_name || user.username;
    if (!this.provider) {
      const updated = { ...user, roles };
      this.#replaceUser(updated);
      this.#result(user.id, true, s.rolesSaved(name));
      this.dispatchEvent(new PatUserUpdatedEvent({ user: updated, change: 'roles' }));
      return;
    }
    const provider = this.provider;
    await this.#change(user, 'roles', () => requireOperation(provider, 'setUserRoles')(user.id, roles), s.rolesSaved(name));
  }

  async #setActive(user: User, active: boolean): Promise<void> {
    if (!this.dispatchEvent(new PatRequestUserActiveEvent({ userId: user.id, active }))) return;
    const s = this.#locale.strings(this.strings);
    const name = user.display_name || user.username;
    if (!active) {
      const dialog = this.renderRoot.querySelector('pat-confirm-dialog') as PatConfirmDialog;
      const answer = await dialog.ask({
        title: s.confirmDeactivateTitle(name),
        body: s.confirmDeactivateBody,
        confirmLabel: s.deactivate,
        danger: true,
      });
      if (!answer.confirmed) return;
    }
    const provider = this.provider;
    await this.#change(
      user,
      'active',
      async () => (provider ? requireOperation(provider, 'setUserActive')(user.id, active) : { ...user, active }),
      active ? s.userReactivated(name) : s.userDeactivated(name),
    );
  }

  /** Runs one change of `user` with its row busy; the outcome beside the row and as an event. */
  async #change(user: User, change: 'roles' | 'active', run: () => Promise<User>, done: string): Promise<void> {
    this.#setBusy(user.id, true);
    try {
      const updated = await run();
      // A roles change also ends the row's draft; an (de)activation leaves any draft as it is.
      if (change === 'roles') this.#replaceUser(updated);
      else this.users = this.users.map((u) => (u.id === user.id ? updated : u));
      this.#result(user.id, true, done);
      this.dispatchEvent(new PatUserUpdatedEvent({ user: updated, change }));
    } catch (error) {
      const { code, message } = messageOf(error);
      this.#result(user.id, false, message);
      this.dispatchEvent(new PatErrorEvent(code, message));
    } finally {
      this.#setBusy(user.id, false);
    }
  }

  override render() {
    const s = this.#locale.strings(this.strings);
    const q = this.query.trim().toLowerCase();
    // Without a provider the search filters locally.
    const users = this.provider
      ? this.users
      : this.users.filter((u) => !q || u.username.toLowerCase().includes(q) || u.display_name.toLowerCase().includes(q));
    return html`<label part="search"
        >${s.rolesSearch}
        <input type="search" .value=${this.query} @input=${(e: InputEvent) => this.#onSearch((e.target as HTMLInputElement).value)} />
      </label>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      ${this.loading && users.length === 0
        ? html`<p role="status">${s.rolesLoading}</p>`
        : users.length === 0
          ? html`<p role="status">${s.rolesNoUsers}</p>`
          : html`<ul part="users" aria-label=${s.rolesTitle} aria-busy=${this.loading ? 'true' : 'false'}>
              ${users.map((u) => this.#renderUser(u, s))}
            </ul>`}
      ${this.provider && this.nextCursor !== null && users.length > 0
        ? html`<button type="button" part="more" ?disabled=${this.loading} @click=${() => void this.#load(this.nextCursor)}>${s.rolesMore}</button>`
        : nothing}
      <pat-confirm-dialog .strings=${this.strings} exportparts="dialog:confirm-dialog,confirm:confirm-button,cancel:confirm-cancel"></pat-confirm-dialog>`;
  }

  #renderUser(user: User, s: PatStrings) {
    const name = user.display_name || user.username;
    const busy = this.busy.has(user.id);
    const result = this.results.get(user.id);
    const headingId = `user-${user.id}`;
    return html`<li part="user" aria-labelledby=${headingId}>
      <div class="user-head">
        <h3 id=${headingId}>${name}</h3>
        <span class="muted">${user.username}</span>
        <span class="badge ${user.active ? '' : 'inactive'}">${user.active ? s.userActive : s.userInactive}</span>
        ${user.kind === 'technical' ? html`<span class="badge">${s.userTechnical}</span>` : nothing}
      </div>
      ${this.#caps.roles ? this.#renderRoles(user, name, busy, s) : nothing}
      <div class="row-actions">
        ${this.#caps.roles
          ? html`<button type="button" part="save" class="primary" ?disabled=${busy || !this.#dirty(user)} @click=${() => void this.#save(user)}>
              ${s.rolesSave}
            </button>`
          : nothing}
        ${this.#caps.userActivation && user.active && user.id === this.currentUser?.id
          ? html`<span class="muted">${s.deactivateSelf}</span>`
          : this.#caps.userActivation
          ? html`<button
              type="button"
              part="activation"
              class=${user.active ? 'danger' : ''}
              ?disabled=${busy}
              @click=${() => void this.#setActive(user, !user.active)}
            >
              ${user.active ? s.deactivate : s.reactivate}
            </button>`
          : nothing}
        <p class="result ${result?.ok ? 'ok' : 'error-text'}" role="status">${result?.text ?? ''}</p>
      </div>
    </li>`;
  }

  /**
   * One switch per catalog role, labelled as the catalog says, with the server's own name for the
   * role beside it when that differs; then the roles the user holds outside the catalog, as kept.
   */
  #renderRoles(user: User, name: string, busy: boolean, s: PatStrings) {
    const roles = this.#rolesOf(user);
    const managed = new Set(this.roles.map((r) => r.id));
    const kept = user.roles.filter((r) => !managed.has(r));
    return html`<fieldset>
      <legend>${s.rolesFor(name)}</legend>
      ${this.roles.map((role) => {
        const idHint = `role-${user.id}-${role.id}`;
        return html`<div class="role">
          <label class="switch" title=${role.description}>
            <input
              type="checkbox"
              role="switch"
              aria-describedby=${role.id !== role.name ? idHint : nothing}
              .checked=${roles.has(role.id)}
              ?disabled=${busy}
              @change=${(e: Event) => this.#toggle(user, role.id, (e.target as HTMLInputElement).checked)}
            />
            <span>${role.name}</span>
          </label>
          ${role.id !== role.name ? html`<code class="role-id" id=${idHint}>${role.id}</code>` : nothing}
        </div>`;
      })}
      ${kept.length > 0 ? html`<p class="kept muted" part="kept-roles">${s.rolesKept(kept.join(', '))}</p>` : nothing}
    </fieldset>`;
  }
}
