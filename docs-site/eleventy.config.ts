/**
 * The documentation site's Eleventy configuration (scripts/build-docs.ts passes it to Eleventy):
 * Markdown pages from `docs/`, one page per component from the built package's manifest, the HTTP
 * API page, all in one layout with the sidebar built from front matter.
 *
 * Sources stay readable on GitHub: they link to each other as relative `.md` files (with
 * `#anchors`), which the build rewrites to the pages' URLs; a link to a repository file outside
 * `docs/` goes to that file on GitHub. Headings get GitHub's ids, so the same anchors work in both.
 */
import { readFileSync } from 'node:fs';
import { dirname, posix, relative, resolve } from 'node:path';
import { HtmlBasePlugin, InputPathToUrlTransformPlugin } from '@11ty/eleventy';
import { slug } from 'github-slugger';
import MarkdownIt, { type MarkdownIt as Markdown } from 'markdown-it';
import markdownItAnchor from 'markdown-it-anchor';
import { renderApiPage } from './api-page.ts';
import { syntaxHighlight } from './highlight.ts';
import { renderComponentIndex, renderComponentPage, type SafeMarkdown } from './component-page.ts';
import { examplesOf } from './examples.ts';
import { renderLayout, type LayoutData } from './layout.ts';
import { renderScopesPage } from './scopes-page.ts';
import type { ComponentDoc } from './manifest.ts';
import { defaultSection, titleFrom } from './sections.ts';
import { SCOPES_PAGE } from '../server/catalog/catalog.ts';

/**
 * Eleventy's settings that only a config file can give (scripts/build-docs.ts names this file):
 * Markdown is Markdown, never run through a template language first, so a page may show
 * `{{ value }}` (Vue, Angular) or `{% … %}` as it is.
 */
export const config = { markdownTemplateEngine: false, htmlTemplateEngine: false };

/** Where the repository is published; links to its files outside `docs/` point there. */
export const REPOSITORY_URL = 'https://github.com/patkit/patkit';
export const PATH_PREFIX = '/docs/';

export interface SiteOptions {
  /** Repository root. */
  root: string;
  /** The pages' folder, relative to the root (`docs`). */
  input: string;
  /** The components to give pages (docs-site/manifest.ts, from the built package). */
  components: ComponentDoc[];
  /** The import map's JSON, put on every page. */
  importMap: string;
  /** The locales the package ships (`patkit/locales/<lang>`), for the examples' language switch. */
  languages: string[];
  /** The built package's README (its entries table is generated): the "patkit package" page. */
  packageReadme: string;
}

/** The parts of Eleventy's configuration API this file uses (Eleventy ships no TypeScript types). */
interface EleventyConfig {
  setLibrary(name: 'md', library: Markdown): void;
  addPlugin(plugin: unknown, options?: Record<string, unknown>): void;
  addGlobalData(name: string, value: unknown): void;
  addTemplate(path: string, content: unknown, data?: Record<string, unknown>): void;
  addPassthroughCopy(glob: string): void;
  setTemplateFormats(formats: string[]): void;
  setUseGitIgnore(use: boolean): void;
  htmlTransformer: { addUrlTransform(extensions: string, fn: (this: { page: { inputPath: string } }, url: string) => string): void };
}

interface PageInfo {
  inputPath: string;
  fileSlug: string;
}

/** A Markdown page's source ('' for generated pages, which name themselves). */
function pageSource(page: PageInfo): string {
  if (!page.inputPath.endsWith('.md')) return '';
  try {
    return readFileSync(page.inputPath, 'utf8');
  } catch {
    return '';
  }
}

/** GitHub's heading ids, so `file.md#heading` works on GitHub and on the site alike. */
export function siteMarkdown(): Markdown {
  return new MarkdownIt({ html: true, linkify: false }).use(markdownItAnchor, { slugify: (text: string) => slug(text), tabIndex: false });
}

/** For text from the manifest: Markdown, with any raw HTML shown as text. */
export function safeMarkdown(): SafeMarkdown {
  const md = new MarkdownIt({ html: false, linkify: false });
  return { block: (source) => (source ? md.render(source) : ''), inline: (source) => (source ? md.renderInline(source) : '') };
}

/**
 * A relative URL the `.md` rewrite left alone, read as GitHub reads it: relative to the source
 * file. Inside the pages' folder it becomes a site path (`../shot.png` in `guides/x.md` is
 * `/shot.png`, whatever depth the page's URL has); elsewhere in the repository (the pages' folder
 * sits at its top) it goes to that file or folder on GitHub. `inputPath` is the page's path from
 * `root`, as Eleventy gives it; `input` is the pages' folder from `root`.
 */
