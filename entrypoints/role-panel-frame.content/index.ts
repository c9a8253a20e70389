/**
 * The role-panel frame: a content script registered at run time (`scripting.registerContentScripts`,
 * background `handlers/panels.ts`) on the admin-console pages the admin mapped in the options, once
 * the browser granted patkit those pages. It only frames the role panel page (`role-panel.html`);
 * it never talks to the background and never sees a token or a credential.
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

function main(): void {
  const HOST_ID = 'patkit-role-panel';
  if (document.getElementById(HOST_ID)) return;
  const origin = location.origin;

  void (async () => {
    const stored = await browser.storage.local.get([SETTINGS_KEY, PANEL_OPEN_KEY]);
    const panels = (stored[SETTINGS_KEY] as { panels?: Array<{ pattern?: unknown }> } | undefined)?.panels ?? [];
    if (!panels.some((p) => typeof p.pattern === 'string' && panelPatternMatches(p.pattern, origin))) return;
    const openBy = (stored[PANEL_OPEN_KEY] ?? {}) as Record<string, boolean>;

    const host = document.createElement('div');
    host.id = HOST_ID;
    // A shadow root keeps the console's CSS off the frame and the toggle (the console may press the
    // toggle; it cannot reach into the panel, a cross-origin extension frame).
    const root = host.attachShadow({ mode: 'open' });
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

    const setOpen = (open: boolean, remember: boolean): void => {
      if (open && !frame) {
        // The frame (and so the panel's requests) exists only once the panel is asked for.
        frame = document.createElement('iframe');
        frame.title = browser.i18n.getMessage('panelFrameTitle');
        frame.src = browser.runtime.getURL('/role-panel.html');
        root.append(frame);
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
    toggle.addEventListener('click', () => setOpen(toggle.getAttribute('aria-expanded') !== 'true', true));
    toggle.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') setOpen(false, true);
    });
    root.append(style, toggle);
    setOpen(openBy[origin] === true, false);
    document.documentElement.append(host);
  })();
}
