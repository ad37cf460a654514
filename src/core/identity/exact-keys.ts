import type { PersonDescriptor } from '../observation/observation.js';

/**
 * Keys of the exact resolver (document number first, so a search by number alone is an index prefix scan) (docs/adr/0004-identity-model.md). Two records with a key in common are the
 * same person: the same travel document (number + issuing country) held by someone with the same date
 * of birth, or the same admission number (the chain that links the records of one stay even across a
 * passport renewal). A record with none of them is its own person.
 */
export function exactKeys(person: PersonDescriptor, admissionNumber: string | null): string[] {
  const keys: string[] = [];
  const doc = person.document;
  if (doc && doc.number && doc.issuingCountry && person.birthDate) {
    keys.push(`d:${doc.number}:${doc.issuingCountry}:${person.birthDate}`);
  }
  if (admissionNumber) keys.push(`a:${admissionNumber}`);
  return keys;
}
