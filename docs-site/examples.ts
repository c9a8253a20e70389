/**
 * The component pages' examples: `docs-site/examples/<component>/<id>.html`, each with an optional
 * `<id>.js` beside it. The HTML's first line is a comment naming the example (`<!-- Empty -->`);
 * the rest is markup placed on the page as it is. The script is a module the page loads from
 * `/docs/examples/<component>/<id>.js` and shows word for word: what runs is what a reader copies.
 * Files sort by name, so a numeric prefix (`1-basic`) sets the order; the first is the live demo.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const EXAMPLES_DIR = join(import.meta.dirname, 'examples');

export interface Example {
  id: string;
  title: string;
  html: string;
  /** The module's source, '' when the example needs no script. */
  script: string;
}

export function examplesOf(component: string, dir: string = EXAMPLES_DIR): Example[] {
  const folder = join(dir, component);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.html'))
    .sort()
    .map((file) => {
      const id = file.slice(0, -'.html'.length);
      const source = readFileSync(join(folder, file), 'utf8');
      const heading = /^<!--\s*([\s\S]*?)\s*-->\n?/.exec(source);
      const scriptFile = join(folder, `${id}.js`);
      return {
        id,
        title: heading ? heading[1]! : id,
        html: heading ? source.slice(heading[0].length) : source,
        script: existsSync(scriptFile) ? readFileSync(scriptFile, 'utf8') : '',
      };
    });
}
