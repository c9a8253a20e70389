/**
 * The role-panel frame: a content script registered at run time (`scripting.registerContentScripts`,
 * background `handlers/panels.ts`) on the admin-console pages the admin mapped in the options, once
 * the browser granted patkit those pages, in their top frame only. It only frames the role panel
 * page (`role-panel.html`), with a one-time ticket from the background in the frame's URL fragment
 * (the panel's proof that this script, in the mapped console's top frame, framed it: docs/security.md
 * rule 30); it asks the background for nothing else and never sees a token or a credential.
 *
 * Its button and frame live in a closed shadow root on an element it creates itself: the page can
 * neither press the toggle nor read the frame's URL (and the ticket in it), and an element the page
 * made up in advance under the same id is neither reused nor able to stop this one. The page's own
 * scripts cannot hook `attachShadow` or `addEventListener` for this code either: a content script
 * sees the DOM through its own world's objects (Chromium's isolated world, Firefox's Xray views).
 *
 * The panel stays collapsed (a small "patkit" button, no frame loaded) until asked for, so it never
 * covers the console's own forms; whether it was open is remembered per console origin in
 * `storage.local` (an open/closed flag, nothing else). The button is a real button (Enter, Space),
 * Escape on it closes the panel.
 *
 * The registered match pattern has no port (Firefox's patterns cannot carry one), so the script
 * checks the mapping's full pattern, port included, against this page before it shows anything.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { panelPatternMatches } from '../../extension/url-patterns.ts';
import { SETTINGS_KEY } from '../../extension/settings.ts';

/** storage.local key: `{ [consoleOrigin]: true }` for the consoles where the panel was left open. */
const PANEL_OPEN_KEY = 'patkit:panel-open';

// `registration: 'runtime'` with no `matches`: not in the manifest and no host permission
// (docs/security.md rule 17, 18); the background registers it per granted mapping.
export default defineContentScript({
  registration: 'runtime',
  main,
});

/** The host's id: for people and tests reading the page; this script never looks the element up by it. */
const HOST_ID = 'patkit-role-panel';
/** Set on this script's own view of `window` (invisible to the page): one panel per document. */
const INJECTED = Symbol.for('patkit.role-panel-frame');

/** A one-time ticket for the panel frame, or none when the background refuses (the panel then says why). */
async function panelTicket(): Promise<string | null> {
  try {
    const answer = (await browser.runtime.sendMessage({ patkit: 1, type: 'panels.ticket', payload: {} })) as { ok?: boolean; value?: { ticket?: unknown } } | undefined;
    return answer?.ok && typeof answer.value?.ticket === 'string' ? answer.value.ticket : null;
  } catch {
    return null;
  }
}

function main(): void {
  const marked = window as unknown as Record<symbol, boolean>;
  if (marked[INJECTED]) return;
  marked[INJECTED] = true;
  const origin = location.origin;

  void (async () => {
    const stored = await browser.storage.local.get([SETTINGS_KEY, PANEL_OPEN_KEY]);
    const panels = (stored[SETTINGS_KEY] as { panels?: Array<{ pattern?: unknown }> } | undefined)?.panels ?? [];
    if (!panels.some((p) => typeof p.pattern === 'string' && panelPatternMatches(p.pattern, origin))) return;
    const openBy = (stored[PANEL_OPEN_KEY] ?? {}) as Record<string, boolean>;

    const host = document.createElement('div');
    // A closed shadow root keeps the console's CSS off the frame and the toggle, and the console's
    // scripts away from both (docs/security.md rule 30).
    const root = host.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = `
      :host { all: initial; position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; font: 13px system-ui, sans-serif; }
      button { display: block; margin-left: auto; padding: 4px 10px; border-radius: 6px; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; cursor: pointer; }
      button:focus-visible { outline: 2px solid #f59e0b; outline-offset: 2px; }
      iframe { display: block; margin-top: 6px; width: min(720px, calc(100vw - 32px)); height: min(560px, calc(100vh - 80px)); border: 1px solid #9ca3af; border-radius: 8px; background: Canvas; box-shadow: 0 8px 24px rgb(0 0 0 / .2); }
      iframe[hidden] { display: none; }`;
    const toggle = document.createElement('button');
    toggle.type = 'button';
    const label = (open: boolean): string => browser.i18n.getMessage(open ? 'panelToggleClose' : 'panelToggleOpen');
    let frame: HTMLIFrameElement | null = null;

    const setOpen = async (open: boolean, remember: boolean): Promise<void> => {
      if (open && !frame) {
        // The frame (and so the panel's requests) exists only once the panel is asked for.
        frame = document.createElement('iframe');
        frame.title = browser.i18n.getMessage('panelFrameTitle');
        root.append(frame);
        const ticket = await panelTicket();
        frame.src = browser.runtime.getURL('/role-panel.html') + (ticket ? `#t=${encodeURIComponent(ticket)}` : '');
      }
      if (frame) frame.hidden = !open;
      toggle.textContent = label(open);
      toggle.setAttribute('aria-expanded', String(open));
      host.dataset.open = String(open);
      if (remember) {
        void browser.storage.local.get(PANEL_OPEN_KEY).then((now) => {
          const map = { ...((now[PANEL_OPEN_KEY] ?? {}) as Record<string, boolean>) };
          if (open) map[origin] = true;
          else delete map[origin];
          return browser.storage.local.set({ [PANEL_OPEN_KEY]: map });
        });
      }
    };
    // Only the person's own clicks and keys: events a script made up (`isTrusted` false) are ignored.
    toggle.addEventListener('click', (event) => {
      if (event.isTrusted) void setOpen(toggle.getAttribute('aria-expanded') !== 'true', true);
    });
    toggle.addEventListener('keydown', (event) => {
      if (event.isTrusted && event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') void setOpen(false, true);
    });
    root.append(style, toggle);
    // An element the page made up under our id is not ours: it loses the id, ours takes it.
    for (const impostor of document.querySelectorAll(`[id="${HOST_ID}"]`)) impostor.removeAttribute('id');
    host.id = HOST_ID;
    document.documentElement.append(host);
    await setOpen(openBy[origin] === true, false);
  })();
}
