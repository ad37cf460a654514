import { exactKeys } from '../core/identity/exact-keys.js';
import { hash53, personIndexKeys } from '../core/linkage/person-block-keys.js';
import { encodePersonLink, personLinkOf } from '../core/linkage/person-link.js';
import type { PersonDescriptor } from '../core/observation/observation.js';
import type { SqlSession } from '../store/sql-session.js';

/** A current observation of a person, as far as identity goes. */
export interface IdentityFacts {
  readonly person: PersonDescriptor;
  readonly admissionNumber: string | null;
}

/**
 * Writes a person's exact keys, descriptors and blocking keys anew from their current observations
 * (after a split moved some of them away). A key another person holds already stays theirs: keys
 * never point at two persons. Stale blocking keys are harmless (they only propose a candidate, whose
 * descriptors then decide), so they are added, not replaced.
 */
export async function rebuildPersonIndex(
  s: SqlSession,
  personId: string,
  facts: readonly IdentityFacts[],
): Promise<void> {
  await s.query('delete from person_key where person_id = $1', [personId]);
  await s.query('delete from person_descriptor where person_id = $1', [personId]);
  const keys = new Set<string>();
  const links = new Map<number, string>();
  for (const f of facts) {
    for (const k of exactKeys(f.person, f.admissionNumber)) keys.add(k);
    const link = encodePersonLink(personLinkOf(f.person));
    links.set(hash53(link), link);
  }
  await s.query(
    `insert into person_key (key, person_id) select k, $2 from unnest($1::text[]) as k on conflict (key) do nothing`,
    [[...keys], personId],
  );
  await s.copyFrom(
    'person_descriptor',
    ['person_id', 'descriptor_hash', 'link'],
    [...links].map(([hash, link]) => [personId, hash, link]),
  );
  const blockKeys = new Set<number>();
  for (const f of facts) for (const k of personIndexKeys(personLinkOf(f.person))) blockKeys.add(k);
  await s.copyFrom(
    'person_block_key',
    ['key_hash', 'person_id'],
    [...blockKeys].map((k) => [k, personId]),
  );
}
