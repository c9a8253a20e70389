/**
 * What the role panel page tells the background about where it is framed (docs/security.md rule
 * 30): the one-time ticket the role-panel frame script put in its URL's fragment, how many frames
 * are above it, and — where the browser keeps them (Chromium) — every ancestor origin. The
 * background decides (entrypoints/background/panel-frames.ts); the panel shows nothing to act on
 * until it has.
 *
 * These values are read by the panel's own code in its own (extension) origin: a framing page can
 * neither run code here nor change `location.ancestorOrigins` or the frame tree.
 */
import type { RequestOf } from './messaging/protocol.ts';

/** `#t=<ticket>`: set by the frame script on the frame it creates. */
export const TICKET_PARAM = 't';

/** Frames between this window and the top: 1 when the parent is the top frame. */
export function frameDepth(win: Window = window): number {
  let depth = 0;
  // `parent` and `top` may be read across origins; the walk stops at the top (whose parent is itself).
  for (let w: Window = win; w !== w.parent && depth < 64; w = w.parent) depth += 1;
  return depth;
}

/** Reads the claim and removes the ticket from the URL, so a reload of the panel cannot reuse it. */
export function panelClaim(win: Window = window): RequestOf<'panels.context'> {
  const params = new URLSearchParams(win.location.hash.slice(1));
  const ticket = params.get(TICKET_PARAM) ?? undefined;
  if (ticket !== undefined) win.history.replaceState(null, '', win.location.pathname + win.location.search);
  const list = (win.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  const ancestors = list ? Array.from({ length: list.length }, (_, i) => list.item(i) ?? '') : undefined;
  return { depth: frameDepth(win), ...(ticket ? { ticket } : {}), ...(ancestors ? { ancestors } : {}) };
}
