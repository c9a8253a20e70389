/**
 * What a V8 heap snapshot (`.heapsnapshot`, as `--heapsnapshot-signal` writes it) holds, by
 * constructor: count and shallow size (the "Summary" view of Chrome's devtools), and the difference
 * between two snapshots, largest growth first. Shallow, not retained, sizes: a map's entries show
 * up as the key strings, the records and the map's backing arrays that grew.
 */
import { readFile } from 'node:fs/promises';

export interface ConstructorTotal {
  name: string;
  count: number;
  bytes: number;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and shallow bytes per constructor (objects, closures) or per kind (strings, arrays, code…). */
export async function summarise(file: string): Promise<Map<string, ConstructorTotal>> {
  const data = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const totals = new Map<string, ConstructorTotal>();
  for (let i = 0; i < data.nodes.length; i += fields.length) {
    const type = types[data.nodes[i + typeAt]!]!;
    const name = type === 'object' || type === 'native' ? data.strings[data.nodes[i + nameAt]!]! : type === 'closure' ? '(closure)' : `(${type})`;
    const total = totals.get(name) ?? { name, count: 0, bytes: 0 };
    total.count++;
    total.bytes += data.nodes[i + sizeAt]!;
    totals.set(name, total);
  }
  return totals;
}

/** The constructors that grew most from `before` to `after`, in bytes. */
export function growth(before: Map<string, ConstructorTotal>, after: Map<string, ConstructorTotal>, top = 12): ConstructorTotal[] {
  const grown: ConstructorTotal[] = [];
  for (const [name, total] of after) {
    const old = before.get(name) ?? { name, count: 0, bytes: 0 };
    grown.push({ name, count: total.count - old.count, bytes: total.bytes - old.bytes });
  }
  return grown.sort((a, b) => b.bytes - a.bytes).slice(0, top);
}

/** The largest constructors of one snapshot. */
export function largest(totals: Map<string, ConstructorTotal>, top = 12): ConstructorTotal[] {
  return [...totals.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top);
}

export function heapBytes(totals: Map<string, ConstructorTotal>): number {
  let sum = 0;
  for (const t of totals.values()) sum += t.bytes;
  return sum;
}
