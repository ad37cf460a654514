import { UnionFind } from '../core/identity/union-find.js';
import type { SqlSession } from '../store/sql-session.js';
import { allocateIds } from '../store/allocate-ids.js';
import type { IdentityResolver, ResolutionInput, ResolutionResult } from './identity-resolver.js';

const byNumericId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Exact resolution: records sharing a key are one person; a record whose keys reach two stored persons
 * merges them into the older one (lowest id), so person ids stay stable. Set-based: one key lookup and a
 * few COPYs per batch, whatever its size.
 */
export const exactResolver: IdentityResolver = {
  async resolve(session: SqlSession, inputs: readonly ResolutionInput[]): Promise<ResolutionResult> {
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
            'select key, person_id::text as person_id from person_key where key = any($1::text[])',
            [allKeys],
          );
    const known = new Map(existing.map((r) => [r.key, r.person_id]));

    const uf = new UnionFind(n + keyNode.size);
    // Keys of one stored person are one set, whose first key node stands for the person.
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

    // Stored persons reached by each component.
    const personsOfRoot = new Map<number, string[]>();
    for (const [person, node] of nodeOfPerson) {
      const root = uf.find(node);
      const list = personsOfRoot.get(root);
      if (list) list.push(person);
      else personsOfRoot.set(root, [person]);
    }

    const roots = inputs.map((_, i) => uf.find(i));
    const newRoots = [...new Set(roots.filter((r) => !personsOfRoot.has(r)))];
    const newIds = await allocateIds(session, 'person_id_seq', newRoots.length);
    const personOfRoot = new Map<number, string>();
    newRoots.forEach((root, i) => personOfRoot.set(root, newIds[i]!));

    const merges: { from: string; into: string }[] = [];
    for (const [root, persons] of personsOfRoot) {
      persons.sort(byNumericId);
      const survivor = persons[0]!;
      personOfRoot.set(root, survivor);
      for (const loser of persons.slice(1)) merges.push({ from: loser, into: survivor });
    }

    const personIds = roots.map((r) => personOfRoot.get(r)!);
    const affected = new Set(personIds);

    await session.copyFrom(
      'person',
      ['id'],
      newIds.map((id) => [id]),
    );
    const newKeys: [string, string][] = [];
    for (const [key, node] of keyNode) {
      if (!known.has(key)) newKeys.push([key, personOfRoot.get(uf.find(node))!]);
    }
    await session.copyFrom('person_key', ['key', 'person_id'], newKeys);

    if (merges.length > 0) {
      const from = merges.map((m) => m.from);
      const into = merges.map((m) => m.into);
      const pairs = 'select * from unnest($1::bigint[], $2::bigint[]) as m(from_id, into_id)';
      await session.query(
        `update person_key k set person_id = m.into_id from (${pairs}) m where k.person_id = m.from_id`,
        [from, into],
      );
      await session.query(
        `update observation o set person_id = m.into_id from (${pairs}) m where o.person_id = m.from_id`,
        [from, into],
      );
      await session.query(
        `update person p set merged_into = m.into_id from (${pairs}) m where p.id = m.from_id`,
        [from, into],
      );
      await session.query('delete from stay where person_id = any($1::bigint[])', [from]);
      await session.query('delete from unmatched_departure where person_id = any($1::bigint[])', [from]);
    }

    return { personIds, affectedPersonIds: affected, personsCreated: newIds.length, merges };
  },
};
