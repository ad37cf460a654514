import { UnionFind } from '../core/identity/union-find.js';
import type { SqlSession } from '../store/sql-session.js';
import { arrayParam } from '../store/array-param.js';

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
   * Groups that reached several stored persons but may not merge them: a public record (it never merges
   * two persons), or persons a reviewer decided are different. Placed on the oldest, the others withheld
   * for a person to decide.
   */
  readonly withheld: readonly {
    readonly group: number;
    readonly persons: readonly string[];
    readonly reason: 'public' | 'decided-apart';
  }[];
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
          [arrayParam(allKeys)],
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
  const withheld: { group: number; persons: string[]; reason: 'public' | 'decided-apart' }[] = [];
  const publicGroups = new Set(inputs.flatMap((input, i) => (input.public ? [groupOf[i]!] : [])));
  for (const g of publicGroups)
    if (storedPersons[g]!.length > 1)
      withheld.push({ group: g, persons: storedPersons[g]!.splice(1), reason: 'public' });
  // A reviewer's "different" (or a split) stands: keys never merge persons a person kept apart.
  const merging = storedPersons.flatMap((persons) => (persons.length > 1 ? persons : []));
  if (merging.length > 0) {
    const apart = await session.query<{ a: string; b: string }>(
      `select person_a::text as a, person_b::text as b from linkage_constraint
        where person_a = any($1::bigint[]) and person_b = any($1::bigint[])`,
      [merging],
    );
    const kept = new Set(apart.map((c) => `${c.a}:${c.b}`));
    const isApart = (x: string, y: string) => kept.has(`${x}:${y}`) || kept.has(`${y}:${x}`);
    storedPersons.forEach((persons, g) => {
      if (persons.length < 2) return;
      const oldest = persons[0]!;
      if (!persons.slice(1).some((p) => isApart(oldest, p) || persons.some((q) => q !== p && isApart(p, q))))
        return;
      withheld.push({ group: g, persons: persons.splice(1), reason: 'decided-apart' });
    });
  }
  const newKeys: { key: string; group: number }[] = [];
  for (const [key, node] of keyNode)
    if (!known.has(key)) newKeys.push({ key, group: groupOfRoot.get(uf.find(node))! });
  return { groupOf, count: groupOfRoot.size, storedPersons, newKeys, withheld };
}
