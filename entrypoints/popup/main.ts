/**
 * The popup's entry: lets the first-paint script (popup-first-paint.js) put the cached rows on
 * screen, then loads the app. Evaluating the kit takes the main thread for tens of milliseconds;
 * doing it after the first paint, not before, is what keeps the first rows fast. Waits at most
 * 150 ms for that signal (the first-paint script also signals when it has nothing to paint).
 */
const painted = new Promise<void>((resolve) => {
  if (document.documentElement.dataset.firstPaint) resolve();
  else document.addEventListener('patkit-first-paint', () => resolve(), { once: true });
  setTimeout(resolve, 150);
});
void painted.then(() => import('./app.ts'));
