import { oneOcrConfusion } from './compare-fields.js';
import { documentsConflict } from './document-conflict.js';
import { DOCUMENT_AT, type PersonLink } from './person-link.js';

/**
 * Whether a record's document rules a person out: the person holds a document of the same type and
 * issuer valid at the same time, and none of the person's documents is the record's (or one OCR
 * confusion from it). A person who renewed a passport holds the old and the new one; a record with
 * either fits them.
 */
export function documentRulesOut(record: PersonLink, person: readonly PersonLink[]): boolean {
  const d = record.values[DOCUMENT_AT];
  if (d === null || d === undefined) return false;
  const held = person
    .map((p) => p.values[DOCUMENT_AT])
    .filter((x): x is string => x !== null && x !== undefined);
  if (held.some((h) => h === d || oneOcrConfusion(h, d))) return false;
  return person.some((p) => documentsConflict(record, p));
}
