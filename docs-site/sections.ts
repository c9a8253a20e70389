/** The sidebar's sections, in order; a page names one in its front matter (`section:`). */
export const SECTIONS = ['Getting started', 'Guides', 'Components', 'Reference', 'Project'] as const;

export type Section = (typeof SECTIONS)[number];

/** A page without `section:` goes where its folder says (docs/guides/ → Guides), else Project. */
export function defaultSection(inputPath: string): Section {
  const path = inputPath.replace(/\\/g, '/');
  if (path.includes('/getting-started/')) return 'Getting started';
  if (path.includes('/guides/')) return 'Guides';
  return 'Project';
}

/** A page with no `title:` is named by its first Markdown heading, else by its file name. */
export function titleFrom(raw: string, fileSlug: string): string {
  const heading = /^#{1,2}[ \t]+(.+?)[ \t#]*$/m.exec(raw.replace(/^---\n[\s\S]*?\n---\n/, ''));
  if (heading) return heading[1]!.replace(/`/g, '').trim();
  const words = fileSlug.split(/[-_]/).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
