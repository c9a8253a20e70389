/**
 * Small, strict checks for untrusted input (message payloads, the options page's fields), with
 * messages a person can act on: each returns a clean value or throws `validation_failed` naming
 * the field. Unknown fields are refused.
 */
import { ProviderError } from '../lib/errors.ts';

export type Shape = Record<string, (v: unknown, path: string) => unknown>;

export function bad(path: string, message: string): ProviderError {
  return new ProviderError('validation_failed', `${path}: ${message}`, { fieldErrors: [{ field: path, message }] });
}

const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

export function str(max: number, opts: { min?: number; re?: RegExp } = {}) {
  return (v: unknown, path: string): string => {
    if (typeof v !== 'string') throw bad(path, 'must be a string');
    if (v.length < (opts.min ?? 0)) throw bad(path, opts.min === 1 ? 'must not be empty' : `must have at least ${opts.min} characters`);
    if (v.length > max) throw bad(path, `must have at most ${max} characters`);
    if (opts.re && !opts.re.test(v)) throw bad(path, 'has an invalid format');
    return v;
  };
}
export const id = str(128, { min: 1, re: ID_RE });
export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw bad(path, 'must be true or false');
  return v;
}
export function int(min: number, max: number) {
  return (v: unknown, path: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(path, `must be a whole number from ${min} to ${max}`);
    return v;
  };
}
export function optional(check: (v: unknown, path: string) => unknown) {
  return (v: unknown, path: string): unknown => (v === undefined ? undefined : check(v, path));
}
export function nullable(check: (v: unknown, path: string) => unknown) {
  return (v: unknown, path: string): unknown => (v === null ? null : check(v, path));
}
export function list(check: (v: unknown, path: string) => unknown, max: number) {
  return (v: unknown, path: string): unknown[] => {
    if (!Array.isArray(v)) throw bad(path, 'must be a list');
    if (v.length > max) throw bad(path, `must have at most ${max} entries`);
    return v.map((item, i) => check(item, `${path}[${i}]`));
  };
}
export function oneOf<T extends string>(...values: T[]) {
  return (v: unknown, path: string): T => {
    if (typeof v !== 'string' || !(values as string[]).includes(v)) throw bad(path, `must be one of ${values.join(', ')}`);
    return v as T;
  };
}
export function isoTime(v: unknown, path: string): string {
  const s = str(40, { min: 1 })(v, path);
  if (Number.isNaN(Date.parse(s))) throw bad(path, 'must be an ISO 8601 time');
  return s;
}
export function obj(shape: Shape) {
  return (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(path, 'must be an object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (!(key in shape)) throw bad(path === '' ? key : `${path}.${key}`, 'is not a known field');
    }
    for (const [key, check] of Object.entries(shape)) {
      const value = check((v as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
}
export function record(check: (v: unknown, path: string) => unknown, maxKeys: number) {
  return (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(path, 'must be an object');
    const keys = Object.keys(v);
    if (keys.length > maxKeys) throw bad(path, `must have at most ${maxKeys} fields`);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      str(64, { min: 1, re: /^[A-Za-z0-9_]+$/ })(key, `${path}.${key}`);
      out[key] = check((v as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return out;
  };
}

