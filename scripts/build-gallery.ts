/**
 * `npm run build:gallery`: the kit's documentation page as static files in `dist/gallery/`
 * (index.html, gallery.css, gallery.js with the kit and the demo provider bundled, and a fresh
 * custom-elements.json, the package's own manifest, for the API tables). `npm start` serves it
 * at `/kit/`; any static host can serve the folder as it is.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildManifest } from '../kit-package/manifest.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GALLERY_DIR = join(ROOT, 'dist', 'gallery');

export async function buildGallery(out = GALLERY_DIR): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'gallery', 'main.ts')],
    outfile: join(out, 'gallery.js'),
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'gallery.css']) copyFileSync(join(ROOT, 'gallery', file), join(out, file));
  // The package's own manifest (kit-package/manifest.ts: parts, --pat-* tokens with defaults,
  // typed events), the one the manifest test holds against the templates and styles.
  writeFileSync(join(out, 'custom-elements.json'), `${JSON.stringify(buildManifest(ROOT), null, 2)}\n`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildGallery();
  console.log(`gallery: ${out}`);
}
