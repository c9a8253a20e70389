/**
 * The wizard's IP allow-list: one IPv4 / IPv6 address or CIDR range per line, checked before
 * anything is sent, and whether each entry lies inside a template's ranges (a template may only
 * be narrowed).
 */

export const MAX_IPS = 50;

interface Range {
  bits: 32 | 128;
  base: bigint;
  prefix: number;
}

function v4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function v6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:]+$/.test(text) || !text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): string[] | null => {
    if (h === '') return [];
    const g = h.split(':');
    return g.some((x) => x.length === 0 || x.length > 4) ? null : g;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<string>(missing).fill('0'), ...tail].reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** `203.0.113.0/24`, `2001:db8::/32` or a bare address (a /32 or /128); null when it is neither. */
export function parseRange(entry: string): Range | null {
  const [addr, prefixText, extra] = entry.split('/');
  if (extra !== undefined || !addr) return null;
  const four = v4(addr);
  const value = four ?? v6(addr);
  if (value === null) return null;
  const bits = four !== null ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return null;
  const host = (1n << BigInt(bits - prefix)) - 1n;
  return { bits, base: value & ~host, prefix };
}

/** Whether `inner` lies inside `outer` (same family, at least as narrow, same network). */
export function within(inner: Range, outer: Range): boolean {
  if (inner.bits !== outer.bits || inner.prefix < outer.prefix) return false;
  const host = (1n << BigInt(outer.bits - outer.prefix)) - 1n;
  return (inner.base & ~host) === outer.base;
}

/** The non-empty, trimmed lines of the textarea. */
export function ipLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export type IpProblem = { kind: 'invalid'; entries: string[] } | { kind: 'too-many' } | { kind: 'outside'; entries: string[] } | null;

/** What is wrong with the list, if anything; `limits` are a template's ranges (empty: none). */
export function ipProblem(lines: readonly string[], limits: readonly string[]): IpProblem {
  const bad = lines.filter((l) => parseRange(l) === null);
  if (bad.length > 0) return { kind: 'invalid', entries: bad };
  if (lines.length > MAX_IPS) return { kind: 'too-many' };
  const outer = limits.map(parseRange).filter((r): r is Range => r !== null);
  if (outer.length === 0) return null;
  if (lines.length === 0) return { kind: 'outside', entries: [] };
  const outside = lines.filter((l) => !outer.some((o) => within(parseRange(l)!, o)));
  return outside.length > 0 ? { kind: 'outside', entries: outside } : null;
}
