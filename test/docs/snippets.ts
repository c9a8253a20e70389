/**
 * The runnable code blocks of README.md and docs/: a fenced block whose info string is `ts test` or
 * `js test` says "this runs as written". The docs site and GitHub highlight it by its first word
 * (`ts`, `js`) and ignore the marker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface Snippet {
  /** Repository-relative Markdown file. */
  file: string;
  /** 1-based line of the block's first code line in that file. */
  line: number;
  lang: 'ts' | 'js';
  code: string;
}

/** README.md and every Markdown file under docs/. */
export function markdownFiles(root: string = ROOT): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.md') ? [path] : [];
    });
  return [join(root, 'README.md'), ...walk(join(root, 'docs'))];
}

/** Every fenced block of `markdown` marked `ts test` or `js test`. */
export function snippetsOf(markdown: string, file: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; info: string; start: number; body: string[] } | null = null;
  lines.forEach((line, index) => {
    if (open) {
      if (line.trimStart().startsWith(open.fence)) {
        const marked = /^(ts|js)\s+test$/.exec(open.info);
        if (marked) snippets.push({ file, line: open.start + 1, lang: marked[1] as 'ts' | 'js', code: `${open.body.join('\n')}\n` });
        open = null;
      } else {
        open.body.push(line);
      }
      return;
    }
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) open = { fence: fence[1]!, info: fence[2]!.trim(), start: index + 1, body: [] };
  });
  return snippets;
}

/** Every runnable snippet of the README and the docs. */
export function allSnippets(root: string = ROOT): Snippet[] {
  return markdownFiles(root).flatMap((path) => snippetsOf(readFileSync(path, 'utf8'), relative(root, path)));
}
