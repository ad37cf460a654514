import type { Observation } from '../observation/observation.js';
import type { DepartureIdentity, StayInput } from './stay-input.js';

/**
 * The compact projection of an observation that the stays engine needs, stored beside the full body so
 * that recomputing a million persons reads ~70 bytes a fact instead of ~400 and parses a short array.
 * Format: a JSON array whose first element is the kind's letter (A, D, S; E for an Arrival, added later:
 * the earlier letters and layouts are unchanged, so stored facts still read). Version it if it changes.
 */
export function toStayFacts(o: Observation): string {
  const n = o.person.nationality;
  switch (o.kind) {
    case 'Admission':
      return JSON.stringify([
        'A',
        o.date,
        o.admissionNumber,
        n,
        o.port,
        o.classOfAdmission,
        o.admitUntil,
        o.durationOfStatus ? 1 : 0,
        o.programEndDate,
      ]);
    case 'Departure':
      return JSON.stringify(['D', o.date, o.admissionNumber, n, o.port, o.channel, o.carrier, o.flight]);
    case 'StatusChange':
      return JSON.stringify([
        'S',
        o.date,
        o.admissionNumber,
        n,
        o.change,
        o.event,
        o.newAdmitUntil,
        o.newClassOfAdmission,
      ]);
    case 'Arrival':
      return JSON.stringify(['E', o.date, o.admissionNumber, n, o.port, o.channel, o.carrier, o.flight]);
  }
}

type Cell = string | null;

/**
 * Reads the projection back. `identity` is how the departure or arrival was placed on the person
 * (`fuzzy`: by the linkage model only); it is not part of the facts, which describe the record, not the
 * match, so the store passes it from the observation's link. Absent means exact; it is ignored for other kinds.
 */
export function fromStayFacts(id: string, facts: string, identity?: DepartureIdentity): StayInput {
  return fromParsedStayFacts(id, JSON.parse(facts) as StayFactsArray, identity);
}

/** The projection as already parsed (a recompute reads each person's facts as one JSON array). */
export type StayFactsArray = [string, string, Cell, Cell, ...unknown[]];

export function fromParsedStayFacts(id: string, f: StayFactsArray, identity?: DepartureIdentity): StayInput {
  const [k, date, admissionNumber, nationality] = f;
  const person = { nationality };
  if (k === 'A') {
    return {
      kind: 'Admission',
      id,
      date,
      admissionNumber,
      person,
      port: f[4] as string,
      classOfAdmission: f[5] as string,
      admitUntil: f[6] as Cell,
      durationOfStatus: f[7] === 1,
      programEndDate: f[8] as Cell,
    };
  }
  if (k === 'D') {
    return {
      kind: 'Departure',
      id,
      date,
      admissionNumber,
      person,
      port: f[4] as Cell,
      channel: f[5] as 'air',
      carrier: f[6] as Cell,
      flight: f[7] as Cell,
      ...(identity === undefined ? {} : { identity }),
    };
  }
  if (k === 'E') {
    return {
      kind: 'Arrival',
      id,
      date,
      admissionNumber,
      person,
      port: f[4] as string,
      channel: f[5] as 'air',
      carrier: f[6] as Cell,
      flight: f[7] as Cell,
      ...(identity === undefined ? {} : { identity }),
    };
  }
  return {
    kind: 'StatusChange',
    id,
    date,
    admissionNumber,
    person,
    change: f[4] as 'extension',
    event: f[5] as 'filed',
    newAdmitUntil: f[6] as Cell,
    newClassOfAdmission: f[7] as Cell,
  };
}
