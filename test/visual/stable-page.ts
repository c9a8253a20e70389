/**
 * What makes a screenshot the same on every run: a fixed viewport at 1x, the page's clock fixed
 * (`Date` starts at {@link FIXED_NOW} in every document and ticks from there, so "3 days ago" and
 * "Dec 7, 2026" never move and code that measures elapsed time still works), `Math.random`
 * seeded, UTC, no animations,
 * transitions or text caret (also inside shadow roots: the style is appended to every adopted
 * style sheet list), and the page's fonts loaded. The fonts are this machine's system fonts; CI
 * runs the same image.
 */
import type { ElementHandle, Page } from 'puppeteer-core';

/** The instant every page and test server starts its clock at: a Monday morning, 10:00 UTC. */
export const FIXED_NOW = Date.UTC(2026, 11, 7, 10, 0, 0);

export const VIEWPORT = { width: 1280, height: 800, deviceScaleFactor: 1 } as const;

/** Runs in every new document before its own scripts (evaluateOnNewDocument): the fixed clock, the still style. */
function freezeInPage(fixedNow: number): void {
  const RealDate = Date;
  const start = performance.now();
  const now = (): number => fixedNow + Math.floor(performance.now() - start);
  // A function, not a class, so `Date()` called without `new` still answers a string.
  function FixedDate(this: unknown, ...args: unknown[]): Date | string {
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target) as Date;
  }
  FixedDate.prototype = RealDate.prototype;
  Object.assign(FixedDate, { now, parse: RealDate.parse, UTC: RealDate.UTC });
  (globalThis as unknown as { Date: unknown }).Date = FixedDate;
  // Seeded randomness (mulberry32): the demo provider's made-up secrets end the same every run.
  let seed = 0x9e3779b9;
  Math.random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const css = `*, *::before, *::after {
    animation-duration: 0s !important; animation-delay: 0s !important; animation-iteration-count: 1 !important;
    transition: none !important; caret-color: transparent !important; scroll-behavior: auto !important;
  }`;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  // Shadow roots (Lit's components) set their own list: keep the still sheet last in every one.
  for (const proto of [ShadowRoot.prototype, Document.prototype]) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'adoptedStyleSheets');
    if (!descriptor?.set || !descriptor.get) continue;
    Object.defineProperty(proto, 'adoptedStyleSheets', {
      configurable: true,
      get() {
        return descriptor.get!.call(this);
      },
      set(list: CSSStyleSheet[]) {
        descriptor.set!.call(this, [...list.filter((s) => s !== sheet), sheet]);
      },
    });
  }
  document.adoptedStyleSheets = [...document.adoptedStyleSheets];
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function attachStill(this: Element, init: ShadowRootInit): ShadowRoot {
    const root = attach.call(this, init);
    root.adoptedStyleSheets = [];
    return root;
  };
}

/** Fixed viewport, colour scheme, reduced motion and the frozen clock, for every document the page opens from now on. */
export async function stabilise(page: Page, scheme: 'light' | 'dark' = 'light', viewport: { width: number; height: number } = VIEWPORT): Promise<void> {
  await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
  await page.emulateTimezone('UTC');
  await page.emulateMediaFeatures([
    { name: 'prefers-color-scheme', value: scheme },
    { name: 'prefers-reduced-motion', value: 'reduce' },
  ]);
  await page.evaluateOnNewDocument(freezeInPage, FIXED_NOW);
}

/** Switches the colour scheme of an open page (the next shot follows it). */
export async function setScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMediaFeatures([
    { name: 'prefers-color-scheme', value: scheme },
    { name: 'prefers-reduced-motion', value: 'reduce' },
  ]);
}

/**
 * Waits until the page is still: fonts loaded, every animation at its end (an endless one, a
 * spinner, held at its start), no focus ring of a pointer, two frames painted.
 */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    for (const animation of document.getAnimations()) {
      try {
        animation.finish();
      } catch {
        animation.pause();
        animation.currentTime = 0;
      }
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

/** A PNG of one element, cropped to its box, after the page has settled. */
export async function shootElement(page: Page, element: ElementHandle<Element>): Promise<Buffer> {
  await settle(page);
  return Buffer.from(await element.screenshot({ type: 'png' }));
}

/** A PNG of the whole page (at least the viewport), after the page has settled. */
export async function shootPage(page: Page): Promise<Buffer> {
  await settle(page);
  return Buffer.from(await page.screenshot({ type: 'png', fullPage: true }));
}

/**
 * Covers the boxes of `selectors` (in the light DOM) with a flat grey block, as Playwright's
 * `mask` does: for text that comes from a clock the test cannot fix (the extension's service
 * worker stamps its cache with its own time). The box keeps its place, so layout is still compared.
 */
export async function mask(page: Page, selectors: string[]): Promise<void> {
  await page.evaluate((list: string[]) => {
    for (const selector of list) {
      for (const el of document.querySelectorAll(selector)) {
        const r = el.getBoundingClientRect();
        const block = document.createElement('div');
        block.dataset.visualMask = '';
        block.style.cssText = `position:absolute;left:${r.left + scrollX}px;top:${r.top + scrollY}px;width:${r.width}px;height:${r.height}px;background:#888;z-index:2147483647;pointer-events:none`;
        document.body.append(block);
      }
    }
  }, selectors);
}
