/**
 * Registered at run time (`scripting.registerContentScripts`) on the admin-console pages the admin
 * mapped in the options, once the browser granted patkit those pages. It only frames the panel
 * page; it never talks to the background and never sees a token or a credential.
 */
import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';

export default defineUnlistedScript(() => {
  const HOST_ID = 'patkit-console-panel';
  if (document.getElementById(HOST_ID)) return;
  const host = document.createElement('div');
  host.id = HOST_ID;
  // A closed shadow root keeps the console's CSS off the frame and the toggle.
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = `
    :host { all: initial; position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; font: 13px system-ui, sans-serif; }
    button { display: block; margin-left: auto; padding: 4px 10px; border-radius: 6px; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; cursor: pointer; }
    iframe { display: block; margin-top: 6px; width: min(720px, calc(100vw - 32px)); height: min(560px, calc(100vh - 80px)); border: 1px solid #9ca3af; border-radius: 8px; background: Canvas; box-shadow: 0 8px 24px rgb(0 0 0 / .2); }
    iframe[hidden] { display: none; }`;
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.textContent = 'patkit roles';
  toggle.setAttribute('aria-expanded', 'true');
  const frame = document.createElement('iframe');
  frame.title = 'patkit: users, roles and tokens';
  frame.src = browser.runtime.getURL('/panel.html');
  toggle.addEventListener('click', () => {
    frame.hidden = !frame.hidden;
    toggle.setAttribute('aria-expanded', String(!frame.hidden));
  });
  root.append(style, toggle, frame);
  document.documentElement.append(host);
});
