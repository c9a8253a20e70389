/** Code blocks the site writes itself (component pages), highlighted as Markdown's fences are: Prism, at build time. */
import syntaxHighlight from '@11ty/eleventy-plugin-syntaxhighlight';

export { syntaxHighlight };

/** `<pre><code>` with Prism's token spans; the code is escaped by Prism. */
export function highlight(code: string, language: 'js' | 'html'): string {
  return syntaxHighlight.pairedShortcode(code, language, '', { lineSeparator: '\n' });
}
