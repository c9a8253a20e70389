/**
 * IP allow-list entries (IPv4 / IPv6 CIDR ranges or bare addresses) as a template holds them:
 * checked with ipaddr.js, written in one canonical form, and compared for "inside one of these".
 */
import ipaddr from 'ipaddr.js';
import { problems } from '../http/problems.ts';

export const MAX_ALLOWED_IPS = 50;

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** The range an entry means, or null when it is not an address or CIDR range. */
export function parseRange(entry: string): Range | null {
  try {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const address = ipaddr.parse(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** The entries in canonical form (`203.0.113.0/24`, `2001:db8::/32`, a bare address as /32 or /128), or a 400 naming `field`. */
export function canonicalRanges(entries: readonly string[], field = 'allowed_ips'): string[] {
  if (entries.length > MAX_ALLOWED_IPS) throw problems.field(field, `At most ${MAX_ALLOWED_IPS} addresses or ranges.`);
  const out: string[] = [];
  for (const entry of entries) {
    const range = parseRange(entry.trim());
    if (!range) throw problems.field(field, `"${entry.slice(0, 60)}" is not an IPv4 or IPv6 address or CIDR range (such as 203.0.113.0/24 or 2001:db8::/32).`);
    const [address, bits] = range;
    const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
    const text = `${network.toString()}/${bits}`;
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

/** True when the range `inner` lies wholly inside the range `outer` (same address family). */
export function rangeInside(inner: string, outer: string): boolean {
  const a = parseRange(inner);
  const b = parseRange(outer);
  if (!a || !b || a[0].kind() !== b[0].kind()) return false;
  return a[1] >= b[1] && (a[0] as ipaddr.IPv4).match(b as [ipaddr.IPv4, number]);
}
