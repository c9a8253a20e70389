/**
 * The toolbar popup (loaded by main.ts after the first paint). It paints the token list from the IndexedDB cache before anything else (one
 * storage read, one IndexedDB read), then lets the list refresh through the background
 * (stale-while-revalidate). A secret created but not yet confirmed is offered again on reopen.
 *
 * The popup never holds a credential: every server call is a message to the background
 * ({@link RemoteProvider}). The wizard and the reveal dialog load on demand, keeping the first
 * paint small.
 */
import { browser } from 'wxt/browser';
import '../../components/token-list/token-list.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import { formatTime } from '../../lib/dates.ts';
import type { PatTokenActionEvent } from '../../components/shared/events.ts';
import { ProviderError } from '../../lib/errors.ts';
import type { CreatedToken, TokenMeta } from '../../lib/model.ts';
import type { ProviderCapabilities, ProviderDescriptor } from '../../lib/provider.ts';
import { RemoteProvider, send } from '../../extension/messaging/remote-provider.ts';
import { openMetadataCache } from '../../extension/metadata-cache.ts';
import type { ServerView, TokenListing } from '../../extension/messaging/protocol.ts';
import { migrateSettings, SETTINGS_KEY, type StoredServer } from '../../extension/settings.ts';
import { renderScopedTokens, type ScopedTokensOptions } from './org-tokens.ts';
import { hideRequestsButton, openRequestsView, requestsClosed, showRequestsButton } from './requests.ts';
import { t } from '../../extension/i18n.ts';
import { applyUiLanguage } from '../../extension/ui-language.ts';

// Shared with the first-paint script, which must stay tiny: these two names are its whole API.
const LAST_SERVER_KEY = 'patkit:popup-server';
const FIRST_ROWS_KEY = 'patkit:popup-first-rows';

/** Remembers which rows the list shows first (ids only), so the next open can paint just those. */
function rememberFirstRows(serverId: string): void {
  const ids = list.visibleTokens.slice(0, 12).map((t) => t.id);
  localStorage.setItem(FIRST_ROWS_KEY, JSON.stringify({ serverId, ids }));
}

const list = document.querySelector('pat-token-list') as PatTokenList;
const serverSelect = document.querySelector('#server') as HTMLSelectElement;
const status = document.querySelector('#status') as HTMLElement;
const newToken = document.querySelector('#new-token') as HTMLButtonElement;
const listView = document.querySelector('#list-view') as HTMLElement;
const wizardView = document.querySelector('#wizard-view') as HTMLElement;
const emptyView = document.querySelector('#empty-view') as HTMLElement;
const firstPaint = document.querySelector('#first-paint') as HTMLElement;
const orgView = document.querySelector('#org-view') as HTMLElement;
const createBlocked = document.querySelector('#create-blocked') as HTMLElement;
const signedOutView = document.querySelector('#signed-out-view') as HTMLElement;
const leakedView = document.querySelector('#leaked-view') as HTMLElement;
const revokeLeaked = document.querySelector('#revoke-leaked') as HTMLButtonElement;
const requestsView = document.querySelector('#requests-view') as HTMLElement;
const openRequests = document.querySelector('#open-requests') as HTMLButtonElement;

const cache = openMetadataCache();
let servers: StoredServer[] = [];
let current: { serverId: string; provider: RemoteProvider | null; view: ServerView | null; passwordRequired: boolean } | null = null;
let descriptors: Promise<ProviderDescriptor[]> | null = null;

const time = (iso: string): string => formatTime(document.documentElement.lang || undefined, iso);
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function setStatus(text: string, offline = false): void {
  status.textContent = text;
  status.toggleAttribute('data-offline', offline);
}

/** "Local patkit · alice": which server and which account the list and its actions belong to. */
function whose(): string {
  const view = current?.view;
  const name = view?.name ?? servers.find((s) => s.id === current?.serverId)?.name ?? '';
  const user = view?.user ? view.user.display_name || view.user.username : null;
  return user ? `${name} · ${user}` : name;
}

let retry: ReturnType<typeof setTimeout> | null = null;
let retryDelay = 3000;

