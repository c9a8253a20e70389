/**
 * Registration, Shoelace's `static dependencies` way: a `<name>.component.ts` file only declares its
 * class (and lists, in `static dependencies`, the tags its template renders); the `<name>.ts` file
 * calls {@link register}, which defines the tag and, depth first, every dependency that is not
 * defined yet. A host that imports only `.component` files registers what it wants, under its own
 * names, and nothing is defined behind its back.
 */

/** A kit class: its template may render other kit tags, listed with their classes. */
export interface KitElementClass extends CustomElementConstructor {
  dependencies?: Readonly<Record<string, CustomElementConstructor>>;
}

/** Defines `tag` (unless some class already owns it) and the tags its class depends on. */
export function register(tag: string, element: KitElementClass): void {
  for (const [dependencyTag, dependency] of Object.entries(element.dependencies ?? {})) {
    register(dependencyTag, dependency as KitElementClass);
  }
  if (!customElements.get(tag)) customElements.define(tag, element);
}
