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
// Then the app, once the browser is idle: the frame with the rows is presented and whatever else
// is queued (input, the page's own observers) runs before the kit's evaluation takes the thread.
const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const idle = (): Promise<void> =>
  new Promise((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 100 }) : setTimeout(resolve, 0)));
void painted
  .then(frame)
  .then(idle)
  .then(() => import('./app.ts'));
