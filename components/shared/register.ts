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

/** Loads a kit class on first use (a chunk of its own): `static lazyDependencies` values. */
export type ClassLoader<T extends CustomElementConstructor = CustomElementConstructor> = () => Promise<T>;

/**
 * Loads a lazy dependency's class and defines it under `tag` (with its own dependencies), unless
 * the host already registered that class or the tag; resolves with the class. Called before the
 * user can reach the tag, so it is defined by the time it shows.
 */
export async function defineLazy<T extends KitElementClass>(tag: string, load: ClassLoader<T>): Promise<T> {
  const element = await load();
  if (!customElements.getName?.(element)) register(tag, element);
  return element;
}
