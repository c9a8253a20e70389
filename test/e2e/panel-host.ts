/**
 * The role-panel frame script's button as a test reaches it: its host element sits in the page, but
 * the button and the frame are in a closed shadow root (docs/security.md rule 30), which no selector
 * pierces. So a test does what a person does — Tab to the button, press keys, click where it is —
 * and reads the state the host shows (`data-open`).
 */
import type { Page } from 'puppeteer-core';

export const PANEL_HOST = '#patkit-role-panel';

/** Waits for the panel's button to be in the page (the host says whether it is open). */
export async function waitForToggle(page: Page, open?: boolean, timeout = 10_000): Promise<void> {
  await page.waitForSelector(open === undefined ? `${PANEL_HOST}[data-open]` : `${PANEL_HOST}[data-open="${open}"]`, { timeout });
}

/** `data-open` of the host: "true", "false", or null when there is no panel button. */
export function panelOpen(page: Page): Promise<string | null> {
  return page.evaluate((host) => document.querySelector(host)?.getAttribute('data-open') ?? null, PANEL_HOST);
}

/** Moves the keyboard focus to the panel's button with Tab (focus inside a closed root shows as its host). */
export async function focusToggle(page: Page): Promise<void> {
  for (let i = 0; i < 12; i += 1) {
    if (await page.evaluate((host) => document.activeElement === document.querySelector(host), PANEL_HOST)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the patkit panel button');
}

/** A real mouse click on the button: it sits at the top right of its host, above the frame. */
export async function clickToggle(page: Page): Promise<void> {
  const host = await page.waitForSelector(PANEL_HOST, { timeout: 10_000 });
  const box = await host!.boundingBox();
  if (!box) throw new Error('the patkit panel host has no box');
  await page.mouse.click(box.x + box.width - 12, box.y + 10);
}
