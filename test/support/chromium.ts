/**
 * The one headless Chromium every browser-driven test and benchmark launches: Debian's
 * `/usr/bin/chromium` unless `CHROME_PATH` names another, with the same quiet flags everywhere.
 */

/** The browser binary: `CHROME_PATH`, or Debian's Chromium. */
export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * New headless mode; no sandbox (containers and CI run as root); no GPU; and none of the
 * browser's own traffic (QUIC, background updates, sync), which would skew timings and reach out
 * of a sandboxed run.
 */
export const CHROME_FLAGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
