/**
 * The visual suite's Chromium: the project's one binary and flags (test/support/chromium.ts), in
 * UTC, with the UI language asked for (`--lang` and `LANGUAGE`: the extension's `i18n` follows the
 * browser's UI language), optionally with an unpacked extension loaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROME_FLAGS, CHROME_PATH } from '../support/chromium.ts';

export interface VisualBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchVisual(options: { lang?: string; extension?: string } = {}): Promise<VisualBrowser> {
  const lang = options.lang ?? 'en';
  const userDataDir = mkdtempSync(join(tmpdir(), 'patkit-visual-'));
  const browser = await puppeteer.launch({
    executablePath: CHROME_PATH,
    headless: true,
    pipe: true,
    userDataDir,
    ...(options.extension ? { enableExtensions: [options.extension] } : {}),
    args: [...CHROME_FLAGS, `--lang=${lang === 'en' ? 'en-US' : lang}`, '--font-render-hinting=none', '--hide-scrollbars'],
    env: { ...process.env, TZ: 'UTC', LANGUAGE: lang, LANG: lang === 'en' ? 'en_US.UTF-8' : `${lang}_${lang.toUpperCase()}.UTF-8` },
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until nothing on the page changes any more: the text and attributes of the document and
 * of every shadow root (where the components render) read the same three times 100 ms apart.
 * Data from a demo provider or a server arrives after load; this waits for it without knowing
 * each screen.
 */
export async function quiet(page: Page, timeoutMs = 15_000): Promise<void> {
  const snapshot = (): Promise<string> =>
    page.evaluate(() => {
      const parts: string[] = [];
      const walk = (root: Document | ShadowRoot | Element): void => {
        for (const el of root.querySelectorAll('*')) {
          parts.push(el.tagName, ...[...el.attributes].map((a) => `${a.name}=${a.value}`));
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      const text = (root: Node): string => [...root.childNodes].map((n) => (n.nodeType === 3 ? n.textContent : text(n))).join('') + ((root as Element).shadowRoot ? text((root as Element).shadowRoot!) : '');
      return `${parts.join('|')}#${text(document.body)}`;
    });
  const deadline = Date.now() + timeoutMs;
  let last = await snapshot();
  let same = 0;
  while (same < 2) {
    if (Date.now() > deadline) throw new Error(`${page.url()} never stopped changing (${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 100));
    const next = await snapshot();
    same = next === last ? same + 1 : 0;
    last = next;
  }
}
