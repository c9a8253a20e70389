/**
 * Loads the console's own stylesheet (console/console.css) into the test page, as console/index.html
 * does in production, so layout assertions measure the real page chrome.
 */
export async function loadConsoleCss(): Promise<void> {
  if (document.querySelector('link[data-console-css]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL('../../console/console.css', import.meta.url).href;
  link.dataset.consoleCss = '';
  const loaded = new Promise<void>((resolve, reject) => {
    link.addEventListener('load', () => resolve());
    link.addEventListener('error', () => reject(new Error('console/console.css did not load')));
  });
  document.head.append(link);
  await loaded;
}
