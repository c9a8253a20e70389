/**
 * Console panel mappings: an admin console URL pattern mapped to a server on the options page. Each
 * mapping whose origin the user granted gets the role-panel frame script registered on it; the role
 * panel page, framed there, asks for its context by the console's origin.
 */
import { ProviderError } from '../../../lib/errors.ts';
import type { PanelMapping, ResponseOf } from '../../../extension/messaging/protocol.ts';
import { originPermission, panelPatternMatches, panelScriptMatch } from '../../../extension/url-patterns.ts';
import { currentCapabilities } from '../capabilities.ts';
import type { BackgroundContext } from '../context.ts';
import type { Handlers } from './handler.ts';

/** The role-panel frame script as WXT builds it (entrypoints/role-panel-frame.content). */
export const PANEL_SCRIPT = 'content-scripts/role-panel-frame.js';
const PANEL_SCRIPT_PREFIX = 'patkit-panel-';

export type PanelMessage = 'panels.list' | 'panels.save' | 'panels.remove' | 'panels.context';

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

async function panelContext(bg: BackgroundContext, origin: string): Promise<ResponseOf<'panels.context'>> {
  const settings = await bg.settings();
  const mapping = settings.panels.find((p) => panelPatternMatches(p.pattern, origin));
  if (!mapping) throw new ProviderError('not_found', 'No console panel is configured for this page.');
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
    'panels.context': ({ origin }) => panelContext(bg, origin),
  };
}