function showListing(listing: TokenListing): void {
  if (retry) clearTimeout(retry);
  retry = null;
  if (listing.offline) {
    setStatus(listing.cachedAt ? t('popupOfflineCached', whose(), time(listing.cachedAt)) : t('popupOfflineNothing', whose()), true);
    // The browser's online event does not fire when a server comes back: ask again while open.
    const serverId = current?.serverId;
    retry = setTimeout(() => {
      if (current?.serverId === serverId) void list.refresh();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30_000);
  } else {
    retryDelay = 3000;
    setStatus(listing.cachedAt ? t('popupUpdated', whose(), time(listing.cachedAt)) : whose());
  }
}

/** Signed out: no list to act on and no "New token"; one way out, "Sign in". */
function showSignedOut(name: string): void {
  list.loading = false;
  list.provider = null;
  listView.hidden = true;
  orgView.hidden = true;
  newToken.hidden = true;
  createBlocked.hidden = true;
  hideRequestsButton();
  (document.querySelector('#signed-out-text') as HTMLElement).textContent = t('popupSignedOut', name);
  signedOutView.hidden = false;
  setStatus('');
}

async function reveal(created: CreatedToken): Promise<void> {
  const { PatRevealDialog } = await import('../../components/reveal-dialog/reveal-dialog.ts');
  await PatRevealDialog.reveal(created, { container: document.body });
}

/** What the leaked-token view hid, to give back on close. */
let hiddenForLeaked: Array<[HTMLElement, boolean]> = [];
let closeLeaked: (() => void) | null = null;

async function openLeaked(): Promise<void> {
  if (closeLeaked) return;
  // Claimed before the module loads, so a second click does not open a second flow.
  closeLeaked = () => undefined;
  closeRequests();
  let openLeakedFlow: typeof import('./leaked.ts').openLeakedFlow;
  try {
    ({ openLeakedFlow } = await import('./leaked.ts'));
  } catch (e) {
    closeLeaked = null;
    throw e;
  }
  const sections = [listView, wizardView, emptyView, orgView, signedOutView, createBlocked];
  hiddenForLeaked = sections.map((s) => [s, s.hidden]);
  for (const s of sections) s.hidden = true;
  leakedView.hidden = false;
  revokeLeaked.setAttribute('aria-expanded', 'true');
  const teardown = openLeakedFlow(leakedView, {
    close: () => {
      closeLeaked = null;
      leakedView.hidden = true;
      revokeLeaked.setAttribute('aria-expanded', 'false');
      for (const [s, wasHidden] of hiddenForLeaked) s.hidden = wasHidden;
      if (current?.provider) void list.refresh();
      revokeLeaked.focus();
    },
    openOptions: () => void browser.runtime.openOptionsPage(),
  });
  closeLeaked = () => {
    teardown();
    closeLeaked = null;
  };
}

/** What the Requests view hid, to give back on close. */
let hiddenForRequests: Array<[HTMLElement, boolean]> | null = null;

function closeRequests(): void {
  if (!hiddenForRequests) return;
  requestsView.hidden = true;
  requestsView.replaceChildren();
  for (const [s, wasHidden] of hiddenForRequests) s.hidden = wasHidden;
  hiddenForRequests = null;
  requestsClosed();
  if (current?.provider) void list.refresh();
  if (!openRequests.hidden) openRequests.focus();
}

/** The approver's Requests view in place of the lists; the same button (or Back, or Escape) closes it. */
async function toggleRequests(): Promise<void> {
  if (hiddenForRequests) return closeRequests();
  const provider = current?.provider;
  if (!provider) return;
  const sections = [listView, wizardView, emptyView, orgView, signedOutView, createBlocked];
  hiddenForRequests = sections.map((s) => [s, s.hidden]);
  for (const s of sections) s.hidden = true;
  requestsView.hidden = false;
  await openRequestsView(requestsView, provider, closeRequests);
}

/** Shows the (empty) list view for a newly chosen server; whatever was open for another closes. */
function resetViews(serverId: string): void {
  closeRequests();
  hideRequestsButton();
  current = { serverId, provider: null, view: null, passwordRequired: false };
  closeLeaked?.();
  leakedView.hidden = true;
  localStorage.setItem(LAST_SERVER_KEY, serverId);
  newToken.disabled = true;
  newToken.hidden = false;
  createBlocked.hidden = true;
  signedOutView.hidden = true;
  listView.hidden = false;
  orgView.hidden = true;
  orgView.replaceChildren();
  list.provider = null;
  list.error = null;
}

/** The cached list at once; the first-paint rows step aside once the real list shows it. False: the user moved on. */
async function paintCached(serverId: string): Promise<boolean> {
  const snapshot = await cache.read(serverId);
  if (current?.serverId !== serverId) return false;
  list.tokens = snapshot?.items ?? [];
  list.loading = !snapshot;
  if (snapshot) setStatus(t('popupCachedRefreshing', whose(), time(snapshot.cachedAt)));
  await list.updateComplete;
  // The real list has rendered the cache: the first-paint rows step aside.
  firstPaint.dataset.replaced = 'true';
  firstPaint.hidden = true;
  firstPaint.replaceChildren();
  if (list.shadowRoot?.querySelector('[part="row"]')) performance.mark('patkit:list-rendered');
  rememberFirstRows(serverId);
  return true;
}

/** Whether the server asks for the password before changes: always, or by its policy setting. */
function passwordRequiredOn(serverId: string, capabilities: ProviderCapabilities): boolean | Promise<boolean> {
  if (capabilities.passwordConfirmation === 'always') return true;
  if (capabilities.passwordConfirmation === 'policy' && capabilities.settings) {
    return send('server.settings', { serverId }).then((s) => s.require_password_confirmation, () => false);
  }
  return false;
}

/** A user who may not create tokens is told so now, with the way out, not after the wizard. */
function showCreateAllowed(capabilities: ProviderCapabilities): void {
  if (capabilities.create.allowed) newToken.disabled = false;
  else {
    newToken.hidden = true;
    createBlocked.textContent = capabilities.create.reason ?? t('popupCreateBlocked');
    createBlocked.hidden = false;
  }
}

/** Paints from the cache first, then connects the list to the background, which refreshes it. */
async function openServer(serverId: string): Promise<void> {
  resetViews(serverId);
  if (!(await paintCached(serverId))) return;

  const [views, kinds] = await Promise.all([send('servers.list', {}), (descriptors ??= send('providers.list', {}))]);
  if (current?.serverId !== serverId) return;
  const view = views.find((v) => v.id === serverId) ?? null;
  current.view = view;
  if (!view || view.state === 'signed_out') return showSignedOut(view?.name ?? '');
  const descriptor = kinds.find((d) => d.kind === view.kind) ?? { kind: view.kind, label: view.kind, signIn: [], help: '' };
  let capabilities;
  try {
    capabilities = await send('server.capabilities', { serverId });
  } catch (e) {
    if (e instanceof ProviderError && e.code === 'unauthorized') return showSignedOut(view.name);
    throw e;
  }
  if (current?.serverId !== serverId) return;
  const provider = new RemoteProvider(serverId, descriptor, capabilities);
  let wasOffline = false;
  provider.onListing = (listing) => {
    if (current?.serverId !== serverId) return;
    showListing(listing);
    // Back online: the organisation section comes back with the list.
    if (wasOffline && !listing.offline && capabilities.orgTokens) void renderScopedTokens(orgView, scopedOptions);
    wasOffline = listing.offline;
    void list.updateComplete.then(() => rememberFirstRows(serverId));
  };
  current.provider = provider;
  let scopedOptions: ScopedTokensOptions = { serverId, passwordRequired: false, askPassword, confirmDelete, onError: setStatus, stillCurrent: () => current?.serverId === serverId };
  const [alerts, passwordRequired] = await Promise.all([send('alerts.get', {}), passwordRequiredOn(serverId, capabilities)]);
  if (current?.serverId !== serverId) return;
  current.passwordRequired = passwordRequired;
  list.expiringSoonDays = alerts.expiryWarningDays;
  list.passwordRequired = passwordRequired;
  // The list refreshes, deletes, disables, enables and regenerates through the background now,
  // asking once (with the password when the server wants it); a regenerated secret is revealed
  // at the top of the popup, like a pending one offered again on reopen.
  list.revealContainer = document.body;
  list.provider = provider;
  showCreateAllowed(capabilities);
  // Organisation and group tokens the user manages, grouped, below the personal ones.
  scopedOptions = { serverId, passwordRequired, askPassword, confirmDelete, onError: setStatus, stillCurrent: () => current?.serverId === serverId };
  if (capabilities.orgTokens) void renderScopedTokens(orgView, scopedOptions);
  // Approvers: the Requests button with the number waiting for them.
  if (capabilities.approval) void showRequestsButton(serverId, () => current?.serverId === serverId);
}

async function openWizard(token: TokenMeta | null): Promise<void> {
  if (!current?.provider) return;
  closeRequests();
  await import('../../components/create-wizard/create-wizard.ts');
  const wizard = document.createElement('pat-create-wizard');
  wizard.provider = current.provider;
  wizard.capabilities = current.provider.capabilities;
  wizard.currentUser = current.view?.user ?? null;
  wizard.revealContainer = document.body;
  wizard.passwordRequired = current.passwordRequired;
  if (token) {
    wizard.mode = 'edit';
    wizard.token = token;
  }
  const orgWasHidden = orgView.hidden;
  const close = (): void => {
    wizard.remove();
    wizardView.hidden = true;
    listView.hidden = false;
    orgView.hidden = orgWasHidden;
    void list.refresh();
    // Focus goes back where the user came from, never to the body.
    newToken.focus();
  };
  // Escape cancels the wizard (a dialog inside it handles its own Escape first).
  wizard.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('pat-reveal-dialog, pat-confirm-dialog')) close();
  });
  wizard.addEventListener('pat-token-saved', close);
  wizard.addEventListener('pat-wizard-cancel', close);
  wizard.addEventListener('pat-token-action', (event) => void onTokenAction(event as PatTokenActionEvent));
  // The wizard takes the place of the list and the organisation section, at the top of the popup.
  wizardView.replaceChildren(wizard);
  listView.hidden = true;
  orgView.hidden = true;
  wizardView.hidden = false;
  window.scrollTo(0, 0);
  // Typing goes into the wizard's first field at once.
  await wizard.updateComplete;
  (wizard.shadowRoot?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea, button') ?? wizard).focus();
}

