/**
 * `npm run build:gallery`: the kit's documentation page as static files in `dist/gallery/`
 * (index.html, gallery.css, gallery.js with the kit and the demo provider bundled, and a fresh
 * custom-elements.json from `cem analyze --litelement` for the API tables). `npm start` serves it
 * at `/kit/`; any static host can serve the folder as it is.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
  // The same analysis as the kit's build (scripts/build-kit.ts), written next to the page (cem
  // joins --outdir to its working directory, hence the relative path).
  // cem also points package.json's `customElements` at what it wrote: keep the project's file as it was.
  const packageJson = readFileSync(join(ROOT, 'package.json'));
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js'), 'analyze', '--litelement', '--globs', 'components/**/*.ts', '--exclude', 'components/**/*.styles.ts', '--outdir', relative(ROOT, out)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (!readFileSync(join(ROOT, 'package.json')).equals(packageJson)) writeFileSync(join(ROOT, 'package.json'), packageJson);
  if (result.status !== 0) throw new Error(`cem analyze failed:\n${result.stderr || result.stdout}`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildGallery();
  console.log(`gallery: ${out}`);
}
