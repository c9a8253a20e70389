/**
 * Recognising a pasted secret by its prefix (lib/leaked.ts): every known kind, trimming, and the
 * refusals (empty, whitespace inside, absurd length, unknown prefix, wrong length or alphabet),
 * each with a message that says what to do and never repeats the value.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SECRET_LENGTH, SECRET_KINDS, knownKindsText, recognizeSecret } from '../../lib/leaked.ts';
import { PATKIT_TOKEN_PATTERN } from '../../lib/model.ts';

const b62 = (n: number): string => 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8'.repeat(10).slice(0, n);

test('each known prefix is recognised as its named kind, with its target', () => {
  const cases: Array<[string, string, string, string]> = [
    [`pat_${b62(36)}`, 'patkit', 'patkit', 'patkit personal access token'],
    [`glpat-${b62(20)}`, 'gitlab_pat', 'gitlab', 'GitLab personal access token'],
    [`glpat-${b62(27)}.01.0z1x2c3v4`, 'gitlab_pat', 'gitlab', 'GitLab personal access token'],
    [`npm_${b62(36)}`, 'npm', 'npm', 'npm access token'],
    [`ghp_${b62(36)}`, 'github_classic', 'github', 'GitHub classic personal access token'],
    [`github_pat_11ABCDEFG0_${b62(59)}`, 'github_fine_grained', 'github', 'GitHub fine-grained personal access token'],
    [`gho_${b62(36)}`, 'github_oauth', 'github', 'GitHub OAuth access token'],
    [`ghu_${b62(36)}`, 'github_user_to_server', 'github', 'GitHub user-to-server token'],
    [`ghs_${b62(36)}`, 'github_server_to_server', 'github', 'GitHub server-to-server token'],
    [`ghr_${b62(76)}`, 'github_refresh', 'github', 'GitHub refresh token'],
  ];
  for (const [value, id, target, label] of cases) {
    const r = recognizeSecret(value);
    assert.ok(r.ok, `${value}: ${r.ok ? '' : r.message}`);
    assert.equal(r.kind.id, id);
    assert.equal(r.kind.target, target);
    assert.equal(r.kind.label, label);
    assert.equal(r.secret, value);
  }
  assert.equal(new Set(SECRET_KINDS.map((k) => k.id)).size, SECRET_KINDS.length);
  // The patkit kind accepts exactly the server's published format.
  assert.ok(PATKIT_TOKEN_PATTERN.test(`pat_${b62(36)}`));
});

test('surrounding whitespace (a copied line break) is trimmed', () => {
  const value = `ghp_${b62(36)}`;
  const r = recognizeSecret(`  \t${value}\r\n`);
  assert.ok(r.ok);
  assert.equal(r.secret, value);
});

test('refusals say what to do, and never repeat the value', () => {
  const cases: Array<[string, string, RegExp, string | null]> = [
    ['', 'empty', /Paste the token/, null],
    ['   \n ', 'empty', /Paste the token/, null],
    [`ghp_${b62(18)} ${b62(18)}`, 'whitespace_inside', /spaces or line breaks inside/, null],
    [`pat_${b62(20)}\n${b62(16)}`, 'whitespace_inside', /in one piece/, null],
    [`ghp_${'a'.repeat(MAX_SECRET_LENGTH)}`, 'too_long', /longer than any token/, null],
    [`sk_live_${b62(30)}`, 'unknown_prefix', /Not recognised.*Known kinds: .*pat_ \(patkit personal access token\).*glpat- .*npm_ .*ghp_ .*github_pat_ .*gho_ .*ghu_ .*ghs_ .*ghr_ /, null],
    [`pat_${b62(10)}`, 'too_short', /patkit personal access token, but it is too short \(14 characters, expected 40\)/, 'patkit'],
    [`npm_${b62(37)}`, 'too_long_for_kind', /npm access token, but it is too long \(41 characters, expected 40\)/, 'npm'],
    [`ghp_${b62(30)}!!!!!!`, 'bad_characters', /GitHub classic personal access token, but it contains characters/, 'github_classic'],
    [`glpat-${b62(5)}`, 'too_short', /expected at least 26/, 'gitlab_pat'],
  ];
  for (const [value, problem, message, kind] of cases) {
    const r = recognizeSecret(value);
    assert.equal(r.ok, false, value);
    if (r.ok) continue;
    assert.equal(r.problem, problem, value);
    assert.match(r.message, message);
    assert.equal(r.kind?.id ?? null, kind);
    const trimmed = value.trim();
    if (trimmed.length > 8) assert.ok(!r.message.includes(trimmed.slice(4)), 'the message does not echo the value');
  }
  assert.match(knownKindsText(), /^pat_ \(patkit personal access token\), glpat- \(GitLab personal access token\), npm_ \(npm access token\), ghp_ \(GitHub classic personal access token\), github_pat_ /);
});

test('a non-string is refused as empty rather than throwing', () => {
  const r = recognizeSecret(undefined as unknown as string);
  assert.equal(r.ok, false);
});
