/**
 * The built documentation site (dist/docs, from `npm run docs:build`; built here when missing)
 * served by the server's own docs module (server/http/docs-files.ts, with its security policy) on
 * a free loopback port, and one headless Chromium. Every page opened through {@link openPage}
 * records its console errors, uncaught exceptions, failed requests and any request that leaves
 * the site's origin (those are aborted: the site must work offline).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { docsFiles } from '../../server/http/docs-files.ts';
import { CHROME_FLAGS, CHROME_PATH } from '../support/chromium.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DOCS = join(ROOT, 'dist', 'docs');

export interface OpenedPage {
  page: Page;
  /** Console errors, page errors, failed or refused requests, responses of 400 and more. */
  problems: string[];
}

export interface Site {
  url: string;
  browser: Browser;
  /** `bypassCsp` lets a test inject a script of its own (axe). */
  openPage(path: string, options?: { wait?: 'load' | 'networkidle0'; bypassCsp?: boolean }): Promise<OpenedPage>;
  close(): Promise<void>;
}

export async function ensureBuilt(): Promise<void> {
  if (existsSync(join(DOCS, 'index.html'))) return;
  const { buildDocs } = await import('../../scripts/build-docs.ts');
  await buildDocs();
}

export async function startSite(): Promise<Site> {
  await ensureBuilt();
  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(docsFiles, { docsDir: DOCS });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = new URL(address).origin;
  const profile = mkdtempSync(join(tmpdir(), 'patkit-docs-chrome-'));
  const browser = await puppeteer.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: [...CHROME_FLAGS, `--user-data-dir=${profile}`],
    defaultViewport: { width: 1200, height: 900 },
  });

  async function openPage(path: string, options: { wait?: 'load' | 'networkidle0'; bypassCsp?: boolean } = {}): Promise<OpenedPage> {
    const page = await browser.newPage();
    if (options.bypassCsp) await page.setBypassCSP(true);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url ?? ''})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
    page.on('requestfailed', (request) => {
      if (!request.url().startsWith(origin)) return; // counted below, as an outside request
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) {
        void request.continue();
      } else {
        problems.push(`outside request: ${url}`);
        void request.abort();
      }
    });
    await page.goto(origin + path, { waitUntil: options.wait ?? 'load' });
    return { page, problems };
  }

  return {
    url: origin,
    browser,
    openPage,
    async close() {
      await browser.close();
      await app.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
