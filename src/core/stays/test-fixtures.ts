/**
 * Builders of stored observations for the stays tests, and the shipped rule packs parsed once.
 * Test support only: nothing in the product imports this file.
 */
import schengenJson from '../../../rules/schengen.json' with { type: 'json' };
import usJson from '../../../rules/us.json' with { type: 'json' };
import type {
  Admission,
  Arrival,
  Departure,
  PersonDescriptor,
  StatusChange,
  StatusChangeEvent,
  StatusChangeType,
  StoredObservation,
} from '../observation/observation.js';
import { parseRulePack, type RulePack, type SchengenRulePack, type UsRulePack } from './rule-pack.js';
import type { DepartureIdentity } from './stay-input.js';

function load(json: unknown): RulePack {
  const parsed = parseRulePack(json);
  if (!parsed.ok) throw new Error(`shipped rule pack is invalid:\n${parsed.errors.join('\n')}`);
  return parsed.pack;
}

export const US = load(usJson) as UsRulePack;
export const SCHENGEN = load(schengenJson) as SchengenRulePack;
export { schengenJson, usJson };

export const PERSON: PersonDescriptor = {
  givenNames: 'TEST',
  familyNames: 'PERSON',
  birthDate: '1980-01-01',
  sex: 'X',
  nationality: 'GBR',
  document: null,
};

const provenance = (id: string) => ({ source: 'test', sourceRecordId: id, rawRecordId: null });

type Opt<T> = Partial<Omit<T, 'kind' | 'date'>>;

export function admission(id: string, date: string, opts: Opt<Admission> = {}): StoredObservation {
  return {
    kind: 'Admission',
    id,
    date,
    port: 'JFK',
    classOfAdmission: 'B2',
    admitUntil: null,
    durationOfStatus: false,
    programEndDate: null,
    person: PERSON,
    admissionNumber: null,
    provenance: provenance(id),
    ...opts,
  };
}

export function departure(id: string, date: string, opts: Opt<Departure> = {}): StoredObservation {
  return {
    kind: 'Departure',
    id,
    date,
    port: 'JFK',
    channel: 'air',
    carrier: 'XX',
    flight: 'XX100',
    person: PERSON,
    admissionNumber: null,
    provenance: provenance(id),
    ...opts,
  };
}

/** A boarded passenger of an arrival manifest (or an entry scan): corroborates an admission. */
export function arrival(id: string, date: string, opts: Opt<Arrival> = {}): StoredObservation {
  return {
    kind: 'Arrival',
    id,
    date,
    port: 'JFK',
    channel: 'air',
    carrier: 'XX',
    flight: 'XX200',
    person: PERSON,
    admissionNumber: null,
    provenance: provenance(id),
    ...opts,
  };
}

export function statusChange(
  id: string,
  change: StatusChangeType,
  event: StatusChangeEvent,
  date: string,
  opts: Opt<StatusChange> = {},
): StoredObservation {
  return {
    kind: 'StatusChange',
    id,
    change,
    event,
    date,
    newAdmitUntil: null,
    newClassOfAdmission: null,
    person: PERSON,
    admissionNumber: null,
    provenance: provenance(id),
    ...opts,
  };
}

/** A departure record the linkage model placed on the person (not by an exact key): `identity: 'fuzzy'`. */
export function fuzzyDeparture(
  id: string,
  date: string,
  opts: Opt<Departure> = {},
): Departure & { readonly id: string; readonly identity: DepartureIdentity } {
  return { ...(departure(id, date, opts) as Departure & { id: string }), identity: 'fuzzy' };
}

/** A departure the person reported themselves (channel `self-report`): no carrier, flight or port. */
export function selfReport(id: string, date: string, opts: Opt<Departure> = {}): StoredObservation {
  return departure(id, date, { channel: 'self-report', carrier: null, flight: null, port: null, ...opts });
}
