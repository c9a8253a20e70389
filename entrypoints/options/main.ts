/**
 * Options page: servers (add, edit, remove, sign in / out), expiry alerts, console panels.
 * Every change goes through the background; this page only asks the browser for host permissions,
 * which must happen inside the user's click (docs/security.md rule 18). Server strings are rendered with
 * `textContent` only (docs/security.md rule 21).
 */
import type { ProviderDescriptor } from '../../lib/provider.ts';
import { send } from '../../extension/messaging/remote-provider.ts';
import type { ServerView } from '../../extension/messaging/protocol.ts';
import { checkBaseUrl, checkMatchPattern, originPermission } from '../../extension/url-patterns.ts';
import { t } from '../../extension/i18n.ts';
import { applyUiLanguage } from '../../extension/ui-language.ts';
import { $, fieldMessage, message, requestOrigin } from './page.ts';
import { serverCard } from './server-card.ts';

let descriptors: ProviderDescriptor[] = [];
let servers: ServerView[] = [];

function renderServers(): void {
  const template = $<HTMLTemplateElement>('#server-card');
  $<HTMLElement>('#no-servers').hidden = servers.length > 0;
  const actions = { refresh, edit: (server: ServerView) => editServer(server) };
  $<HTMLUListElement>('#server-list').replaceChildren(...servers.map((server) => serverCard(template, server, descriptors, actions)));
  const serverSelect = $<HTMLSelectElement>('#panel-form select[name=serverId]');
  serverSelect.replaceChildren(...servers.map((s) => new Option(s.name, s.id)));
  // No server, no panel: say what comes first instead of offering an empty list.
  $<HTMLElement>('#panel-form').hidden = servers.length === 0;
  $<HTMLElement>('#panel-needs-server').hidden = servers.length > 0;
}

function editServer(server: ServerView | null): void {
  const form = $<HTMLFormElement>('#server-form');
  (form.elements.namedItem('id') as HTMLInputElement).value = server?.id ?? '';
  (form.elements.namedItem('name') as HTMLInputElement).value = server?.name ?? '';
  (form.elements.namedItem('kind') as HTMLSelectElement).value = server?.kind ?? descriptors[0]?.kind ?? '';
  (form.elements.namedItem('baseUrl') as HTMLInputElement).value = server?.baseUrl ?? '';
  $('#server-form-heading').textContent = server ? t('optionsEditServer', server.name) : t('optionsAddServer');
  $('#save-server').textContent = t(server ? 'optionsSaveServerButton' : 'optionsAddServerButton');
  $<HTMLElement>('#cancel-edit').hidden = !server;
  $('#server-error').textContent = '';
  if (server) (form.elements.namedItem('name') as HTMLInputElement).focus();
}

async function renderPanels(): Promise<void> {
  const panels = await send('panels.list', {});
  const list = $<HTMLUListElement>('#panel-list');
  list.replaceChildren(
    ...panels.map((panel) => {
      const li = document.createElement('li');
      li.className = 'card';
      const text = document.createElement('span');
      const server = servers.find((s) => s.id === panel.serverId);
      text.textContent = t(panel.inventory ? 'optionsPanelRowInventory' : 'optionsPanelRow', panel.pattern, server?.name ?? t('optionsUnknownServer'));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = t('optionsRemove');
      remove.addEventListener('click', () => void send('panels.remove', { id: panel.id }).then(renderPanels));
      li.append(text, ' ', remove);
      return li;
    }),
  );
}

async function refresh(): Promise<void> {
  servers = await send('servers.list', {});
  renderServers();
  // Ask each signed-in server who we are, so the state shown is the server's, not a memory.
  const checked = await Promise.all(servers.map((s) => (s.state === 'signed_out' ? s : send('auth.status', { serverId: s.id }).catch(() => s))));
  if (JSON.stringify(checked) !== JSON.stringify(servers)) {
    servers = checked;
    renderServers();
  }
  await renderPanels();
}

