/**
 * Recognising a pasted secret: which kind of token it is, by its published prefix, so the
 * "Revoke a leaked token" flow knows where it belongs (a configured patkit, GitLab or npm server,
 * or GitHub's public revocation API). Framework-free and side-effect-free: the value is only
 * looked at, never kept, logged or sent anywhere by this module.
 */

/** The host permission the extension asks for when a GitHub token is reported (lib/github-revoke.ts calls that API). */
export const GITHUB_API_PERMISSION = 'https://api.github.com/*';

/** Where a recognised secret is revoked: a configured server of that provider kind, or GitHub. */
export type LeakedSecretTarget = 'patkit' | 'gitlab' | 'npm' | 'github';

export interface SecretKind {
  /** Stable id, for translations and tests (`github_classic`, `gitlab_pat`, …). */
  id: string;
  target: LeakedSecretTarget;
  prefix: string;
  /** English name of the kind ("GitHub fine-grained personal access token"). */
  label: string;
  /** Characters after the prefix (inclusive bounds) and the characters they may use. */
  body: { min: number; max: number; chars: RegExp };
}

const BASE62 = /^[0-9A-Za-z]+$/;

/**
 * The kinds patkit knows, longest prefix first where one prefix starts another. Lengths follow
 * each vendor's published format: patkit `pat_` + 36 base62 (docs/security.md rule 1), npm `npm_` + 36,
 * GitHub `gh?_` + 36 (refresh tokens are longer) and `github_pat_` + 82, GitLab `glpat-` + 20 or
 * more (newer GitLab versions add a routing part with dots).
 */
export const SECRET_KINDS: readonly SecretKind[] = [
  { id: 'github_fine_grained', target: 'github', prefix: 'github_pat_', label: 'GitHub fine-grained personal access token', body: { min: 40, max: 255, chars: /^[0-9A-Za-z_]+$/ } },
  { id: 'github_classic', target: 'github', prefix: 'ghp_', label: 'GitHub classic personal access token', body: { min: 36, max: 255, chars: BASE62 } },
  { id: 'github_oauth', target: 'github', prefix: 'gho_', label: 'GitHub OAuth access token', body: { min: 36, max: 255, chars: BASE62 } },
  { id: 'github_user_to_server', target: 'github', prefix: 'ghu_', label: 'GitHub user-to-server token', body: { min: 36, max: 255, chars: BASE62 } },
  { id: 'github_server_to_server', target: 'github', prefix: 'ghs_', label: 'GitHub server-to-server token', body: { min: 36, max: 255, chars: BASE62 } },
  { id: 'github_refresh', target: 'github', prefix: 'ghr_', label: 'GitHub refresh token', body: { min: 36, max: 255, chars: BASE62 } },
  { id: 'gitlab_pat', target: 'gitlab', prefix: 'glpat-', label: 'GitLab personal access token', body: { min: 20, max: 255, chars: /^[0-9A-Za-z_.-]+$/ } },
  { id: 'npm', target: 'npm', prefix: 'npm_', label: 'npm access token', body: { min: 36, max: 36, chars: BASE62 } },
  { id: 'patkit', target: 'patkit', prefix: 'pat_', label: 'patkit personal access token', body: { min: 36, max: 36, chars: BASE62 } },
];

/** Longer than any token format: a paste of a whole file or log, not a token. */
export const MAX_SECRET_LENGTH = 512;

export type RecognitionProblem = 'empty' | 'too_long' | 'whitespace_inside' | 'unknown_prefix' | 'bad_characters' | 'too_short' | 'too_long_for_kind';

export type Recognition =
  | { ok: true; kind: SecretKind; /** The trimmed value: what is sent, once, to the server it belongs to. */ secret: string }
  | { ok: false; problem: RecognitionProblem; /** Set when the prefix was recognised but the rest is wrong. */ kind: SecretKind | null; message: string };

/** "pat_ (patkit personal access token), glpat- (…), …": for "not recognised" messages. */
export function knownKindsText(): string {
  const order: LeakedSecretTarget[] = ['patkit', 'gitlab', 'npm', 'github'];
  const shown = [...SECRET_KINDS].sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target) || (a.id === 'github_classic' ? -1 : b.id === 'github_classic' ? 1 : 0));
  return shown.map((k) => `${k.prefix} (${k.label})`).join(', ');
}

/**
 * Which kind of token `input` is. Surrounding whitespace (a copied line break) is trimmed;
 * whitespace inside, an absurd length, an unknown prefix or a body of the wrong length or
 * alphabet is refused with a sentence that says what to do. Messages never repeat the value.
 */
export function recognizeSecret(input: string): Recognition {
  const secret = typeof input === 'string' ? input.trim() : '';
  const fail = (problem: RecognitionProblem, message: string, kind: SecretKind | null = null): Recognition => ({ ok: false, problem, kind, message });
  if (secret === '') return fail('empty', 'Paste the token you want to revoke.');
  if (secret.length > MAX_SECRET_LENGTH) {
    return fail('too_long', `That is ${secret.length} characters long, longer than any token (at most ${MAX_SECRET_LENGTH}). Paste the token alone, not the text around it.`);
  }
  if (/\s/.test(secret)) return fail('whitespace_inside', 'That value has spaces or line breaks inside. Paste the token alone, in one piece.');
  const kind = SECRET_KINDS.find((k) => secret.startsWith(k.prefix));
  if (!kind) return fail('unknown_prefix', `Not recognised as a token patkit can revoke. Known kinds: ${knownKindsText()}.`);
  const body = secret.slice(kind.prefix.length);
  if (!kind.body.chars.test(body)) {
    return fail('bad_characters', `That looks like a ${kind.label}, but it contains characters such tokens never have. Copy it again from where it leaked.`, kind);
  }
  const expected = kind.body.min === kind.body.max ? `${kind.prefix.length + kind.body.min}` : `at least ${kind.prefix.length + kind.body.min}`;
  if (body.length < kind.body.min) {
    return fail('too_short', `That looks like a ${kind.label}, but it is too short (${secret.length} characters, expected ${expected}). Copy the whole value.`, kind);
  }
  if (body.length > kind.body.max) {
    return fail('too_long_for_kind', `That looks like a ${kind.label}, but it is too long (${secret.length} characters, expected ${kind.body.min === kind.body.max ? expected : `at most ${kind.prefix.length + kind.body.max}`}). Paste the token alone.`, kind);
  }
  return { ok: true, kind, secret };
}
