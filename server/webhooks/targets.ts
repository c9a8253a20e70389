/**
 * Where a webhook may point (SSRF): https only, and every address its host resolves to must be a
 * public one, checked when the webhook is saved and again before each delivery (DNS can change in
 * between: rebinding). The request then connects to exactly the address that was checked. The admin
 * setting `allow_private_webhook_targets` lifts both rules (http, loopback, private networks).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['100::', 64], // discard
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv6');
}

/** The 32 bits of `parts` from group `at` (two 16-bit groups) as an IPv4 address; `flip` undoes Teredo's obfuscation. */
function ipv4At(parts: number[], at: number, flip = false): string {
  const value = ((parts[at]! << 16) | parts[at + 1]!) ^ (flip ? 0xffffffff : 0);
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

/**
 * What an IPv6 address wraps (docs/security.md rule 31): the IPv4 addresses it leads to, `'opaque'`
 * for a wrapping form whose IPv4 cannot be told, or null for a plain IPv6 address.
 * - IPv4-mapped `::ffff:0:0/96`, IPv4-translated `::ffff:0:0:0/96`, IPv4-compatible `::/96` and
 *   NAT64 `64:ff9b::/96`: the last 32 bits.
 * - Local-use NAT64 `64:ff9b:1::/48`: the operator picks where the IPv4 sits (RFC 6052 prefix
 *   lengths), so only the `64:ff9b:1::a.b.c.d` form can be judged; any other is opaque.
 * - 6to4 `2002::/16`: bits 16–47.
 * - Teredo `2001::/32`: the server in bits 32–63 and the client in the last 32 bits, inverted; both judged.
 */
export function wrappedIpv4(address: ipaddr.IPv6): string[] | 'opaque' | null {
  const p = address.parts;
  const zeros = (from: number, to: number) => p.slice(from, to).every((g) => g === 0);
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return [ipv4At(p, 6)];
    case 'rfc6052':
      return p[2] === 0 || zeros(3, 6) ? [ipv4At(p, 6)] : 'opaque';
    case '6to4':
      return [ipv4At(p, 1)];
    case 'teredo':
      return [ipv4At(p, 2), ipv4At(p, 6, true)];
    default:
      return zeros(0, 6) ? [ipv4At(p, 6)] : null; // IPv4-compatible (deprecated); :: and ::1 land in 0.0.0.0/8
  }
}

/**
 * True for loopback, private, link-local, CGNAT, unspecified, multicast and reserved addresses, and
 * for an IPv6 address that wraps one of those (or wraps an IPv4 address that cannot be told).
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: never trusted
  let parsed: ipaddr.IPv6;
  try {
    parsed = ipaddr.IPv6.parse(address);
  } catch {
    return true;
  }
  const wrapped = wrappedIpv4(parsed);
  if (wrapped === 'opaque') return true;
  if (wrapped !== null) return wrapped.some((v4) => BLOCKED.check(v4, 'ipv4'));
  return BLOCKED.check(parsed.toNormalizedString(), 'ipv6');
}

export class TargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefused';
  }
}

export interface ResolvedTarget {
  url: URL;
  /** The host without IPv6 brackets. */
  host: string;
  /** The address the request connects to (checked). */
  address: string;
  family: 4 | 6;
}

const LOOKUP_TIMEOUT_MS = 5_000;

/** Every address a host name resolves to (the system resolver unless a test passes its own). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

async function resolveAll(host: string): Promise<{ address: string; family: number }[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TargetRefused(`${host} did not resolve within ${LOOKUP_TIMEOUT_MS / 1000} s.`)), LOOKUP_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    if (error instanceof TargetRefused) throw error;
    throw new TargetRefused(`${host} does not resolve to an address (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'}).`);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL's shape alone (no DNS): a parsed http(s) URL without credentials, or the reason it is refused. */
export function parseTarget(value: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TargetRefused('url is not a valid absolute URL, e.g. https://hooks.example.com/patkit.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefused('url must start with https://.');
  if (url.protocol === 'http:' && !allowPrivate) {
    throw new TargetRefused('url must use https: plain http is allowed only when the setting allow_private_webhook_targets is on.');
  }
  if (url.username || url.password) throw new TargetRefused('url must not carry a user name or password: authenticate deliveries by their signature.');
  if (url.hash) throw new TargetRefused('url must not have a #fragment.');
  return url;
}

/**
 * Resolves the target and checks every address it resolves to (unless private targets are allowed);
 * returns the address to connect to. Throws `TargetRefused` with a message for the admin.
 */
export async function resolveTarget(value: string, allowPrivate: boolean, resolve: Resolver = resolveAll): Promise<ResolvedTarget> {
  const url = parseTarget(value, allowPrivate);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal }] : await resolve(host);
  if (addresses.length === 0) throw new TargetRefused(`${host} does not resolve to an address.`);
  if (!allowPrivate) {
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) {
      const what = literal ? `${host} is` : `${host} resolves to ${blocked.address}, which is`;
      throw new TargetRefused(
        `${what} a loopback, private or link-local address (or an IPv6 form that wraps one): webhooks may only reach public addresses unless the setting allow_private_webhook_targets is on.`,
      );
    }
  }
  const first = addresses[0]!;
  return { url, host, address: first.address, family: first.family === 6 ? 6 : 4 };
}
