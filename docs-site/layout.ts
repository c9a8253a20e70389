/**
 * The one page layout: a sidebar built from every page's front matter (`title`, `section`,
 * `order`), the page's content, and the import map that lets examples write `import 'patkit/…'`
 * against the built package copied into the site. URLs here are site-absolute (`/components/…`);
 * Eleventy's base plugin prefixes them with `/docs/`.
 */
import { escapeHtml } from './html.ts';
import { SECTIONS } from './sections.ts';

export interface PageData {
  title?: string;
  section?: string;
  order?: number;
  nav?: boolean;
}

interface CollectionItem {
  url: string | false;
  data: PageData;
}

export interface LayoutData extends PageData {
  content: string;
  page: { url: string };
  collections: { all: CollectionItem[] };
  /** The import map's JSON (scripts/build-docs.ts): same on every page. */
  importMap: string;
  /** A page that needs the whole width (the API reference): a top bar instead of the sidebar. */
  bare?: boolean;
}

interface NavItem {
  title: string;
  url: string;
  order: number;
}

/** Sections in their fixed order, each with its pages by `order` then title. */
export function navigation(items: CollectionItem[]): Array<{ section: string; pages: NavItem[] }> {
  const groups = new Map<string, NavItem[]>(SECTIONS.map((s) => [s, []]));
  for (const item of items) {
    if (typeof item.url !== 'string' || item.url === '/' || item.data.nav === false || !item.data.title) continue;
    const section = groups.has(item.data.section ?? '') ? item.data.section! : 'Project';
    groups.get(section)!.push({ title: item.data.title, url: item.url, order: item.data.order ?? 100 });
  }
  return [...groups]
    .filter(([, pages]) => pages.length > 0)
    .map(([section, pages]) => ({ section, pages: pages.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title)) }));
}

function sidebar(data: LayoutData): string {
  const groups = navigation(data.collections.all).map(({ section, pages }) => {
    const links = pages
      .map((p) => `<li><a href="${escapeHtml(p.url)}"${p.url === data.page.url ? ' aria-current="page"' : ''}>${escapeHtml(p.title)}</a></li>`)
      .join('');
    return `<h2>${escapeHtml(section)}</h2><ul>${links}</ul>`;
  });
  return `<nav class="sidebar" aria-label="Documentation">
<a class="brand" href="/">patkit</a>
<form class="search" role="search"><label for="site-search">Search</label><input id="site-search" name="q" type="search" placeholder="Search the docs" autocomplete="off"><ul id="site-search-results" hidden></ul></form>
${groups.join('\n')}
<div class="controls"><label>Theme <select id="site-theme"><option value="">System</option><option value="light">Light</option><option value="dark">Dark</option></select></label></div>
</nav>`;
}

export function renderLayout(data: LayoutData): string {
  const title = !data.title ? 'patkit' : /\bpatkit\b/.test(data.title) ? data.title : `${data.title} · patkit`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/site.css">
<script type="importmap">${data.importMap}</script>
<script type="module" src="/assets/search.js"></script>
<script type="module" src="/assets/controls.js"></script>
</head>
<body${data.bare ? ' class="bare"' : ''}>
${data.bare ? '<nav class="topbar" aria-label="Documentation"><a class="brand" href="/">patkit</a> <a href="/">Documentation</a> <a href="/components/">Components</a></nav>' : sidebar(data)}
<main id="content">
${data.content}
</main>
</body>
</html>
`;
}
