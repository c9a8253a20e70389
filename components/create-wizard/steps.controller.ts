import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

export interface StepsHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface StepsOptions<Id extends string> {
  /** The steps in order (may change with capabilities; a vanished current step falls back to the first). */
  steps: () => Id[];
  /** What to focus after moving to a step. */
  focusSelector: string;
  /** Called whenever the step changes (e.g. to close a prompt that belonged to the old step). */
  onChange?: (step: Id) => void;
}

/**
 * Steps of a multi-step form: the current step, next / back / go to, focus on the new step's first
 * field, and the stepper that shows them (an ordered list: numbered, done steps ticked, the current
 * one `aria-current="step"`).
 */
export class StepsController<Id extends string> implements ReactiveController {
  readonly #host: StepsHost;
  readonly #options: StepsOptions<Id>;
  #current: Id;

  constructor(host: StepsHost, options: StepsOptions<Id>) {
    this.#host = host;
    this.#options = options;
    this.#current = options.steps()[0]!;
    host.addController(this);
  }

  hostUpdate(): void {
    const steps = this.#options.steps();
    if (!steps.includes(this.#current)) this.#current = steps[0]!;
  }

  get current(): Id {
    return this.#current;
  }

  get steps(): Id[] {
    return this.#options.steps();
  }

  get index(): number {
    return this.steps.indexOf(this.#current);
  }

  get isLast(): boolean {
    return this.index === this.steps.length - 1;
  }

  /** Back to the first step without moving focus (a fresh form). */
  reset(): void {
    this.#set(this.steps[0]!);
  }

  /**
   * Shows `step` and focuses its first field; when that is a radio button, the checked one of its
   * group (where Tab would land, and what a screen reader should read first).
   */
  async goTo(step: Id): Promise<void> {
    this.#set(step);
    await this.#host.updateComplete;
    const root = this.#host.renderRoot;
    const first = root.querySelector<HTMLElement>(this.#options.focusSelector);
    const checked =
      first instanceof HTMLInputElement && first.type === 'radio' && first.name
        ? [...root.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((r) => r.name === first.name && r.checked)
        : undefined;
    (checked ?? first)?.focus();
  }

  next(): Promise<void> {
    const next = this.steps[this.index + 1];
    return next ? this.goTo(next) : Promise.resolve();
  }

  back(): Promise<void> {
    const prev = this.steps[this.index - 1];
    return prev ? this.goTo(prev) : Promise.resolve();
  }

  /** The stepper: `labels` name each step, `label` names the list. */
  render(labels: Record<Id, string>, label: string): TemplateResult {
    const current = this.index;
    return html`<ol part="steps" aria-label=${label}>
      ${this.steps.map(
        (id, i) =>
          html`<li
            part="step${i < current ? ' step-done' : i === current ? ' step-current' : ''}"
            data-state=${i < current ? 'done' : i === current ? 'current' : 'upcoming'}
            aria-current=${i === current ? 'step' : 'false'}
          >${labels[id]}</li>`,
      )}
    </ol>`;
  }

  #set(step: Id): void {
    if (step === this.#current) return;
    this.#current = step;
    this.#options.onChange?.(step);
    this.#host.requestUpdate();
  }
}
