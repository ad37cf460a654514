import { compareRecords } from '../core/linkage/comparison-vector.js';
import { scoreVector } from '../core/linkage/fellegi-sunter.js';
import { normaliseValue } from '../core/linkage/link-record.js';
import { nameSounds, nameSoundKey } from '../core/linkage/person-block-keys.js';
import { decodePersonLink, DOCUMENT_AT, linkRecordOf, type PersonLink } from '../core/linkage/person-link.js';
import { activeModel } from '../identity/active-model.js';
import type { Database } from '../store/database.js';
import { describePersons, type PersonHit } from './person-query.js';

/** What an officer knows of the person they look for; at least a name, a document or an admission number. */
export interface PersonParticulars {
  /** Given and family names in any order. */
  readonly name?: string | undefined;
  readonly birthDate?: string | undefined;
  readonly document?: string | undefined;
  readonly admissionNumber?: string | undefined;
  readonly nationality?: string | undefined;
}

export interface RankedHit extends PersonHit {
  /** The model's probability that the person is the one described. */
  readonly probability: number;
}

export class SearchInputError extends Error {
  readonly code = 'VALIDATION_FAILED';
}

/** Persons whose name sounds are looked up at most: a very common name is narrowed by the ranking. */
const NAME_CANDIDATES = 2000;

/**
 * Finds persons by their particulars and ranks them by the linkage model's match probability: names
 * fuzzy (sound, typos, transliteration) and in any order, a birth date, a document or admission number.
 * Candidates come from the person index (name sounds, exact keys); each is scored against the query as
 * the model scores two records, with what the query leaves out counting neither way.
 */
export async function searchByParticulars(
  db: Database,
  q: PersonParticulars,
  limit = 50,
): Promise<RankedHit[]> {
  const name = normaliseValue('name', q.name);
  const birthDate = q.birthDate ? normaliseValue('date', q.birthDate) : null;
  if (q.birthDate && birthDate === null)
    throw new SearchInputError(`birthDate: "${q.birthDate}" is not a date (YYYY-MM-DD)`);
  const document = normaliseValue('document', q.document);
  const admission = q.admissionNumber?.trim() || null;
  const nationality = normaliseValue('code', q.nationality);
  if (name === null && document === null && admission === null)
    throw new SearchInputError(
      'give a name, a document number or an admission number (a birth date narrows them)',
    );

  return db.transaction(async (s) => {
    const { model } = await activeModel(s, null);
    const persons = new Set<string>();
    const live = `coalesce((select merged_into from person p where p.id = c.person_id), c.person_id)::text`;
    if (document !== null || admission !== null) {
      const rows = await s.query<{ person_id: string }>(
        `select ${live} as person_id from (
           select person_id from person_key where $1::text is not null and key like 'd:' || $1 || ':%'
           union select person_id from person_key where key = 'a:' || $2) c limit 500`,
        [document, admission],
      );
      for (const r of rows) persons.add(r.person_id);
    }
    if (name !== null) {
      const sounds = nameSounds(name);
      const rows = await s.query<{ person_id: string }>(
        `select c.person_id::text as person_id from (
           select person_id, count(*) as n from person_block_key where key_hash = any($1::bigint[])
            group by person_id order by n desc limit $2) c`,
        [sounds.map(nameSoundKey), NAME_CANDIDATES],
      );
      for (const r of rows) persons.add(r.person_id);
    }
    if (persons.size === 0) return [];
    const descriptors = await s.query<{ person_id: string; link: string }>(
      'select person_id::text as person_id, link from person_descriptor where person_id = any($1::bigint[])',
      [[...persons]],
    );

    // The query as person links: the name's tokens split into given and family names every way.
    const tokens = name?.split(' ') ?? [];
    const splits: [string | null, string | null][] =
      tokens.length <= 1
        ? [
            [null, name],
            [name, null],
          ]
        : [
            ...tokens
              .slice(1)
              .map((_, i): [string, string] => [
                tokens.slice(0, i + 1).join(' '),
                tokens.slice(i + 1).join(' '),
              ]),
            ...tokens
              .slice(1)
              .map((_, i): [string, string] => [
                tokens.slice(i + 1).join(' '),
                tokens.slice(0, i + 1).join(' '),
              ]),
          ];
    const vector = new Uint8Array(model.comparisons.fields.length);
    const best = new Map<string, number>();
    for (const d of descriptors) {
      const theirs: PersonLink = decodePersonLink(d.link);
      const theirDoc = theirs.values[DOCUMENT_AT];
      // The query's document has no issuer: it is compared as if issued where theirs was.
      const doc =
        document === null ? null : `${theirDoc ? theirDoc.slice(0, theirDoc.indexOf(':')) : ''}:${document}`;
      for (const [given, family] of splits) {
        const query = linkRecordOf('query', {
          values: [given, family, birthDate, null, nationality, doc],
          documentType: null,
          documentExpiry: null,
        });
        compareRecords(model.comparisons, query, linkRecordOf(d.person_id, theirs), vector);
        const p = scoreVector(model, vector, query).probability;
        if (p > (best.get(d.person_id) ?? -1)) best.set(d.person_id, p);
      }
    }
    const ranked = [...best].sort((a, b) => b[1] - a[1]).slice(0, limit);
    const described = new Map(
      (
        await describePersons(
          s,
          ranked.map(([p]) => p),
        )
      ).map((h) => [h.personId, h]),
    );
    return ranked.flatMap(([personId, probability]) => {
      const h = described.get(personId);
      return h ? [{ ...h, matchedOn: 'particulars' as const, probability }] : [];
    });
  });
}
