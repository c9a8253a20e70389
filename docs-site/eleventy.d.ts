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
