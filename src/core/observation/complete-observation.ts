import type { Observation, PersonDescriptor } from './observation.js';

const PERSON: PersonDescriptor = {
  givenNames: null,
  familyNames: null,
  birthDate: null,
  sex: null,
  nationality: null,
  document: null,
};
const BY_KIND = {
  Admission: { admitUntil: null, durationOfStatus: false, programEndDate: null },
  Departure: { port: null, carrier: null, flight: null },
  StatusChange: { newAdmitUntil: null, newClassOfAdmission: null },
} as const;

/**
 * Observations are stored without their empty fields (nulls, false) to keep a million rows a day small;
 * this puts them back, so every reader sees the complete canonical shape.
 */
export function completeObservation(stored: Record<string, unknown>): Observation {
  const kind = stored['kind'] as Observation['kind'];
  const person = { ...PERSON, ...(stored['person'] as object | undefined) };
  const document = person.document ? { expiry: null, ...(person.document as object) } : null;
  return {
    admissionNumber: null,
    ...BY_KIND[kind],
    ...stored,
    person: { ...person, document },
  } as Observation;
}

/** The stored form: JSON without null or false fields (see completeObservation). */
export function compactObservationJson(o: Observation): string {
  return JSON.stringify(o, (_k, v: unknown) => (v === null || v === false ? undefined : v));
}
