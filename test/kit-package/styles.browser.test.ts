/**
 * Every element of the BUILT package carries its styles (dist/kit, from `npm run build:kit`, which
 * `npm test` runs before the browser suite): in each host (the one-file bundle, the classic loader,
 * every ESM entry) each `pat-*` tag defined, and each class a `.component` entry exports, has
 * `elementStyles` whose every entry has non-empty CSS text. A sheet the build mangles (an escape
 * that is invalid in a tagged template makes Lit's cooked string undefined) is dropped by Lit
 * without a word, so the element renders unstyled; this is where that shows. Each host runs in its
 * own iframe, starting with nothing defined.
 */
import { expect } from '@open-wc/testing';
import { COMPONENTS, REGISTERS } from '../../kit-package/components.ts';
import { describe, it } from '../support/mocha.ts';

const ALL_TAGS = COMPONENTS.map((c) => `pat-${c}`);

/** What one element class's styles look like: how many entries, and which of them have no CSS text. */
interface StylesReport {
  name: string;
  styles: number;
  empty: number[];
}

/**
 * Runs in the iframe (serialised into its module script): `elementStyles` of a class, each entry a
 * CSSResult (cssText) or a CSSStyleSheet (its rules).
 */
const REPORT = `
function report(name, cls) {
  const styles = cls.elementStyles ?? [];
  const empty = [];
  styles.forEach((s, i) => {
    const text = s instanceof CSSStyleSheet ? [...s.cssRules].map((r) => r.cssText).join('') : s.cssText;
    if (typeof text !== 'string' || text.trim() === '') empty.push(i);
  });
  return { name, styles: styles.length, empty };
}
function definedTags() {
  return ${JSON.stringify(ALL_TAGS)}.filter((t) => customElements.get(t)).map((t) => report(t, customElements.get(t)));
}`;

/** Runs `body` (module code that sets `window.result`) in a fresh iframe after `head`, and returns the result. */
async function inFrame(probe: string, body: string, head = ''): Promise<StylesReport[]> {
  const res = await fetch(probe, { method: 'HEAD' });
  if (!res.ok) throw new Error(`${probe} is missing: run \`npm run build:kit\` first (npm test does)`);
  const iframe = document.createElement('iframe');
  iframe.srcdoc = `<!doctype html>${head}<script type="module">${REPORT}
try { ${body} } catch (error) { window.result = { error: String(error) }; }
window.parent.postMessage(window.result, '*');</script>`;
  const answer = new Promise<StylesReport[] | { error: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from the frame loading ${probe}`)), 10_000);
    window.addEventListener('message', function onMessage(event: MessageEvent) {
      if (event.source !== iframe.contentWindow) return;
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      resolve(event.data as StylesReport[] | { error: string });
    });
  });
  document.body.append(iframe);
  try {
    const result = await answer;
    if (!Array.isArray(result)) throw new Error(`the frame loading ${probe} failed: ${result.error}`);
    return result;
  } finally {
    iframe.remove();
  }
}

/** Every reported class has at least one style, and no style without CSS text. */
function expectStyled(reports: StylesReport[], expected: string[]): void {
  expect(reports.map((r) => r.name).sort()).to.deep.equal([...expected].sort());
  for (const r of reports) {
    expect(r.styles, `${r.name} has styles`).to.be.greaterThan(0);
    expect(r.empty, `${r.name}: elementStyles entries without CSS text`).to.deep.equal([]);
  }
}

describe('built package: every element carries its styles', () => {
  it('patkit/bundle (patkit-kit.js): every tag, the lazily loaded ones included', async () => {
    const body = `const kit = await import('/dist/kit/patkit-kit.js'); for (const tag of kit.LAZY_TAGS) await kit.loadElement(tag); window.result = definedTags();`;
    expectStyled(await inFrame('/dist/kit/patkit-kit.js', body), ALL_TAGS);
  });

  it('patkit/loader (loader.js): every tag once window.patkitReady and patkitWhenDefined resolve', async () => {
    const body = `await window.patkitReady; for (const tag of ${JSON.stringify(ALL_TAGS)}) await window.patkitWhenDefined(tag); window.result = definedTags();`;
    expectStyled(await inFrame('/dist/kit/loader.js', body, '<script src="/dist/kit/loader.js"></script>'), ALL_TAGS);
  });

  it('patkit (esm/index.js): every tag it defines', async () => {
    const body = `await import('/dist/kit/esm/index.js'); window.result = definedTags();`;
    const reports = await inFrame('/dist/kit/esm/index.js', body);
    expect(reports.length, 'the index defines tags').to.be.greaterThan(0);
    expectStyled(reports, reports.map((r) => r.name));
  });

  for (const name of COMPONENTS) {
    it(`patkit/${name} (esm/${name}.js): every tag it defines`, async () => {
      const body = `await import('/dist/kit/esm/${name}.js'); window.result = definedTags();`;
      expectStyled(await inFrame(`/dist/kit/esm/${name}.js`, body), REGISTERS[name].map((t) => `pat-${t}`));
    });

    it(`patkit/${name}.component: the exported class, registered by a host under its own name`, async () => {
      const body = `const mod = await import('/dist/kit/esm/${name}.component.js');
        const classes = Object.entries(mod).filter(([, v]) => typeof v === 'function' && typeof v.finalize === 'function');
        window.result = classes.map(([key, cls], i) => { customElements.define('host-styles-' + i, cls); return report(key, cls); });`;
      const reports = await inFrame(`/dist/kit/esm/${name}.component.js`, body);
      expect(reports.length, `${name}.component exports an element class`).to.be.greaterThan(0);
      expectStyled(reports, reports.map((r) => r.name));
    });
  }
});
