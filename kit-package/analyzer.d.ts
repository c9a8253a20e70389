/**
 * The analyzer's JS API (index.js exports `create` and `ts`) and its Lit feature set, which its
 * index.d.ts does not declare. Only what kit-package/manifest.ts uses.
 */
import type * as TS from 'typescript';
import type { Plugin } from '@custom-elements-manifest/analyzer';

declare module '@custom-elements-manifest/analyzer' {
  export function create(options: { modules: TS.SourceFile[]; plugins?: Plugin[]; context?: Record<string, unknown> }): unknown;
  export const ts: typeof TS;
}
