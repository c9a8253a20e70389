/**
 * Console panel mappings: an admin console URL pattern mapped to a server on the options page. Each
 * mapping whose origin the user granted gets the role-panel frame script registered on it; that
 * script gets a one-time ticket, and the role panel page it frames presents the ticket to learn its
 * context (`panel-frames.ts`, docs/security.md rule 30).
 */
import { ProviderError } from '../../../lib/errors.ts';
import type { PanelMapping, RequestOf, ResponseOf } from '../../../extension/messaging/protocol.ts';
import { originPermission, panelScriptMatch } from '../../../extension/url-patterns.ts';
import type { MessageSenderLike } from '../browser-apis.ts';
import { currentCapabilities } from '../capabilities.ts';
import type { BackgroundContext } from '../context.ts';
import type { Handlers } from './handler.ts';

/** The role-panel frame script as WXT builds it (entrypoints/role-panel-frame.content). */
export const PANEL_SCRIPT = 'content-scripts/role-panel-frame.js';
const PANEL_SCRIPT_PREFIX = 'patkit-panel-';

export type PanelMessage = 'panels.list' | 'panels.save' | 'panels.remove' | 'panels.ticket' | 'panels.context';

/** Registers one content script per mapping whose origin the user granted; drops the rest. */
export async function syncPanelScripts(bg: BackgroundContext, panels: PanelMapping[]): Promise<void> {
  const scripting = bg.browser.scripting;
  if (!scripting) return;
  const existing = await scripting.getRegisteredContentScripts();
  const ours = existing.filter((s) => s.id.startsWith(PANEL_SCRIPT_PREFIX)).map((s) => s.id);
  if (ours.length > 0) await scripting.unregisterContentScripts({ ids: ours });
  const wanted = [];
  for (const panel of panels) {
    if (await bg.browser.permissions.contains({ origins: [originPermission(panel.pattern)] })) {
      wanted.push({ id: PANEL_SCRIPT_PREFIX + panel.id, matches: [panelScriptMatch(panel.pattern)], js: [PANEL_SCRIPT], runAt: 'document_idle' as const, persistAcrossSessions: true });
    }
  }
  if (wanted.length > 0) await scripting.registerContentScripts(wanted);
}

/** The panel's first message: the background confirms where it is framed (docs/security.md rule 30), then answers. */
async function panelContext(bg: BackgroundContext, claim: RequestOf<'panels.context'>, sender: MessageSenderLike): Promise<ResponseOf<'panels.context'>> {
  const settings = await bg.settings();
  const mapping = await bg.panelFrames.confirm(sender, claim, settings);
  const server = await bg.server(mapping.serverId);
  // Asked of the server, not remembered: a provider rebuilt after a restart may not know the
  // user's rights yet (Mattermost), and the rights may have changed since sign-in.
  const capabilities = await currentCapabilities(bg, server.id);
  return { mapping, server: await bg.view(server), capabilities };
}

async function savePanel(bg: BackgroundContext, req: { id?: string; pattern: string; serverId: string; inventory: boolean }): Promise<PanelMapping> {
  await bg.server(req.serverId);
  const granted = await bg.browser.permissions.contains({ origins: [originPermission(req.pattern)] });
  if (!granted) throw new ProviderError('forbidden', `patkit may not run on ${req.pattern} yet. Allow it when the browser asks.`);
  let saved: PanelMapping | undefined;
  const settings = await bg.updateSettings((s) => {
    if (req.id !== undefined) {
      const existing = s.panels.find((p) => p.id === req.id);
      if (!existing) throw new ProviderError('not_found', 'That console panel is not configured any more.');
      Object.assign(existing, { pattern: req.pattern, serverId: req.serverId, inventory: req.inventory });
      saved = existing;
    } else {
      saved = { id: bg.newId('pnl_'), pattern: req.pattern, serverId: req.serverId, inventory: req.inventory };
      s.panels.push(saved);
    }
  });
  await syncPanelScripts(bg, settings.panels);
  return saved as PanelMapping;
}

export function panelHandlers(bg: BackgroundContext): Handlers<PanelMessage> {
  return {
    'panels.list': async () => (await bg.settings()).panels,
    'panels.save': (req) => savePanel(bg, req),
    'panels.remove': async ({ id }) => {
      const settings = await bg.updateSettings((s) => {
        s.panels = s.panels.filter((p) => p.id !== id);
      });
      await syncPanelScripts(bg, settings.panels);
      return null;
    },
    'panels.ticket': async (_req, sender) => ({ ticket: await bg.panelFrames.issue(sender, await bg.settings()) }),
    'panels.context': (claim, sender) => panelContext(bg, claim, sender),
  };
}
