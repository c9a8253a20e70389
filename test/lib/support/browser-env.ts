/**
 * The patkit server started by web-test-runner.config.js for this run, as the browser sees it.
 * Fails with the runner's own reason when the server could not start.
 */
export interface BrowserTestEnv {
  serverUrl: string;
  adminPassword: string;
}

let cached: Promise<BrowserTestEnv> | undefined;

export function testEnv(): Promise<BrowserTestEnv> {
  cached ??= (async () => {
    const response = await fetch('/__patkit/env.json');
    const env = (await response.json()) as { serverUrl: string | null; adminPassword: string | null; error?: string };
    if (!env.serverUrl || !env.adminPassword) throw new Error(`No patkit test server: ${env.error ?? 'unknown reason'}`);
    return { serverUrl: env.serverUrl, adminPassword: env.adminPassword };
  })();
  return cached;
}
