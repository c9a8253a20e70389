/**
 * Editor files generated from custom-elements.json by break-stuff/cem-tools' generators, shipped in
 * the package so editors complete the `pat-*` tags, their attributes, events, slots, parts and
 * `--pat-*` properties:
 *
 * - `vscode.html-custom-data.json` and `vscode.css-custom-data.json` (custom-element-vs-code-integration):
 *   VS Code reads them once listed in `html.customData` / `css.customData` (see the package README);
 * - `web-types.json` (custom-element-jet-brains-integration): JetBrains IDEs find it through the
 *   package.json `web-types` field, with nothing for the user to set up.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateJetBrainsWebTypes } from 'custom-element-jet-brains-integration';
import { generateVsCodeCustomElementData } from 'custom-element-vs-code-integration';

export const EDITOR_FILES = { vscodeHtml: 'vscode.html-custom-data.json', vscodeCss: 'vscode.css-custom-data.json', webTypes: 'web-types.json' } as const;

/* eslint-disable @typescript-eslint/no-explicit-any -- manifest JSON */
export function writeEditorFiles(kit: string, manifest: any, pkg: { name: string; version: string }): void {
  const common = { outdir: kit, hideLogs: true, descriptionSrc: 'summary' as const, hideMethodDocs: false };
  generateVsCodeCustomElementData(manifest, { ...common, htmlFileName: EDITOR_FILES.vscodeHtml, cssFileName: EDITOR_FILES.vscodeCss });
  generateJetBrainsWebTypes(manifest, {
    ...common,
    webTypesFileName: EDITOR_FILES.webTypes,
    // Where each tag's class lives in the package, for "go to definition".
    modulePathTemplate: (_name: string, modulePath: string) => `./${modulePath}`,
  });
  // The generator names the package after the package.json of the directory it runs in (the
  // repository's); the file ships in the kit package, so it carries that one's name and version.
  const file = join(kit, EDITOR_FILES.webTypes);
  const webTypes = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify({ ...webTypes, name: pkg.name, version: pkg.version }, null, 2)}\n`);
}
