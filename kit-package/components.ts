/**
 * The kit's components and what each registration entry defines: plain data, no Node imports,
 * so browser tests can read it too.
 */
/** Component folders, each with `<name>.ts` (registers the tag) and `<name>.component.ts` (class only). */
export const COMPONENTS = ['token-list', 'create-wizard', 'reveal-dialog', 'role-manager', 'token-manager', 'confirm-dialog', 'scoped-token-form', 'token-details', 'token-requests'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/**
 * Which tags each registration entry defines: itself and the closure of `static dependencies`
 * (test/kit-package/dependencies.node.test.ts checks that; the READMEs' tables come from it).
 */
export const REGISTERS: Readonly<Record<ComponentName, readonly ComponentName[]>> = {
  'token-list': ['token-list'],
  'create-wizard': ['create-wizard', 'reveal-dialog', 'confirm-dialog'],
  'reveal-dialog': ['reveal-dialog'],
  'role-manager': ['role-manager', 'confirm-dialog'],
  'token-manager': ['token-manager', 'token-list'],
  'confirm-dialog': ['confirm-dialog'],
  'scoped-token-form': ['scoped-token-form', 'reveal-dialog'],
  // Tags in a class's static lazyDependencies are registered on first use, not on import: the
  // list's confirmation (when the list is idle after its first render), reveal dialog (first regenerate) and details view,
  // the manager's wizard and organisation form.
  'token-details': ['token-details'],
  'token-requests': ['token-requests'],
};

/**
 * The tags the one-file bundle (`patkit/bundle`, the loader's) defines only on first use, each a
 * chunk of its own: components/bundle.ts `LAZY_TAGS` (registration.browser.test.ts checks the two agree).
 */
export const BUNDLE_LAZY: readonly ComponentName[] = ['create-wizard', 'reveal-dialog', 'scoped-token-form', 'token-details', 'role-manager', 'token-requests'];
