/**
 * The role panel: an extension page that the role-panel frame content script
 * (entrypoints/role-panel-frame.content) frames into a mapped admin console. Being an extension
 * page, it has custom elements (a Chrome content script's isolated world has none), so the kit's
 * Lit elements run unmodified, and the host page cannot reach into it (a cross-origin frame),
 * unlike a shadow root in the page itself.
 *
 * It shows nothing to act on until the background has confirmed where it is framed: the frame
 * script's one-time ticket, a mapped console as its direct parent and, in Chromium, every ancestor
 * origin mapped (extension/panel-claim.ts, docs/security.md rule 30). The panel's messages are
 * limited to reading and role / activation changes: it never receives a secret.
 */
import '../../components/role-manager/role-manager.ts';
import '../../components/token-list/token-list.ts';
import { ProviderError } from '../../lib/errors.ts';
import { RemoteProvider, send } from '../../extension/messaging/remote-provider.ts';
import { t } from '../../extension/i18n.ts';
import { applyUiLanguage } from '../../extension/ui-language.ts';
import { notAdminNotice } from './not-admin.ts';
import { panelClaim } from '../../extension/panel-claim.ts';

async function main(): Promise<void> {
  const claim = panelClaim(); // first: the ticket leaves the URL at once
  await applyUiLanguage();
  const status = document.querySelector('#status') as HTMLElement;
  if (window.top === window) {
    status.textContent = t('panelOutsideConsole');
    return;
  }
  const context = await send('panels.context', claim);
  const user = context.server.user;
  // Whose identity the panel acts with: the extension's sign-in, which may differ from the console's.
  (document.querySelector('#identity') as HTMLElement).textContent = user
    ? t('panelAsUserOn', user.display_name || user.username, context.server.name)
    : t('panelOn', context.server.name);
  if (context.server.state === 'signed_out') {
    status.textContent = t('panelSignedOut', context.server.name);
    document.body.dataset.ready = 'true';
    return;
  }
  const showsInventory = context.mapping.inventory && context.capabilities.adminInventory;
  if (!context.capabilities.roles && !showsInventory) {
    // A non-admin: say what this panel is for and where their own tokens are, instead of an empty box.
    status.textContent = notAdminNotice(user, context.server.name, context.capabilities);
    status.dataset.kind = 'not-admin';
    document.body.dataset.ready = 'true';
    return;
  }
  status.textContent = user && user.username !== '' ? t('panelActsAs', user.username) : '';
  const descriptor = { kind: context.server.kind, label: context.server.name, signIn: [], help: '' };
  const provider = new RemoteProvider(context.server.id, descriptor, { ...context.capabilities, regenerate: false, clone: false, update: false });
  if (context.capabilities.roles) {
    const manager = document.createElement('pat-role-manager');
    // A framed panel is small: a page at a time, with "More users" for the rest.
    manager.pageSize = 25;
    manager.provider = provider;
    const section = document.querySelector('#roles') as HTMLElement;
    section.append(manager);
    section.hidden = false;
  }
  if (showsInventory) {
    const tokens = document.createElement('pat-token-list');
    tokens.owner = 'all';
    tokens.provider = provider;
    const section = document.querySelector('#inventory') as HTMLElement;
    section.append(tokens);
    section.hidden = false;
  }
  document.body.dataset.ready = 'true';
}

void main().catch((e: unknown) => {
  (document.querySelector('#status') as HTMLElement).textContent = e instanceof ProviderError || e instanceof Error ? e.message : String(e);
  document.body.dataset.ready = 'error';
});