export function sourceRelativeLink(root: string, input: string, inputPath: string, url: string): string {
  if (/^[a-z][a-z0-9+.-]*:|^\/|^#|^\?/i.test(url) || url === '') return url;
  const [, path = '', suffix = ''] = /^([^?#]*)(.*)$/.exec(url) ?? [];
  const pages = resolve(root, input);
  const target = resolve(root, dirname(inputPath), path);
  const slash = path.endsWith('/') ? '/' : '';
  const inPages = relative(pages, target).split('\\').join('/');
  if (!inPages.startsWith('..')) return `/${inPages ? `${inPages}${slash}` : ''}${suffix}`;
  const inRepository = relative(dirname(pages), target).split('\\').join('/');
  if (inRepository.startsWith('..')) return url;
  const kind = slash || !/\.[a-z0-9]+$/i.test(inRepository) ? 'tree' : 'blob';
  return `${REPOSITORY_URL}/${kind}/main/${posix.normalize(inRepository)}${slash}${suffix}`;
}

export function configureSite(options: SiteOptions): (config: EleventyConfig) => void {
  return (config) => {
    const safe = safeMarkdown();
    config.setTemplateFormats(['md', '11ty.js']);
    // Pages are whatever is in the input folder; the repository's ignore list is about build output.
    config.setUseGitIgnore(false);
    config.setLibrary('md', siteMarkdown());
    config.addPassthroughCopy(`${options.input}/**/*.{png,svg,jpg,webp}`);
    config.addGlobalData('layout', 'page.11ty.js');
    config.addGlobalData('importMap', options.importMap);
    config.addGlobalData('components', options.components);
    // Eleventy calls a global data function once, so each computed value is a function returning one.
    config.addGlobalData('eleventyComputed.title', () => (data: { title?: string; page: PageInfo }) => data.title || titleFrom(pageSource(data.page), data.page.fileSlug));
    config.addGlobalData('eleventyComputed.section', () => (data: { section?: string; page: PageInfo }) => data.section || defaultSection(data.page.inputPath));

    config.addTemplate('_includes/page.11ty.js', { render: (data: LayoutData) => renderLayout(data) });
    config.addTemplate('_includes/bare.11ty.js', { render: (data: LayoutData) => renderLayout({ ...data, bare: true }) });

    config.addTemplate(
      'components/component.11ty.js',
      {
        data: {
          pagination: { data: 'components', size: 1, alias: 'component', addAllPagesToCollections: true },
          permalink: (data: { component: ComponentDoc }) => `/components/${data.component.name}/`,
          section: 'Components',
          eleventyComputed: { title: (data: { component: ComponentDoc }) => data.component.title },
        },
        render: (data: { component: ComponentDoc }) => renderComponentPage(data.component, examplesOf(data.component.name), safe, options.languages),
      },
    );
    config.addTemplate('components/index.11ty.js', {
      data: { permalink: '/components/', title: 'All components', section: 'Components', order: 0 },
      render: () => renderComponentIndex(options.components, safe),
    });
    config.addTemplate('reference/package.md', options.packageReadme, { permalink: '/reference/package/', title: 'The patkit package', section: 'Reference', order: 1 });
    config.addTemplate('reference/scopes.11ty.js', {
      data: { permalink: SCOPES_PAGE.slice(PATH_PREFIX.length - 1), title: 'Scopes and roles', section: 'Reference', order: 5 },
      render: () => renderScopesPage(),
    });
    config.addTemplate('api/index.11ty.js', {
      data: { permalink: '/api/', title: 'HTTP API', section: 'Reference', order: 0, layout: 'bare.11ty.js' },
      render: () => renderApiPage(),
    });

    config.addPlugin(syntaxHighlight, { templateFormats: ['md'] });
    // Order matters: `.md` paths to page URLs, then other relative URLs as GitHub reads them, then the `/docs/` prefix.
    config.addPlugin(InputPathToUrlTransformPlugin);
    config.addPlugin((c: EleventyConfig) =>
      c.htmlTransformer.addUrlTransform('html', function (url) {
        return sourceRelativeLink(options.root, options.input, this.page.inputPath, url);
      }),
    );
    config.addPlugin(HtmlBasePlugin);
  };
}
