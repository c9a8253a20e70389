/**
 * The search box's index: every built page's title and its `h2`/`h3` headings with their ids,
 * read back from the HTML Eleventy wrote (so it holds exactly what the pages show).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SearchEntry {
  title: string;
  url: string;
  headings: Array<{ text: string; id: string }>;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function plain(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!)
    .replace(/\s+/g, ' ')
    .trim();
}

export function searchIndex(out: string, prefix = '/docs/'): SearchEntry[] {
  const entries: SearchEntry[] = [];
  for (const file of readdirSync(out, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!file.endsWith('index.html') || file.startsWith('kit/')) continue;
    const html = readFileSync(join(out, file), 'utf8');
    const title = plain(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '').replace(/ · patkit$/, '');
    const headings = [...html.matchAll(/<h[23][^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/h[23]>/g)].map((m) => ({ id: m[1]!, text: plain(m[2]!) }));
    entries.push({ title, url: prefix + file.replace(/index\.html$/, '').split('\\').join('/'), headings });
  }
  return entries;
}