/** Asks for the user's password with the kit's confirmation dialog; `null` when cancelled. */
async function askPassword(confirmLabel: string, tokenName?: string): Promise<string | null> {
  await import('../../components/confirm-dialog/confirm-dialog.ts');
  const dialog = document.createElement('pat-confirm-dialog');
  document.body.append(dialog);
  try {
    // The title names the token where there is one ("Enable token: deploy bot").
    const title = tokenName ? t('popupActionOn', confirmLabel, tokenName) : t('popupPasswordTitle');
    const answer = await dialog.ask({ title, body: t('popupPasswordBody'), confirmLabel, password: true });
    return answer.confirmed && answer.password ? answer.password : null;
  } finally {
    dialog.remove();
  }
}

/** "Delete Token" for an organisation or group token: permanent, so asked first. */
async function confirmDelete(name: string): Promise<boolean> {
  await import('../../components/confirm-dialog/confirm-dialog.ts');
  const dialog = document.createElement('pat-confirm-dialog');
  document.body.append(dialog);
  try {
    const answer = await dialog.ask({ title: t('popupDeleteTitle'), body: t('popupDeleteBody', name), confirmLabel: t('popupDeleteTitle'), danger: true });
    return answer.confirmed;
  } finally {
    dialog.remove();
  }
}

