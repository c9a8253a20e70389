/**
 * Eleventy 3 ships no TypeScript declarations; these are the parts scripts/build-docs.ts and
 * docs-site/eleventy.config.ts use (the programmatic API and two bundled plugins).
 */
declare module '@11ty/eleventy' {
  export default class Eleventy {
    constructor(input: string, output: string, options?: { quietMode?: boolean; pathPrefix?: string; configPath?: string; config?: (config: never) => void });
    write(): Promise<unknown>;
  }
  export const HtmlBasePlugin: unknown;
  export const InputPathToUrlTransformPlugin: unknown;
}

declare module '@11ty/eleventy-plugin-syntaxhighlight' {
  interface SyntaxHighlight {
    (config: unknown, options?: Record<string, unknown>): void;
    /** Prism-highlighted, escaped `<pre><code>` for `content` in `language`. */
    pairedShortcode(content: string, language: string, highlightLines?: string, options?: { lineSeparator?: string }): string;
  }
  const plugin: SyntaxHighlight;
  export default plugin;
}
