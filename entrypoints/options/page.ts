/** Small helpers of the options page: element look-up, error text, the permission prompt. */
import { browser } from 'wxt/browser';
import { ProviderError } from '../../lib/errors.ts';
import { t } from '../../extension/i18n.ts';

export const $ = <T extends Element>(selector: string, root: ParentNode = document): T => {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`options page: missing ${selector}`);
  return el;
};

export function message(error: unknown): string {
  return error instanceof ProviderError || error instanceof Error ? error.message : String(error);
}

/** A check's message in the page's words ("The address must use https …"), never "baseUrl: …"; `subject` is a message key with `$1`. */
export function fieldMessage(error: unknown, subject: string): string {
  const detail = error instanceof ProviderError ? error.fieldErrors?.[0]?.message : undefined;
  return detail ? t(subject, detail) : message(error);
}

/** Asks for an origin from inside the click that started it; resolves false if the user declines. */
export async function requestOrigin(pattern: string): Promise<boolean> {
  try {
    return await browser.permissions.request({ origins: [pattern] });
  } catch {
    return false;
  }
}