/** Asks a yes / no question with the kit's confirmation dialog. */
async function askYes(title: string, body: string, confirmLabel: string): Promise<boolean> {
  await import('../../components/confirm-dialog/confirm-dialog.ts');
  const dialog = document.createElement('pat-confirm-dialog');
  document.body.append(dialog);
  try {
    return (await dialog.ask({ title, body, confirmLabel, danger: true })).confirmed;
  } finally {
    dialog.remove();
  }
}

/**
 * Clone: a new token with the same scopes and lifetime, named "<name> (copy)" (the server's
 * default). Asks for the password where the server wants it and for the System Admin
 * acknowledgement when the server says the copy carries admin rights; the new secret is revealed
 * like a created one. Focus returns to the list afterwards.
 */
async function cloneToken(token: TokenMeta): Promise<void> {
  const provider = current?.provider;
  if (!provider) return;
  const confirm: { password?: string; acknowledge_admin_token?: boolean } = {};
  if (current?.passwordRequired) {
    const password = await askPassword(t('popupCloneButton'));
    if (password === null) return void list.focus();
    confirm.password = password;
  }
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const created = await provider.cloneToken(token.id, undefined, Object.keys(confirm).length ? confirm : undefined);
      await reveal(created);
      void list.refresh();
      return;
    } catch (e) {
      if (e instanceof ProviderError && e.code === 'admin_token_acknowledgement_required' && !confirm.acknowledge_admin_token) {
        if (!(await askYes(t('popupCloneAdminTitle'), t('popupCloneAdminBody', token.name), t('popupCloneButton')))) return void list.focus();
        confirm.acknowledge_admin_token = true;
        continue;
      }
      if (e instanceof ProviderError && (e.code === 'password_incorrect' || e.code === 'password_confirmation_required')) {
        const password = await askPassword(t('popupCloneButton'));
        if (password === null) return void list.focus();
        confirm.password = password;
        continue;
      }
      setStatus(errorText(e));
      return;
    }
  }
}

