import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface FormValueOptions {
  /** The value a host `<form>` submits under the element's `name`. */
  value: () => string;
  /** Why the value is not complete yet (the validation message), or null when it is. */
  missing: () => string | null;
}

/**
 * Form association for a `static formAssociated = true` element: attaches ElementInternals and,
 * after every update, gives the host form the element's value and validity. Where the browser (or
 * a custom-elements polyfill) lacks form association it does nothing and `form` is null.
 * Must be created while the element is constructed (a class field), as attachInternals requires.
 */
export class FormValueController implements ReactiveController {
  readonly #internals: ElementInternals | null;
  readonly #options: FormValueOptions;

  constructor(host: ReactiveControllerHost & HTMLElement, options: FormValueOptions) {
    this.#options = options;
    let internals: ElementInternals | null = null;
    try {
      internals = host.attachInternals();
    } catch {
      internals = null;
    }
    this.#internals = internals;
    host.addController(this);
  }

  hostUpdated(): void {
    const internals = this.#internals;
    if (!internals) return;
    internals.setFormValue(this.#options.value());
    const missing = this.#options.missing();
    if (missing) internals.setValidity({ valueMissing: true }, missing);
    else internals.setValidity({});
  }

  get form(): HTMLFormElement | null {
    return this.#internals?.form ?? null;
  }

  checkValidity(): boolean {
    return this.#internals?.checkValidity() ?? true;
  }
}
