/**
 * The background's one door for messages: it answers the extension's own pages only (checked by
 * `sender.id` and `sender.url`, never by what a message claims), checks the payload, keeps the role
 * panel to its few messages, its confirmed frames and its mapping's server, and routes to the
 * message family's handler. The one content script (the role-panel frame) may only ask for a panel
 * ticket.
 */
import { ProviderError, type SerializedProviderError } from '../../lib/errors.ts';
import type { Answer, MessageType, RequestOf } from '../../extension/messaging/protocol.ts';
import { validateRequest } from '../../extension/messaging/validation.ts';
import type { MessageSenderLike } from './browser-apis.ts';
import type { BackgroundContext } from './context.ts';
import { alertHandlers } from './handlers/alerts.ts';
import { createOptionHandlers } from './handlers/create-options.ts';
import type { Handler, Handlers } from './handlers/handler.ts';
import { leakedHandlers } from './handlers/leaked.ts';
import { orgTokenHandlers } from './handlers/org-tokens.ts';
import { panelHandlers } from './handlers/panels.ts';
import { requestHandlers } from './handlers/requests.ts';
import { serverHandlers } from './handlers/servers.ts';
import { tokenHandlers } from './handlers/tokens.ts';
import { userHandlers } from './handlers/users.ts';

/** The role panel page, framed into an admin console (entrypoints/role-panel). */
const PANEL_PAGE = '/role-panel.html';

/**
 * Messages the role panel page may send. It runs inside a third-party page's frame, so it gets
 * nothing that creates, reveals or holds a secret (docs/security.md rule 20: "never sends a secret to a
 * content script" — the panel is the closest thing to one).
 */
const PANEL_MESSAGES: ReadonlySet<MessageType> = new Set<MessageType>([
  'panels.context',
  'providers.list',
  'auth.status',
  'server.capabilities',
  'tokens.list',
  'tokens.disable',
  'tokens.delete',
  'users.list',
  'roles.list',
  'users.setRoles',
  'users.setActive',
]);

/** What the role-panel frame content script may send: nothing but a request for a panel ticket. */
const FRAME_SCRIPT_MESSAGES: ReadonlySet<MessageType> = new Set<MessageType>(['panels.ticket']);

function toSerialized(error: unknown): SerializedProviderError {
  if (error instanceof ProviderError) return error.toJSON();
  console.error('patkit background: unexpected error', error);
  return new ProviderError('server_error', 'Something went wrong inside the extension. Try again.').toJSON();
}

export class MessageDispatcher {
  private readonly bg: BackgroundContext;
  private readonly handlers: Handlers;

  constructor(bg: BackgroundContext) {
    this.bg = bg;
    this.handlers = {
      ...serverHandlers(bg),
      ...tokenHandlers(bg),
      ...orgTokenHandlers(bg),
      ...userHandlers(bg),
      ...leakedHandlers(bg),
      ...alertHandlers(bg),
      ...panelHandlers(bg),
      ...requestHandlers(bg),
      ...createOptionHandlers(bg),
    };
  }

  /**
   * The extension's own pages, by id and URL; the role panel page; this extension's content script
   * (a web page URL with this extension's id: only our own content scripts get that id). Other
   * extensions and web pages are refused.
   */
  private senderKind(sender: MessageSenderLike): 'page' | 'panel' | 'frame-script' | null {
    if (sender.id !== this.bg.browser.runtime.id || typeof sender.url !== 'string') return null;
    const root = this.bg.browser.runtime.getURL('/');
    if (!sender.url.startsWith(root)) return /^https?:\/\//.test(sender.url) && sender.tab !== undefined ? 'frame-script' : null;
    const path = new URL(sender.url).pathname;
    return path === PANEL_PAGE ? 'panel' : 'page';
  }

  async handle(message: unknown, sender: MessageSenderLike): Promise<Answer<unknown>> {
    try {
      const kind = this.senderKind(sender);
      if (kind === null) throw new ProviderError('forbidden', 'patkit only answers its own extension pages.');
      if (kind === 'frame-script' && !FRAME_SCRIPT_MESSAGES.has((message as { type?: MessageType } | null)?.type as MessageType)) {
        throw new ProviderError('forbidden', 'patkit only answers its own extension pages.');
      }
      const { type, payload } = validateRequest(message);
      if (kind !== 'frame-script' && FRAME_SCRIPT_MESSAGES.has(type)) throw new ProviderError('forbidden', `Only the console page's frame script may send ${type}.`);
      if (kind === 'panel') await this.checkPanelRequest(type, payload, sender);
      const handler = this.handlers[type] as Handler<MessageType>;
      const value = await handler(payload as RequestOf<MessageType>, sender);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toSerialized(error) };
    }
  }

  /**
   * The role panel: only its own messages; `panels.context` proves where it is framed (its handler
   * asks `panelFrames.confirm`); everything else only from a frame confirmed that way, and only
   * about the server of that frame's mapping (docs/security.md rule 30).
   */
  private async checkPanelRequest(type: MessageType, payload: unknown, sender: MessageSenderLike): Promise<void> {
    if (!PANEL_MESSAGES.has(type)) throw new ProviderError('forbidden', `The console panel may not send ${type}.`);
    if (type === 'panels.context') return;
    const mapping = await this.bg.panelFrames.mappingOf(sender, await this.bg.settings());
    const serverId = (payload as { serverId?: unknown }).serverId;
    if (typeof serverId === 'string' && serverId !== mapping.serverId) {
      throw new ProviderError('forbidden', 'That server is not mapped to this console panel.');
    }
  }
}
