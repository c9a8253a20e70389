/**
 * Where a webhook may point (SSRF): https only, and every address its host resolves to must be a
 * public one, checked when the webhook is saved and again before each delivery (DNS can change in
 * between: rebinding). The request then connects to exactly the address that was checked. The admin
 * setting `allow_private_webhook_targets` lifts both rules (http, loopback, private networks).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

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

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), -compatible (::a.b.c.d) or NAT64 (64:ff9b::) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const prefixZero = (n: number) => groups.slice(0, n).every((g) => g === 0);
  const mapped = prefixZero(5) && groups[5] === 0xffff;
  const compatible = prefixZero(6) && (groups[6] !== 0 || groups[7]! > 1);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !compatible && !nat64) return null;
  return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
}

function expandIpv6(address: string): number[] | null {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const parts = dotted[1]!.split('.').map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return null;
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** True for loopback, private, link-local, CGNAT, unspecified, multicast and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== null) return BLOCKED.check(v4, 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true; // not an address at all: never trusted
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
export async function resolveTarget(value: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  const url = parseTarget(value, allowPrivate);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal }] : await resolveAll(host);
  if (addresses.length === 0) throw new TargetRefused(`${host} does not resolve to an address.`);
  if (!allowPrivate) {
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) {
      const what = literal ? `${host} is` : `${host} resolves to ${blocked.address}, which is`;
      throw new TargetRefused(
        `${what} a loopback, private or link-local address: webhooks may only reach public addresses unless the setting allow_private_webhook_targets is on.`,
      );
    }
  }
  const first = addresses[0]!;
  return { url, host, address: first.address, family: first.family === 6 ? 6 : 4 };
}
