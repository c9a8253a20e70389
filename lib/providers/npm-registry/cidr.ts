/** The `cidr_whitelist` create option: CIDR ranges a token may be used from. */
import { ProviderError } from '../../errors.ts';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `192.0.2.0/24` or `2001:db8::/32`. */
export function isCidr(value: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value.trim());
  if (!m) return false;
  const bits = Number(m[2]);
  const ip = m[1]!;
  if (IPV4.test(ip)) return bits <= 32;
  if (!/^[0-9a-fA-F:]+$/.test(ip) || !ip.includes(':') || bits > 128) return false;
  const halves = ip.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => g.length === 0 || g.length > 4)) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

/**
 * A draft's allowed ranges: `allowed_ips` (the common field), or the older `extra.cidr_whitelist`
 * create option a host may still pass; both at once is ambiguous and refused.
 */
export function draftCidrList(allowedIps: unknown, extra: unknown): string[] {
  if (allowedIps !== undefined && extra !== undefined && extra !== null) {
    throw new ProviderError('validation_failed', 'Give the allowed IP ranges once, as allowed_ips.', {
      fieldErrors: [{ field: 'allowed_ips', message: 'Given twice (also as cidr_whitelist)' }],
    });
  }
  return allowedIps !== undefined ? cidrList(allowedIps, 'allowed_ips') : cidrList(extra);
}

/** The create option as the wizard hands it over: a list, or one string of ranges. */
export function cidrList(value: unknown, field = 'cidr_whitelist'): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : null;
  if (items === null || items.some((v) => typeof v !== 'string')) {
    throw new ProviderError('validation_failed', 'Allowed IP ranges must be a list of CIDR ranges.', {
      fieldErrors: [{ field, message: 'A list of CIDR ranges' }],
    });
  }
  const list = (items as string[]).map((s) => s.trim()).filter((s) => s !== '');
  const bad = list.filter((s) => !isCidr(s));
  if (bad.length > 0) {
    throw new ProviderError('validation_failed', `Not a CIDR range: ${bad.join(', ')}. Write ranges like 192.0.2.0/24 or 2001:db8::/32.`, {
      fieldErrors: [{ field, message: `Not a CIDR range: ${bad.join(', ')}` }],
    });
  }
  return list;
}
