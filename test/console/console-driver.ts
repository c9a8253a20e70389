/**
 * Drives the mounted console in `root` as a person would, for the console's browser tests: finds
 * fields by their label and buttons by their text, signs in, and follows the nav to a page.
 */
import { waitUntil } from '@open-wc/testing';

/** An element's text, white space folded. */
export const text = (node: Element | null | undefined): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

export interface ConsoleDriver {
  /** The field whose label reads (or starts with) `label`. */
  byLabel(label: string, scope?: ParentNode): HTMLInputElement;
  /** The button whose text or accessible name is `label`. */
  button(label: string, scope?: ParentNode): HTMLButtonElement;
  /** Signs in on the sign-in page and waits for the nav. */
  signIn(username: string, password: string): Promise<void>;
  /** Opens `#/<route>` and waits until the nav marks it current. */
  go(route: string): Promise<void>;
}

export function consoleDriver(root: HTMLElement): ConsoleDriver {
  const byLabel = (label: string, scope: ParentNode = root): HTMLInputElement => {
    const found = [...scope.querySelectorAll('label')].find((l) => text(l) === label || text(l).startsWith(label))!;
    return scope.querySelector<HTMLInputElement>(`#${CSS.escape(found.htmlFor)}`)!;
  };
  const button = (label: string, scope: ParentNode = root): HTMLButtonElement =>
    [...scope.querySelectorAll('button')].find((b) => text(b) === label || b.getAttribute('aria-label') === label)!;
  return {
    byLabel,
    button,
    async signIn(username, password) {
      await waitUntil(() => root.querySelector('form.signin'), 'sign-in page');
      byLabel('Username').value = username;
      byLabel('Password').value = password;
      button('Sign in').click();
      await waitUntil(() => root.querySelector('nav'), `${username} signed in`, { timeout: 5000 });
    },
    async go(route) {
      location.hash = `#/${route}`;
      await waitUntil(() => root.querySelector(`nav a[aria-current="page"][data-route="${route}"]`), `on ${route}`);
    },
  };
}

/**
 * Waits for the sign-in form in `root`, fills it by its field ids and submits it; the caller waits
 * for the page it expects next.
 */
export async function submitSignIn(root: ParentNode, username: string, password: string, waiting = 'sign-in page'): Promise<void> {
  await waitUntil(() => root.querySelector('form.signin'), waiting);
  root.querySelector<HTMLInputElement>('#username')!.value = username;
  root.querySelector<HTMLInputElement>('#password')!.value = password;
  root.querySelector<HTMLButtonElement>('form.signin button[type="submit"]')!.click();
}
