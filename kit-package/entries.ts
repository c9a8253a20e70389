/**
 * Every entry of the published `patkit` package, as data: the build (scripts/build-kit.ts), the
 * package.json `exports` and `sideEffects`, the `.d.ts` list and the consumer test all read this
 * table. Adding a provider or a locale is one line here (or just the file: see `optional`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COMPONENTS } from './components.ts';

export const ROOT = resolve(import.meta.dirname, '..');

export { BUNDLE_LAZY, COMPONENTS, REGISTERS, type ComponentName } from './components.ts';

/**
 * Providers shipped as their own entries. `patkit/provider` stays the reference server's for the
 * README's sake; every provider is also `patkit/providers/<id>`. Files that do not exist yet (other
 * providers being written elsewhere) are skipped, so their entry appears the day the file lands.
 */
export const PROVIDER_ENTRIES: ReadonlyArray<{ id: string; source: string }> = [
  { id: 'patkit', source: 'lib/providers/reference-server/index.ts' },
  { id: 'mattermost', source: 'lib/providers/mattermost/index.ts' },
  { id: 'npm', source: 'lib/providers/npm-registry/index.ts' },
  { id: 'gitlab', source: 'lib/providers/gitlab/index.ts' },
  { id: 'gitea', source: 'lib/providers/gitea/index.ts' },
];

/** The types and base for a provider a host writes itself. */
export const PROVIDER_API = 'lib/providers/provider-api.ts';

/** Where locales live: every `components/locales/<lang>.ts` becomes `patkit/locales/<lang>`. */
export const LOCALES_DIR = 'components/locales';

export interface Entry {
  /** Subpath in `exports`, e.g. `./token-list`. */
  subpath: string;
  /** Source file (repository-relative) the ESM build starts from. */
  source: string;
  /** Output file in the package, e.g. `esm/token-list.js`. */
  file: string;
  /** Declaration file in the package, e.g. `types/components/token-list/token-list.d.ts`. */
  types: string;
  /** Registers custom elements when imported (listed in `sideEffects`). */
  registers: boolean;
  /** What a reader gets: for the package README's table. */
  what: string;
}

const typesOf = (source: string): string => `types/${source.replace(/\.ts$/, '.d.ts')}`;

function esmEntry(subpath: string, source: string, name: string, registers: boolean, what: string): Entry {
  return { subpath, source, file: `esm/${name}.js`, types: typesOf(source), registers, what };
}

/** Entries built from sources into `esm/` (Lit external, shared chunks). */
export function esmEntries(root: string = ROOT): Entry[] {
  const entries: Entry[] = [
    esmEntry('.', 'components/index.ts', 'index', true, 'every component, registered; classes, events, strings and types'),
    esmEntry('./events', 'components/shared/events.ts', 'events', false, 'the event classes and detail types only; registers nothing'),
  ];
  for (const name of COMPONENTS) {
    entries.push(esmEntry(`./${name}`, `components/${name}/${name}.ts`, name, true, `registers \`<pat-${name}>\``));
    entries.push(esmEntry(`./${name}.component`, `components/${name}/${name}.component.ts`, `${name}.component`, false, `the \`Pat…\` class only; registers nothing`));
  }
  entries.push(
    esmEntry('./provider-api', PROVIDER_API, 'provider-api', false, 'what a host needs to write its own provider: `TokenProvider` and its types, the typed errors, `defineProvider`, `capabilities`, `requireOperation`'),
  );
  for (const provider of PROVIDER_ENTRIES) {
    if (!existsSync(join(root, provider.source))) continue;
    const what = `the ${provider.id} provider (no DOM framework, no registration)`;
    if (provider.id === 'patkit') entries.push(esmEntry('./provider', provider.source, 'provider', false, `${what}; same as \`patkit/providers/patkit\``));
    entries.push(esmEntry(`./providers/${provider.id}`, provider.source, `providers/${provider.id}`, false, what));
  }
  const localesDir = join(root, LOCALES_DIR);
  if (existsSync(localesDir)) {
    for (const file of readdirSync(localesDir).sort()) {
      if (!file.endsWith('.ts') || file.endsWith('.d.ts') || file.includes('.test.')) continue;
      const lang = file.slice(0, -3);
      // A locale file calls registerLocale() on import: a side effect bundlers must keep.
      entries.push(esmEntry(`./locales/${lang}`, `${LOCALES_DIR}/${file}`, `locales/${lang}`, true, `the \`${lang}\` locale: registers its strings and date format on import (no tags)`));
    }
  }
  return entries;
}
