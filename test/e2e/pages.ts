/**
 * What the end-to-end tests do to pages and servers: the patkit server's API over HTTP, protocol
 * messages and extension state read from an extension page, and typing and clicking as a person.
 */
import assert from 'node:assert/strict';
import type { Frame, Page } from 'puppeteer-core';
import type { TestServer } from '../support/server.ts';
import type { LaunchedExtension } from './harness.ts';
import { call } from '../support/http.ts';

// Functions given to `evaluate` run inside the extension's pages, where `browser` (Firefox) or
// `chrome` (Chromium) exists; each picks the one the browser has.
declare const chrome: any;

export interface ApiInit {
  method?: string;
  body?: unknown;
  credential?: string;
}

/** A call to the test server's API (`/api/v1…`), answered as status and parsed body. */
export async function serverApi(server: TestServer, path: string, init: ApiInit = {}): Promise<{ status: number; body: any }> {
  const answer = await call(server.url, init.method ?? 'GET', `/api/v1${path}`, { body: init.body, token: init.credential });
  return { status: answer.status, body: answer.json };
}

/** Signs the server's admin in over the API; the credential is added to `secrets` (searched for at the end). */
export async function adminCredentialOf(server: TestServer, secrets: Set<string>): Promise<string> {
  const { status, body } = await serverApi(server, '/sessions', { method: 'POST', body: { username: 'admin', password: server.adminPassword } });
  assert.equal(status, 201, JSON.stringify(body));
  secrets.add(body.credential);
  return body.credential;
}

/** Sends a protocol message from an extension page (a valid sender). */
export function sendFromPage(page: Page | Frame, type: string, payload: unknown): Promise<any> {
  return page.evaluate((t, p) => ((globalThis as any).browser ?? chrome).runtime.sendMessage({ patkit: 1, type: t, payload: p }), type, payload as object);
}

/** storage.session / storage.local / the badge, read from an extension page (Firefox has no worker to ask). */
export function extensionState(page: Page): Promise<{ session: Record<string, unknown>; local: Record<string, unknown>; badge: string; title: string }> {
  return page.evaluate(async () => {
    const b = (globalThis as any).browser ?? chrome;
    return { session: await b.storage.session.get(null), local: await b.storage.local.get(null), badge: await b.action.getBadgeText({}), title: await b.action.getTitle({}) };
  });
}

/** Waits for the element, then clicks it (Firefox: more reliable than a locator). */
export async function click(page: Page | Frame, selector: string): Promise<void> {
  const el = await page.waitForSelector(selector, { timeout: 10_000 });
  await el!.click();
}

/** Replaces a field's value by typing, as a person would. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  const el = await page.waitForSelector(selector, { timeout: 10_000 });
  await el!.evaluate((input) => {
    (input as HTMLInputElement).value = '';
  });
  if (value) await el!.type(value);
}

/** The frame of an extension page (`path`, e.g. `/role-panel.html`) inside a web page, once it is there. */
export async function extensionFrame(page: Page, ext: LaunchedExtension, path: string): Promise<Frame | undefined> {
  const prefix = `${ext.origin}${path}`;
  let frame: Frame | undefined;
  for (let i = 0; i < 100 && !frame; i += 1) {
    // Firefox's BiDi may name a child frame about:blank until it has been asked about its document.
    frame = page.frames().find((f) => f.url().startsWith(prefix));
    if (!frame && ext.name === 'firefox') {
      for (const f of page.frames().filter((x) => x !== page.mainFrame())) {
        const href = await f.evaluate(() => location.href).catch((e: Error) => `error ${e.message}`);
        if (href.startsWith(prefix)) frame = f;
      }
    }
    if (!frame) await new Promise((r) => setTimeout(r, 100));
  }
  return frame;
}
