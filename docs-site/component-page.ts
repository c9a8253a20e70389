/**
 * One component's page, from its manifest entry (docs-site/manifest.ts) and its examples
 * (docs-site/examples.ts): the import line, live examples running on the built package, then the
 * API tables. Manifest text is Markdown rendered with HTML off, so a description can never inject
 * markup (the renderer is passed in: the site's own Markdown settings).
 */
import { highlight } from './highlight.ts';
import { code, escapeHtml } from './html.ts';
import type { ComponentDoc, NamedRow } from './manifest.ts';
import type { Example } from './examples.ts';

/** Markdown to HTML, with raw HTML in the source shown as text. */
export type SafeMarkdown = { block: (source: string) => string; inline: (source: string) => string };

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function section(id: string, title: string, body: string): string {
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function none(what: string): string {
  return `<p class="none">${escapeHtml(what)}</p>`;
}

function namedTable(rows: NamedRow[], first: string, md: SafeMarkdown, withDefault = false): string {
  const headers = withDefault ? [first, 'Default', 'Description'] : [first, 'Description'];
  return table(
    headers,
    rows.map((r) => (withDefault ? [code(r.name || '(default)'), code(r.default), md.inline(r.description)] : [code(r.name || '(default)'), md.inline(r.description)])),
  );
}

function examples(doc: ComponentDoc, list: Example[]): string {
  if (list.length === 0) return none('No examples yet.');
  return list
    .map((ex) => {
      const script = ex.script
        ? `<script type="module" src="/examples/${escapeHtml(`${doc.name}/${ex.id}`)}.js"></script>
<figure class="code"><figcaption>${escapeHtml(`${ex.id}.js`)}</figcaption>${highlight(ex.script, 'js')}</figure>`
        : '';
      return `<article class="example" id="example-${ex.id}">
<h3>${escapeHtml(ex.title)}</h3>
<div class="demo" data-example="${escapeHtml(`${doc.name}/${ex.id}`)}">
${ex.html}
</div>
<figure class="code"><figcaption>HTML</figcaption>${highlight(ex.html, 'html')}</figure>
${script}
</article>`;
    })
    .join('\n');
}

function properties(doc: ComponentDoc, md: SafeMarkdown): string {
  if (doc.properties.length === 0) return none('No public properties.');
  return table(
    ['Property', 'Attribute', 'Type', 'Default', 'Description'],
    doc.properties.map((p) => [code(p.name), code(p.attribute), code(p.type), code(p.default), `${p.readonly ? '<em>Read-only.</em> ' : ''}${md.inline(p.description)}`]),
  );
}

function methods(doc: ComponentDoc, md: SafeMarkdown): string {
  if (doc.methods.length === 0) return none('No public methods.');
  return doc.methods
    .map((m) => {
      const params =
        m.parameters.length === 0
          ? ''
          : `<ul class="params">${m.parameters
              .map((p) => `<li>${code(p.name)}${p.optional ? ' (optional)' : ''}${p.type ? `: ${code(p.type)}` : ''}${p.description ? ` — ${md.inline(p.description)}` : ''}</li>`)
              .join('')}</ul>`;
      return `<div class="method" id="method-${escapeHtml(m.name)}"><h3>${code(m.signature)}</h3>${md.block(m.description)}${params}</div>`;
    })
    .join('\n');
}

function events(doc: ComponentDoc, md: SafeMarkdown): string {
  if (doc.events.length === 0) return none('Dispatches no events of its own.');
  return table(
    ['Event', 'detail', 'Description'],
    doc.events.map((e) => [code(e.name), e.detail ? code(e.detail) : '<em>none</em>', `${md.inline(e.description)}${e.type ? ` <span class="type">(${code(e.type)})</span>` : ''}`]),
  );
}

/** The examples' language switch: English and every locale the package ships (`patkit/locales/<lang>`). */
function languageSwitch(languages: string[]): string {
  const name = (lang: string): string => new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
  const options = ['en', ...languages.filter((l) => l !== 'en')].map((l) => `<option value="${escapeHtml(l)}">${escapeHtml(name(l))}</option>`).join('');
  return `<div class="controls"><label>Language of the examples <select id="demo-lang">${options}</select></label></div>`;
}

/** The page's HTML (inside the layout); `languages` are the package's locales. */
export function renderComponentPage(doc: ComponentDoc, list: Example[], md: SafeMarkdown, languages: string[] = []): string {
  const entry = `patkit/${doc.name}`;
  const importCode = `import '${entry}';`;
  return `<h1>${escapeHtml(doc.title)} ${code(`<${doc.tag}>`)}</h1>
<script type="module" src="/kit/esm/${escapeHtml(doc.name)}.js"></script>
<div class="summary">${md.block(doc.summary)}</div>
${section(
  'import',
  'Import',
  `${highlight(importCode, 'js')}
<p>This registers ${code(`<${doc.tag}>`)} (and the tags it uses). ${code(`import 'patkit';`)} registers every component at once;
${code(`import { ${doc.className} } from '${entry}.component';`)} gives the class alone, to register under a name of your own.</p>`,
)}
${section('examples', 'Examples', `<p>Each example runs live on the built package, against an in-memory demo server (<code>/docs/demo/provider.js</code>, a stand-in for <code>patkit/provider</code>).</p>\n${languageSwitch(languages)}\n${examples(doc, list)}`)}
${doc.description ? section('usage', 'Usage', md.block(doc.description)) : ''}
${section('properties', 'Properties and attributes', properties(doc, md))}
${section('methods', 'Methods', methods(doc, md))}
${section('events', 'Events', events(doc, md))}
${section('slots', 'Slots', doc.slots.length ? namedTable(doc.slots, 'Slot', md) : none('No slots.'))}
${section('css-parts', 'CSS parts', doc.cssParts.length ? namedTable(doc.cssParts, 'Part', md) : none('No CSS parts.'))}
${section('css-custom-properties', 'CSS custom properties', doc.cssProperties.length ? namedTable(doc.cssProperties, 'Property', md, true) : none('No CSS custom properties.'))}
`;
}

/** The Components index: one line per component, from the manifest. */
export function renderComponentIndex(docs: ComponentDoc[], md: SafeMarkdown): string {
  const rows = docs.map((d) => [`<a href="/components/${escapeHtml(d.name)}/">${escapeHtml(d.title)}</a>`, code(`<${d.tag}>`), md.inline(d.summary)]);
  return `<h1>Components</h1>
<p>Every element of the <code>patkit</code> package, generated from its <code>custom-elements.json</code>. Each page runs the built package live.</p>
${table(['Component', 'Tag', 'Summary'], rows)}`;
}
