/**
 * The built package's `custom-elements.json`, read into what a component page shows. Field names
 * are the Custom Elements Manifest schema's; any of them may be missing (an older or newer schema,
 * a component with no events), so every list defaults to empty and every text to ''.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface TypeRef {
  text?: string;
}

interface Parameter {
  name?: string;
  type?: TypeRef;
  optional?: boolean;
  default?: string;
  description?: string;
  rest?: boolean;
}

interface Member {
  kind?: string;
  name?: string;
  type?: TypeRef;
  default?: string;
  description?: string;
  summary?: string;
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
  attribute?: string;
  parameters?: Parameter[];
  return?: { type?: TypeRef; description?: string };
}

interface Attribute {
  name?: string;
  fieldName?: string;
  type?: TypeRef;
  default?: string;
  description?: string;
}

interface EventDoc {
  name?: string;
  type?: TypeRef;
  description?: string;
  /** Not in every schema: the detail's shape, as `{ text }` or a plain string. */
  detail?: TypeRef | string | null;
}

interface Named {
  name?: string;
  description?: string;
  default?: string;
  syntax?: string;
}

interface Declaration {
  kind?: string;
  name?: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  description?: string;
  members?: Member[];
  attributes?: Attribute[];
  events?: EventDoc[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}

export interface Manifest {
  schemaVersion?: string;
  modules?: Array<{ path?: string; declarations?: Declaration[] }>;
}

export interface PropertyDoc {
  name: string;
  attribute: string;
  type: string;
  default: string;
  description: string;
  readonly: boolean;
}

export interface MethodDoc {
  name: string;
  static: boolean;
  signature: string;
  parameters: Array<{ name: string; type: string; optional: boolean; description: string }>;
  returns: string;
  description: string;
}

export interface EventRow {
  name: string;
  detail: string;
  type: string;
  description: string;
}

export interface NamedRow {
  name: string;
  description: string;
  default: string;
}

export interface ComponentDoc {
  tag: string;
  /** `token-list` for `<pat-token-list>`: the page's URL and the package entry. */
  name: string;
  title: string;
  className: string;
  summary: string;
  description: string;
  properties: PropertyDoc[];
  methods: MethodDoc[];
  events: EventRow[];
  slots: NamedRow[];
  cssParts: NamedRow[];
  cssProperties: NamedRow[];
}

const isPublic = (m: { name?: string; privacy?: string }): boolean =>
  Boolean(m.name) && !m.name!.startsWith('#') && !m.name!.startsWith('_') && (m.privacy === undefined || m.privacy === 'public');

const text = (value: string | undefined | null): string => (typeof value === 'string' ? value : '');

function detailOf(event: EventDoc): string {
  if (typeof event.detail === 'string') return event.detail;
  if (event.detail && typeof event.detail.text === 'string') return event.detail.text;
  // Schemas without `detail`: a `CustomEvent<…>` type still says it.
  const match = /^CustomEvent<([\s\S]*)>$/.exec(text(event.type?.text));
  return match ? match[1]! : '';
}

function properties(decl: Declaration): PropertyDoc[] {
  const attributes = (decl.attributes ?? []).filter((a) => a.name);
  const byField = new Map(attributes.filter((a) => a.fieldName).map((a) => [a.fieldName!, a]));
  const rows: PropertyDoc[] = (decl.members ?? [])
    .filter((m) => m.kind === 'field' && isPublic(m) && !m.static)
    .map((m) => {
      const attribute = byField.get(m.name!);
      return {
        name: m.name!,
        attribute: text(attribute?.name ?? m.attribute),
        type: text(m.type?.text ?? attribute?.type?.text),
        default: text(m.default ?? attribute?.default),
        description: text(m.description || m.summary || attribute?.description),
        readonly: m.readonly === true,
      };
    });
  // An attribute with no property of its own still belongs in the table.
  for (const a of attributes) {
    if (!rows.some((r) => r.attribute === a.name)) {
      rows.push({ name: '', attribute: a.name!, type: text(a.type?.text), default: text(a.default), description: text(a.description), readonly: false });
    }
  }
  return rows;
}

function methods(decl: Declaration): MethodDoc[] {
  return (decl.members ?? [])
    .filter((m) => m.kind === 'method' && isPublic(m))
    .map((m) => {
      const parameters = (m.parameters ?? []).map((p) => ({
        name: `${p.rest ? '...' : ''}${text(p.name)}`,
        type: text(p.type?.text),
        optional: p.optional === true || p.default !== undefined,
        description: text(p.description),
      }));
      const returns = text(m.return?.type?.text) || 'void';
      const list = parameters.map((p) => `${p.name}${p.optional ? '?' : ''}${p.type ? `: ${p.type}` : ''}`).join(', ');
      return {
        name: m.name!,
        static: m.static === true,
        signature: `${m.static ? 'static ' : ''}${m.name}(${list}): ${returns}`,
        parameters,
        returns,
        description: text(m.description || m.summary),
      };
    });
}

const named = (rows: Named[] | undefined): NamedRow[] =>
  (rows ?? []).map((r) => ({ name: text(r.name), description: text(r.description), default: text(r.default) }));

function titleOf(name: string): string {
  const words = name.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every custom element the manifest declares, sorted by tag. */
export function componentsOf(manifest: Manifest): ComponentDoc[] {
  const docs: ComponentDoc[] = [];
  for (const module of manifest.modules ?? []) {
    for (const decl of module.declarations ?? []) {
      if (!decl.tagName) continue;
      const name = decl.tagName.replace(/^pat-/, '');
      docs.push({
        tag: decl.tagName,
        name,
        title: titleOf(name),
        className: text(decl.name),
        summary: text(decl.summary),
        description: text(decl.description),
        properties: properties(decl),
        methods: methods(decl),
        events: (decl.events ?? [])
          .filter((e) => e.name)
          .map((e) => ({ name: e.name!, detail: detailOf(e), type: text(e.type?.text), description: text(e.description) })),
        slots: named(decl.slots),
        cssParts: named(decl.cssParts),
        cssProperties: named(decl.cssProperties),
      });
    }
  }
  return docs.sort((a, b) => a.tag.localeCompare(b.tag));
}

/** The built package's manifest (dist/kit/custom-elements.json). */
export function readManifest(kitDir: string): Manifest {
  return JSON.parse(readFileSync(join(kitDir, 'custom-elements.json'), 'utf8')) as Manifest;
}
