/**
 * The build's CSS minifying pass (scripts/build-kit.ts) writes esbuild's output back into css`…`
 * templates: what Lit's css tag then reads (the template's cooked string) must be exactly that CSS,
 * whatever backslashes, backticks or `${` it holds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minifyCssTemplates, templateLiteralText } from '../../scripts/build-kit.ts';

/** The cooked string of a one-part template literal with this body, as Lit's css tag sees it. */
function cooked(body: string): string | undefined {
  const tag = (strings: TemplateStringsArray): string | undefined => strings[0];
  return new Function('tag', `return tag\`${body}\`;`)(tag) as string | undefined;
}

test('templateLiteralText: the cooked string is the text again, for every backslash, backtick and ${', () => {
  for (const text of ['a{content:"\\2713"}', '.x::after{content:"\\`"}', 'b{--x:"${y}"}', '\\', '\\\\u{41}', '`', '$', '${', 'plain{}']) {
    assert.equal(cooked(templateLiteralText(text)), text, text);
  }
});

test("minifyCssTemplates: content:'✓' stays a valid template whose cooked text is the minified CSS", () => {
  const out = minifyCssTemplates("const s = css`\n  .done::before {\n    content: '✓';\n  }\n`;");
  const body = /css`([^`]*)`/.exec(out)?.[1];
  assert.ok(body !== undefined, out);
  const text = cooked(body);
  assert.equal(typeof text, 'string', `the css template ${body} cooks to a string`);
  assert.match(text!, /^\.done:+before\{content:"(\\2713|✓)"\}$/);
});
