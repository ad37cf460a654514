import type { PersonDescriptor } from '../observation/observation.js';
import {
  KIND_OF_FIELD,
  normaliseValue,
  type FieldSpec,
  type LinkField,
  type LinkRecord,
} from './link-record.js';

/**
 * The person fields the store's linkage compares, in this order. A document number carries its issuing
 * country ("DEU:C01X00T47"): the country qualifies the number, as in the file tool. The admission number
 * is not compared: it is an explicit link record, and the exact keys join on it.
 */
const PERSON_FIELDS: readonly LinkField[] = [
  'given_name',
  'family_name',
  'birth_date',
  'sex',
  'nationality',
  'document_number',
];
export const PERSON_LINK_FIELDS: readonly FieldSpec[] = PERSON_FIELDS.map((name) => ({
  name,
  kind: KIND_OF_FIELD[name],
}));
export const DOCUMENT_AT = PERSON_FIELDS.indexOf('document_number');

/**
 * What the linkage keeps of a record's person: the compared values (normalised), and the document's type
 * and expiry, which decide whether two documents can belong to one person (document-conflict.ts).
 */
export interface PersonLink {
  readonly values: readonly (string | null)[];
  readonly documentType: string | null;
  /** YYYY-MM-DD. */
  readonly documentExpiry: string | null;
}

export function personLinkOf(p: PersonDescriptor): PersonLink {
  const d = p.document;
  const number = normaliseValue('document', d?.number);
  const country = normaliseValue('code', d?.issuingCountry);
  return {
    values: [
      normaliseValue('name', p.givenNames),
      normaliseValue('name', p.familyNames),
      normaliseValue('date', p.birthDate),
      normaliseValue('code', p.sex),
      normaliseValue('code', p.nationality),
      number === null ? null : `${country ?? ''}:${number}`,
    ],
    documentType: d?.type ?? null,
    documentExpiry: d?.expiry ?? null,
  };
}

const SEP = '\u001f';

/**
 * One line per person link, the form it is stored and posted between threads in: the values, the
 * document type and expiry, separated by U+001F; a missing value is empty (normalised values are never
 * empty).
 */
export function encodePersonLink(link: PersonLink): string {
  return [...link.values, link.documentType, link.documentExpiry].map((v) => v ?? '').join(SEP);
}

export function decodePersonLink(line: string): PersonLink {
  const cells = line.split(SEP).map((c) => (c === '' ? null : c));
  const n = PERSON_FIELDS.length;
  if (cells.length !== n + 2) throw new Error(`a person link has ${n + 2} cells, this one ${cells.length}`);
  return { values: cells.slice(0, n), documentType: cells[n]!, documentExpiry: cells[n + 1]! };
}

export const linkRecordOf = (id: string, link: PersonLink): LinkRecord => ({ id, values: link.values });