/** The actions the list leaves to its host here: edit and clone (regenerate and the rest it carries out itself). */
async function onTokenAction(event: PatTokenActionEvent): Promise<void> {
  const { action, ids, handled } = event.detail;
  if (handled || !current?.provider || (action !== 'edit' && action !== 'clone')) return;
  const token = list.tokens.find((t) => t.id === ids[0]);
  try {
    if (token && action === 'edit') await openWizard(token);
    else if (token) await cloneToken(token);
  } catch (e) {
    setStatus(errorText(e));
  }
}

async function main(): Promise<void> {
  await applyUiLanguage();
  const stored = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
  servers = migrateSettings(stored).settings.servers;
  if (servers.length === 0) {
    listView.hidden = true;
    emptyView.hidden = false;
    serverSelect.disabled = true;
    document.body.dataset.ready = 'true';
    return;
  }
  serverSelect.replaceChildren(...servers.map((s) => new Option(s.name, s.id)));
  const last = localStorage.getItem(LAST_SERVER_KEY);
  const first = servers.find((s) => s.id === last) ?? servers[0]!;
  serverSelect.value = first.id;
  const opened = openServer(first.id);

  // A secret created earlier and not yet confirmed: offer it again (it expires after 5 minutes).
  const pending = await send('pending.get', {});
  if (pending) {
    if (pending.serverId !== first.id && servers.some((s) => s.id === pending.serverId)) {
      serverSelect.value = pending.serverId;
      void openServer(pending.serverId);
    }
    void reveal({ token: pending.token, secret: pending.secret });
  }
  await opened;
  document.body.dataset.ready = 'true';
}

document.addEventListener('pat-reveal-closed', (event) => {
  const tokenId = (event as CustomEvent<{ tokenId: string | null }>).detail?.tokenId;
  if (tokenId) void send('pending.confirm', { tokenId });
  // The dialog gives focus back where it came from; when that is gone (the wizard, a first open),
  // focus goes to "New token" or the list, never to the body.
  requestAnimationFrame(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    if (!newToken.hidden && !newToken.disabled) newToken.focus();
    else list.focus();
  });
});
list.addEventListener('pat-token-action', (event) => void onTokenAction(event as PatTokenActionEvent));
revokeLeaked.addEventListener('click', () => void openLeaked().catch((e: unknown) => setStatus(errorText(e))));
// A refresh the server refused: the sign-in is gone (e.g. the server came back without our session).
list.addEventListener('pat-error', (event) => {
  const { code } = (event as Event & { detail: { code: string } }).detail;
  if (code === 'unauthorized' && current) showSignedOut(current.view?.name ?? '');
  else if (code !== 'offline') status.removeAttribute('data-offline');
});
serverSelect.addEventListener('change', () => void openServer(serverSelect.value).catch((e: unknown) => setStatus(errorText(e))));
newToken.addEventListener('click', () => void openWizard(null));
openRequests.addEventListener('click', () => void toggleRequests().catch((e: unknown) => setStatus(errorText(e))));
for (const id of ['#open-options', '#add-server', '#sign-in']) {
  document.querySelector(id)?.addEventListener('click', () => void browser.runtime.openOptionsPage());
}

void main().catch((e: unknown) => {
  setStatus(errorText(e));
  document.body.dataset.ready = 'true';
});
