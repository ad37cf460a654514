import { UnionFind } from '../core/identity/union-find.js';
import type { SqlSession } from '../store/sql-session.js';

/**
 * A batch's records grouped by exact keys: records that share a key, directly or through stored
 * persons, are one group. Each group knows the stored persons its keys reach and the keys the store
 * does not hold yet.
 */
export interface KeyGroups {
  /** Group of each input. */
  readonly groupOf: Int32Array;
  readonly count: number;
  /** Stored persons each group's keys reach, oldest (lowest id) first. */
  readonly storedPersons: readonly (readonly string[])[];
  /** Keys the store does not hold yet, with their group. */
  readonly newKeys: readonly { readonly key: string; readonly group: number }[];
  /**
   * Groups holding a public record that reached several stored persons: placed on the oldest, the
   * others withheld (a public record never merges two persons; a person decides).
   */
  readonly withheld: readonly { readonly group: number; readonly persons: readonly string[] }[];
}

const byNumericId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
export const oldestFirst = (ids: Iterable<string>): string[] => [...new Set(ids)].sort(byNumericId);

/** One key lookup for the whole batch, then disjoint sets over inputs and keys. */
export async function groupByExactKeys(
  session: SqlSession,
  inputs: readonly { readonly keys: readonly string[]; readonly public?: boolean }[],
): Promise<KeyGroups> {
  // Nodes: the inputs 0..n-1, then each distinct key.
  const n = inputs.length;
  const keyNode = new Map<string, number>();
  for (const input of inputs)
    for (const key of input.keys) if (!keyNode.has(key)) keyNode.set(key, n + keyNode.size);
  const allKeys = [...keyNode.keys()];
  const existing =
    allKeys.length === 0
      ? []
      : await session.query<{ key: string; person_id: string }>(
          // A merge moves the merged person's keys (write-persons.ts): a key names a live person.
          'select key, person_id::text as person_id from person_key where key = any($1::text[])',
          [allKeys],
        );
  const known = new Map(existing.map((r) => [r.key, r.person_id]));

  const uf = new UnionFind(n + keyNode.size);
  // Keys of one stored person are one set.
  const nodeOfPerson = new Map<string, number>();
  for (const [key, person] of known) {
    const node = keyNode.get(key)!;
    const first = nodeOfPerson.get(person);
    if (first === undefined) nodeOfPerson.set(person, node);
    else uf.union(first, node);
  }
  inputs.forEach((input, i) => {
    for (const key of input.keys) uf.union(i, keyNode.get(key)!);
  });

  const groupOfRoot = new Map<number, number>();
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    let g = groupOfRoot.get(root);
    if (g === undefined) groupOfRoot.set(root, (g = groupOfRoot.size));
    groupOf[i] = g;
  }
  const storedPersons: string[][] = Array.from({ length: groupOfRoot.size }, () => []);
  for (const [person, node] of nodeOfPerson) {
    const g = groupOfRoot.get(uf.find(node));
    if (g !== undefined) storedPersons[g]!.push(person);
  }
  for (const list of storedPersons) list.sort(byNumericId);
  const withheld: { group: number; persons: string[] }[] = [];
  const publicGroups = new Set(inputs.flatMap((input, i) => (input.public ? [groupOf[i]!] : [])));
  for (const g of publicGroups)
    if (storedPersons[g]!.length > 1) withheld.push({ group: g, persons: storedPersons[g]!.splice(1) });
  const newKeys: { key: string; group: number }[] = [];
  for (const [key, node] of keyNode)
    if (!known.has(key)) newKeys.push({ key, group: groupOfRoot.get(uf.find(node))! });
  return { groupOf, count: groupOfRoot.size, storedPersons, newKeys, withheld };
}
