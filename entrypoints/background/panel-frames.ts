/**
 * Which role-panel frames the background answers (docs/security.md rule 30). The panel acts with
 * the extension's sign-in, so it may act only where every frame above it is the mapped console.
 *
 * The proof is a one-time ticket, and the background decides from what the browser tells it about
 * each sender, not from what a page claims:
 * 1. the role-panel frame script, running in the console's top frame only, asks for a ticket; the
 *    background issues one only to a content script of this extension (`sender.id`) in a tab's top
 *    frame (`sender.frameId === 0`) whose URL (`sender.url`, set by the browser) a mapping covers;
 * 2. the script frames `role-panel.html#<ticket>` as a direct child of that top frame, inside a
 *    closed shadow root the page cannot reach;
 * 3. the panel presents the ticket with `panels.context`, together with how many frames are above
 *    it and, where the browser has them (Chromium), every ancestor origin. The background accepts
 *    only a ticket it issued, unused and fresh, for the same tab, with exactly one frame above the
 *    panel and every listed ancestor origin covered by the ticket's mapping. It then remembers that
 *    frame (tab, frame id and, in Chromium, document id) as confirmed;
 * 4. every other panel message must come from a confirmed frame, about that mapping's server.
 *
 * A frame nested in the console by a third party has no ticket (the ticket never leaves the
 * extension, the frame script's closed shadow root and the panel), so it gets nothing.
 * State lives in `storage.session` (trusted contexts only), so a service-worker restart keeps it.
 */
import { ProviderError } from '../../lib/errors.ts';
import type { PanelMapping } from '../../extension/messaging/protocol.ts';
import type { Settings, StorageAreaLike } from '../../extension/settings.ts';
import { panelPatternMatches } from '../../extension/url-patterns.ts';
import type { MessageSenderLike } from './browser-apis.ts';

export const PANEL_FRAMES_KEY = 'patkit:panel-frames';
/** A ticket is used within a second of being issued; a minute leaves room for a slow machine. */
export const TICKET_TTL_MS = 60_000;
/** Confirmed frames remembered at most (oldest dropped): one per open console tab is typical. */
export const MAX_CONFIRMED_FRAMES = 64;
/** Unused tickets kept at most (newest kept): a page reloading in a loop cannot grow the state. */
export const MAX_OPEN_TICKETS = 32;

/** What the panel page reports about where it is (its own code computes it; see role-panel). */
export interface PanelClaim {
  ticket?: string;
  /** Frames above the panel: 1 when its parent is the top frame. */
  depth: number;
  /** `location.ancestorOrigins`, nearest first (Chromium; Firefox has none). */
  ancestors?: string[];
}

interface Ticket {
  /** Issue order (newest highest), to drop the oldest when over {@link MAX_OPEN_TICKETS}. */
  seq: number;
  tabId: number;
  mappingId: string;
  origin: string;
  expiresAt: number;
}

interface ConfirmedFrame {
  mappingId: string;
  documentId?: string;
  at: number;
}

interface State {
  tickets: Record<string, Ticket>;
  frames: Record<string, ConfirmedFrame>;
}

function refuse(message: string): ProviderError {
  return new ProviderError('forbidden', message);
}

function tabIdOf(sender: MessageSenderLike): number | undefined {
  const id = (sender.tab as { id?: unknown } | undefined)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
}

function frameKey(sender: MessageSenderLike): string | undefined {
  const tabId = tabIdOf(sender);
  if (tabId === undefined || typeof sender.frameId !== 'number' || sender.frameId <= 0) return undefined;
  return `${tabId}:${sender.frameId}`;
}

