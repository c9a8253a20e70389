/**
 * The per-token policies checked at every use, after the token, its owner and the PAT switch have
 * passed: approval (docs/security.md rule 35), not-before and the lifetime caps in force now (rule
 * 36), and the address allow-list, matched against the address the trusted-proxy setting gives
 * (rule 37). Pure over the record, the address and the clock; each distinct allow-list, and each
 * client address, is parsed once and kept in a bounded map (a forgotten one is parsed again).
 */
import ipaddr from 'ipaddr.js';
import { BoundedMap } from '../bounded-map.ts';
import type { ApprovalState, LifetimePolicy } from '../store/records.ts';

const DAY_MS = 86_400_000;
/** The tolerance creation allows (`resolveExpiry`): a token made at the cap is not over it. */
const SLACK_MS = 60_000;

/** What the checks read from the verification record. */
export interface TokenUseFacts {
  approval_state: ApprovalState | null;
  not_before: string | null;
  issued_at: string;
  expires_at: string | null;
  /** Space-separated ranges as stored ('' = any address). */
  allowed_ips: string;
  lifetime_policy: LifetimePolicy;
}

export interface PolicyRefusal {
  code: 'token_request_denied' | 'token_pending_approval' | 'token_not_yet_valid' | 'token_lifetime_exceeds_policy' | 'ip_not_allowed';
  detail: string;
}

/**
 * Whether a token's lifetime (from the issue of its current secret to its expiry; no expiry is
 * endless) is over a cap in force now. No expiry meets the server's cap while the server allows
 * tokens without expiry; it never meets an organisation's.
 */
export function lifetimeExceedsPolicy(issuedAt: string, expiresAt: string | null, policy: LifetimePolicy): boolean {
  if (policy.max_days <= 0 && policy.org_max_days === null) return false;
  const lifetime = expiresAt === null ? Infinity : Date.parse(expiresAt) - Date.parse(issuedAt);
  if (policy.max_days > 0 && !(expiresAt === null && policy.allow_no_expiry) && lifetime > policy.max_days * DAY_MS + SLACK_MS) return true;
  return policy.org_max_days !== null && lifetime > policy.org_max_days * DAY_MS + SLACK_MS;
}

/** The first policy that refuses this use, or null. `address` null (introspection): the host checks the list. */
export function tokenPolicyRefusal(record: TokenUseFacts, address: string | null, now: number): PolicyRefusal | null {
  if (record.approval_state === 'denied') {
    return { code: 'token_request_denied', detail: 'This token request was denied: the token never works. Create a new one if you still need it.' };
  }
  if (record.approval_state === 'pending') {
    return { code: 'token_pending_approval', detail: 'This token waits for approval: it works once an approver approves the request.' };
  }
  if (record.not_before !== null && Date.parse(record.not_before) > now) {
    return { code: 'token_not_yet_valid', detail: `This token is valid from ${record.not_before}.` };
  }
  if (lifetimeExceedsPolicy(record.issued_at, record.expires_at, record.lifetime_policy)) {
    return {
      code: 'token_lifetime_exceeds_policy',
      detail: 'This token lives longer than the lifetime policy now allows. Regenerate it with an expiry within the policy.',
    };
  }
  if (record.allowed_ips !== '' && (address === null ? false : !allowListOf(record.allowed_ips).allows(address))) {
    return { code: 'ip_not_allowed', detail: `This token may not be used from ${address}.` };
  }
  return null;
}

/** A parsed allow-list: IPv4 ranges as 32-bit networks and masks, IPv6 ranges as ipaddr.js ranges. */
export class AllowList {
  readonly #nets: Uint32Array;
  readonly #masks: Uint32Array;
  readonly #v6: [ipaddr.IPv6, number][] = [];

  constructor(entries: readonly string[]) {
    const nets: number[] = [];
    const masks: number[] = [];
    for (const entry of entries) {
      const [address, bits] = parseRange(entry);
      if (address.kind() === 'ipv4') {
        const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
        nets.push((ipv4Number(address as ipaddr.IPv4) & mask) >>> 0);
        masks.push(mask);
      } else this.#v6.push([address as ipaddr.IPv6, bits]);
    }
    this.#nets = Uint32Array.from(nets);
    this.#masks = Uint32Array.from(masks);
  }

  allows(address: string): boolean {
    const parsed = clientAddress(address);
    if (parsed === null) return false;
    if (typeof parsed === 'number') {
      for (let i = 0; i < this.#nets.length; i++) if (((parsed & this.#masks[i]!) >>> 0) === this.#nets[i]) return true;
      return false;
    }
    return this.#v6.some(([range, bits]) => parsed.match(range, bits));
  }
}

/** A client address as an IPv4 number or an IPv6 address (null: not an address). */
type ParsedAddress = number | ipaddr.IPv6 | null;

/** Client addresses seen recently, parsed: parsing costs microseconds, a lookup nanoseconds. */
const clientAddresses = new BoundedMap<string, ParsedAddress>(4_096);

function clientAddress(address: string): ParsedAddress {
  // peek, not get: a hit must not reorder the map on every request.
  let parsed = clientAddresses.peek(address);
  if (parsed === undefined) {
    // An IPv4-mapped IPv6 address (a dual-stack socket) is the IPv4 address it wraps.
    const ip = ipaddr.isValid(address) ? ipaddr.process(address) : null;
    parsed = ip === null ? null : ip.kind() === 'ipv4' ? ipv4Number(ip as ipaddr.IPv4) : (ip as ipaddr.IPv6);
    clientAddresses.set(address, parsed);
  }
  return parsed;
}

function ipv4Number(address: ipaddr.IPv4): number {
  const [a, b, c, d] = address.octets as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** A bare address or a CIDR range as address and prefix length; throws on anything else. */
export function parseRange(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [text, bits, extra] = entry.split('/');
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(text!);
  // A zone index (fe80::1%eth0) names an interface of one host: meaningless in an allow-list.
  if (extra !== undefined || text!.includes('%') || (!v4 && !ipaddr.IPv6.isValid(text!))) throw new RangeError(`"${entry}" is not an IP address or CIDR range`);
  const max = v4 ? 32 : 128;
  if (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max)) throw new RangeError(`"${entry}" has a prefix length outside 0–${max}`);
  return [ipaddr.parse(text!), bits === undefined ? max : Number(bits)];
}

/** Distinct stored lists seen recently; forgetting one only costs parsing it again. */
const allowLists = new BoundedMap<string, AllowList>(1_000);

function allowListOf(stored: string): AllowList {
  let list = allowLists.peek(stored);
  if (list === undefined) {
    list = new AllowList(stored.split(' '));
    allowLists.set(stored, list);
  }
  return list;
}
