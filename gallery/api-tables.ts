/**
 * API tables for one tag, read from custom-elements.json (the Custom Elements Manifest schema):
 * attributes and properties, events, CSS parts, CSS custom properties and slots. Built with DOM
 * calls and textContent only, so nothing in the manifest can inject markup.
 */
interface Described {
  name: string;
  description?: string;
  summary?: string;
  default?: string;
  type?: { text?: string };
  fieldName?: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  attribute?: string;
}

interface Declaration {
  tagName?: string;
  summary?: string;
  description?: string;
  members?: Described[];
  attributes?: Described[];
  events?: Described[];
  cssParts?: Described[];
  cssProperties?: Described[];
  slots?: Described[];
}

export interface Manifest {
  modules?: Array<{ declarations?: Declaration[] }>;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

function code(text: string): HTMLElement {
  return el('code', text);
}

/**
 * The manifest's Markdown-ish JSDoc text as nodes: fenced blocks become <pre>, `spans` become
 * <code>, the rest stays text (never parsed as HTML).
 */
export function docText(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  text.split(/```[a-z]*\n?/).forEach((chunk, i) => {
    if (i % 2 === 1) {
      out.append(el('pre', chunk.trim()));
      return;
    }
    chunk.split('`').forEach((piece, j) => out.append(j % 2 === 1 ? code(piece) : document.createTextNode(piece)));
  });
  return out;
}

function table(caption: string, head: string[], rows: Array<Array<string | Node>>): HTMLElement | null {
  if (rows.length === 0) return null;
  const t = el('table');
  t.append(el('caption', caption));
  const tr = el('tr');
  for (const h of head) tr.append(el('th', h));
  t.append(el('thead'));
  t.tHead!.append(tr);
  const body = el('tbody');
  for (const row of rows) {
    const r = el('tr');
    for (const cell of row) {
      const td = el('td');
      td.append(cell);
      r.append(td);
    }
    body.append(r);
  }
  t.append(body);
  return t;
}

export function findDeclaration(manifest: Manifest, tag: string): Declaration | null {
  for (const m of manifest.modules ?? []) for (const d of m.declarations ?? []) if (d.tagName === tag) return d;
  return null;
}

/** The API tables of `tag`, or a note when the manifest does not list it. */
export function apiTables(manifest: Manifest, tag: string): HTMLElement {
  const box = el('div');
  box.className = 'api';
  const d = findDeclaration(manifest, tag);
  if (!d) {
    box.append(el('p', `${tag} is not in custom-elements.json.`));
    return box;
  }
  const attrs = new Map((d.attributes ?? []).map((a) => [a.fieldName ?? a.name, a.name]));
  const props = (d.members ?? []).filter((m) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public');
  const tables = [
    table(
      'Properties and attributes',
      ['Property', 'Attribute', 'Type', 'Default', 'Description'],
      props.map((p) => [code(p.name), attrs.has(p.name) ? code(attrs.get(p.name)!) : '—', p.type?.text ?? '', p.default ?? '', docText(p.description ?? '')]),
    ),
    table('Events', ['Event', 'Detail', 'Description'], (d.events ?? []).map((e) => [code(e.name), e.type?.text ?? '', docText(e.description ?? '')])),
    table('CSS parts', ['Part', 'Description'], (d.cssParts ?? []).map((p) => [code(p.name), docText(p.description ?? '')])),
    table(
      'CSS custom properties',
      ['Property', 'Default', 'Description'],
      (d.cssProperties ?? []).map((p) => [code(p.name), p.default ?? '', docText(p.description ?? '')]),
    ),
    table('Slots', ['Slot', 'Description'], (d.slots ?? []).map((s) => [code(s.name || '(default)'), docText(s.description ?? '')])),
  ];
  for (const t of tables) if (t) box.append(t);
  return box;
}