function originOf(url: string | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The decision itself, free of storage: may a panel that presents `claim` act for the ticket's
 * mapping? Throws `forbidden` with the reason, else returns nothing.
 */
export function judgeClaim(ticket: Ticket | undefined, mapping: PanelMapping | undefined, sender: MessageSenderLike, claim: PanelClaim, now: number): void {
  if (!ticket || ticket.expiresAt <= now) throw refuse('The console panel was not opened by patkit on this page. Close it and open it again from the patkit button.');
  if (tabIdOf(sender) !== ticket.tabId) throw refuse('The console panel ticket belongs to another tab.');
  if (!mapping) throw refuse('That console panel is not configured any more.');
  if (claim.depth !== 1) throw refuse('The console panel works only when the mapped console frames it directly.');
  if (claim.ancestors !== undefined) {
    if (claim.ancestors.length !== claim.depth) throw refuse('The console panel works only when the mapped console frames it directly.');
    // docs/security.md rule 30: every ancestor, not only the top one.
    for (const origin of claim.ancestors) {
      if (origin !== ticket.origin || !panelPatternMatches(mapping.pattern, origin)) throw refuse('A frame above the console panel is not the mapped console.');
    }
  }
}

export class PanelFrames {
  private readonly area: StorageAreaLike;
  private readonly now: () => number;
  private readonly newTicket: () => string;
  /** Serialises read-modify-write of the state: two panels opening at once must not lose one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(area: StorageAreaLike, now: () => number, newTicket: () => string) {
    this.area = area;
    this.now = now;
    this.newTicket = newTicket;
  }

  private update<R>(change: (s: State) => R): Promise<R> {
    const run = this.queue.then(async () => {
      const raw = (await this.area.get(PANEL_FRAMES_KEY))[PANEL_FRAMES_KEY] as Partial<State> | undefined;
      const state: State = { tickets: { ...(raw?.tickets ?? {}) }, frames: { ...(raw?.frames ?? {}) } };
      for (const [t, v] of Object.entries(state.tickets)) if (v.expiresAt <= this.now()) delete state.tickets[t];
      const result = change(state);
      const frames = Object.entries(state.frames).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_CONFIRMED_FRAMES);
      const tickets = Object.entries(state.tickets).sort((a, b) => b[1].seq - a[1].seq).slice(0, MAX_OPEN_TICKETS);
      await this.area.set({ [PANEL_FRAMES_KEY]: { tickets: Object.fromEntries(tickets), frames: Object.fromEntries(frames) } });
      return result;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Step 1: a ticket for the frame script in a mapped console's top frame. */
  async issue(sender: MessageSenderLike, settings: Settings): Promise<string> {
    const tabId = tabIdOf(sender);
    const origin = originOf(sender.url);
    if (tabId === undefined || sender.frameId !== 0 || origin === undefined) throw refuse('Only a mapped console page itself may open the console panel.');
    const mapping = settings.panels.find((p) => panelPatternMatches(p.pattern, origin));
    if (!mapping) throw refuse('No console panel is configured for this page.');
    const ticket = this.newTicket();
    await this.update((s) => {
      const seq = Math.max(0, ...Object.values(s.tickets).map((t) => t.seq ?? 0)) + 1;
      s.tickets[ticket] = { seq, tabId, mappingId: mapping.id, origin, expiresAt: this.now() + TICKET_TTL_MS };
    });
    return ticket;
  }

  /**
   * Step 3: the panel's first message. A frame already confirmed (same document where the browser
   * names documents) may ask again; anything else needs a valid ticket, which this uses up.
   */
  async confirm(sender: MessageSenderLike, claim: PanelClaim, settings: Settings): Promise<PanelMapping> {
    const key = frameKey(sender);
    if (key === undefined) throw refuse('The console panel works only inside a mapped console tab.');
    const outcome = await this.update((s): { mappingId: string } | { refused: unknown } => {
      const known = s.frames[key];
      if (claim.ticket === undefined && known && sameDocument(known, sender) && claim.depth === 1) return { mappingId: known.mappingId };
      const ticket = claim.ticket === undefined ? undefined : s.tickets[claim.ticket];
      if (claim.ticket !== undefined) delete s.tickets[claim.ticket]; // one use, even a refused one (so it is saved)
      try {
        judgeClaim(ticket, settings.panels.find((p) => p.id === ticket?.mappingId), sender, claim, this.now());
      } catch (refused) {
        return { refused };
      }
      s.frames[key] = { mappingId: ticket!.mappingId, at: this.now(), ...(typeof sender.documentId === 'string' ? { documentId: sender.documentId } : {}) };
      return { mappingId: ticket!.mappingId };
    });
    if ('refused' in outcome) throw outcome.refused;
    return this.mappingById(outcome.mappingId, settings);
  }

  /** Step 4: the mapping a confirmed panel frame acts for; anything else is refused. */
  async mappingOf(sender: MessageSenderLike, settings: Settings): Promise<PanelMapping> {
    const key = frameKey(sender);
    const raw = (await this.area.get(PANEL_FRAMES_KEY))[PANEL_FRAMES_KEY] as Partial<State> | undefined;
    const known = key === undefined ? undefined : raw?.frames?.[key];
    if (!known || !sameDocument(known, sender)) throw refuse('This console panel was not confirmed by patkit. Reopen it from the patkit button of a mapped console.');
    return this.mappingById(known.mappingId, settings);
  }

  private mappingById(id: string, settings: Settings): PanelMapping {
    const mapping = settings.panels.find((p) => p.id === id);
    if (!mapping) throw refuse('That console panel is not configured any more.');
    return mapping;
  }
}

/** Chromium names each document (`sender.documentId`): a new document in the frame must prove itself again. */
function sameDocument(known: ConfirmedFrame, sender: MessageSenderLike): boolean {
  return known.documentId === undefined || known.documentId === sender.documentId;
}
