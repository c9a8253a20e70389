/**
 * Client addresses: which proxies are believed (docs/security.md rule 32) and which bucket an
 * address is counted in (docs/security.md rule 29).
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The throttle bucket of a client address: an IPv4 address as itself (an IPv4-mapped IPv6 address
 * is the IPv4 it wraps), an IPv6 address by its /64, since one client commonly owns the whole /64.
 * Anything that is not an address is its own bucket.
 */
export function addressBucket(address: string): string {
  // Parsing costs about as much as the rest of a cached token check, and a client sends many
  // requests from one address: the answers are remembered (a pure function of the text).
  let bucket = bucketMemo.get(address);
  if (bucket === undefined) {
    bucket = computeBucket(address);
    // Bounded: emptied when full (forgetting costs one parse), keyed by text of at most 100 characters.
    if (bucketMemo.size >= BUCKET_MEMO_LIMIT) bucketMemo.clear();
    if (address.length <= 100) bucketMemo.set(address, bucket);
  }
  return bucket;
}

const BUCKET_MEMO_LIMIT = 10_000;
const bucketMemo = new Map<string, string>();

function computeBucket(address: string): string {
  if (!ipaddr.isValid(address)) return address.slice(0, 100);
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

/**
 * Checks a trusted-proxy list (addresses or CIDR ranges) and gives it in the form Fastify's
 * `trustProxy` takes, or `false` when the list is empty (then `X-Forwarded-For` is ignored).
 * Throws a clear error naming the first entry that is neither.
 */
export function trustedProxySetting(entries: readonly string[]): string[] | false {
  const list = entries.map((e) => e.trim()).filter(Boolean);
  for (const entry of list) {
    const [address, bits, extra] = entry.split('/');
    const version = isIP(address!);
    const valid = extra === undefined && version !== 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)));
    if (!valid) throw new Error(`PATKIT_TRUSTED_PROXIES: "${entry}" is not an IP address or a CIDR range (such as 10.0.0.0/8 or fd00::/8)`);
  }
  return list.length > 0 ? list : false;
}
