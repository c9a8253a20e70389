/** The focused element, looking through open shadow roots (so focus can be returned to it). */
export function deepActiveElement(root: Document | ShadowRoot = document): HTMLElement | null {
  let active = root.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/** Marks the safe answer of a confirmation (Cancel, Go back): `<button data-safe-choice>`. */
const SAFE_CHOICE = 'data-safe-choice';

/**
 * The one focus rule for every confirmation in the kit: focus starts on a field the question needs
 * (a password to type), otherwise on the safe answer, never on the irreversible one, so a stray
 * Enter or Space right after the question appears changes nothing.
 * Returns the element focused (null when `root` holds no safe answer, which is a bug in the caller).
 */
export function focusSafeChoice(root: ParentNode, field?: HTMLElement | null): HTMLElement | null {
  const target = field ?? root.querySelector<HTMLElement>(`[${SAFE_CHOICE}]`);
  target?.focus();
  return target;
}
