/** Drives a <pat-create-wizard> in the wizard's tests: its shadow root, the current step, typing and "Next". */
import type { PatCreateWizard } from '../../../components/create-wizard/create-wizard.component.ts';

export const sr = (el: Element): ShadowRoot => el.shadowRoot!;
export const q = <T extends HTMLElement = HTMLElement>(el: Element, sel: string): T | null => sr(el).querySelector<T>(sel);
/** The current step's name (its fieldset's legend). */
export const legend = (el: Element): string => q(el, 'legend')?.textContent?.trim() ?? '';

/** Sets a field's value as typing would (one `input` event). */
export function type(el: Element, selector: string, value: string): void {
  const input = q<HTMLInputElement>(el, selector)!;
  input.value = value;
  input.dispatchEvent(new InputEvent('input'));
}

export async function next(el: PatCreateWizard): Promise<void> {
  q<HTMLButtonElement>(el, '[part="next"]')!.click();
  await el.updateComplete;
}