function setupServerForm(): void {
  const kind = $<HTMLSelectElement>('#server-form select[name=kind]');
  kind.replaceChildren(...descriptors.map((d) => new Option(d.label, d.kind)));
  const showHelp = (): void => {
    $('#kind-help').textContent = descriptors.find((d) => d.kind === kind.value)?.help ?? '';
  };
  kind.addEventListener('change', showHelp);
  showHelp();

  const serverForm = $<HTMLFormElement>('#server-form');
  const pending = $('#server-pending');
  // The browser's permission prompt is open: a second click says so again instead of asking twice.
  let asking = false;
  serverForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (asking) return void (pending.textContent = '', requestAnimationFrame(() => (pending.textContent = t('optionsPermissionPending'))));
    const error = $('#server-error');
    error.textContent = '';
    const data = new FormData(serverForm);
    // Everything is checked before the browser's permission prompt, so a typo never costs a prompt.
    const name = String(data.get('name') ?? '').trim();
    const address = String(data.get('baseUrl') ?? '').trim();
    if (name === '') return void (error.textContent = t('optionsNeedName'));
    if (name.length > 100) return void (error.textContent = t('optionsNameTooLong'));
    if (address === '') return void (error.textContent = t('optionsNeedAddress'));
    let baseUrl: string;
    try {
      baseUrl = checkBaseUrl(address);
    } catch (e) {
      error.textContent = fieldMessage(e, 'optionsBadAddress');
      return;
    }
    const id = String(data.get('id') ?? '');
    const request = { ...(id ? { id } : {}), name, kind: String(data.get('kind') ?? ''), baseUrl };
    // The permission request comes first, while the click still counts as a user gesture.
    asking = true;
    pending.textContent = t('optionsPermissionPending');
    void requestOrigin(originPermission(baseUrl)).then(async (granted) => {
      asking = false;
      pending.textContent = '';
      if (!granted) {
        error.textContent = t('optionsNeedPermission', new URL(baseUrl).origin);
        return;
      }
      try {
        await send('servers.save', request);
        editServer(null);
        await refresh();
      } catch (e) {
        error.textContent = message(e);
      }
    });
  });
  $('#cancel-edit').addEventListener('click', () => editServer(null));
}

async function setupAlertsForm(): Promise<void> {
  const alertsForm = $<HTMLFormElement>('#alerts-form');
  const alerts = await send('alerts.get', {});
  (alertsForm.elements.namedItem('expiryWarningDays') as HTMLInputElement).value = String(alerts.expiryWarningDays);
  (alertsForm.elements.namedItem('refreshMinutes') as HTMLInputElement).value = String(alerts.refreshMinutes);
  (alertsForm.elements.namedItem('notify') as HTMLInputElement).checked = alerts.notify;
  alertsForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(alertsForm);
    const status = $('#alerts-status');
    const days = Number(data.get('expiryWarningDays'));
    const minutes = Number(data.get('refreshMinutes'));
    if (!Number.isInteger(days) || days < 1 || days > 365) return void (status.textContent = t('optionsBadDays'));
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) return void (status.textContent = t('optionsBadMinutes'));
    void send('alerts.save', {
      expiryWarningDays: Number(data.get('expiryWarningDays')),
      refreshMinutes: Number(data.get('refreshMinutes')),
      notify: data.get('notify') === 'on',
    }).then(
      () => (status.textContent = t('optionsSaved')),
      (e: unknown) => (status.textContent = message(e)),
    );
  });
}

function setupPanelForm(): void {
  const panelForm = $<HTMLFormElement>('#panel-form');
  panelForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const error = $('#panel-error');
    error.textContent = '';
    const data = new FormData(panelForm);
    let pattern: string;
    try {
      pattern = checkMatchPattern(String(data.get('pattern') ?? '').trim());
    } catch (e) {
      error.textContent = fieldMessage(e, 'optionsBadPattern');
      return;
    }
    const serverId = String(data.get('serverId') ?? '');
    void requestOrigin(originPermission(pattern)).then(async (granted) => {
      if (!granted) {
        error.textContent = t('optionsNeedPanelPermission');
        return;
      }
      try {
        await send('panels.save', { pattern, serverId, inventory: data.get('inventory') === 'on' });
        panelForm.reset();
        await renderPanels();
      } catch (e) {
        error.textContent = message(e);
      }
    });
  });
}

async function main(): Promise<void> {
  await applyUiLanguage();
  descriptors = await send('providers.list', {});
  setupServerForm();
  await setupAlertsForm();
  setupPanelForm();
  editServer(null);
  await refresh();
  document.body.dataset.ready = 'true';
}

void main().catch((e: unknown) => {
  document.body.prepend(Object.assign(document.createElement('p'), { className: 'error', textContent: message(e) }));
});
