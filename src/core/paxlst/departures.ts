/**
 * What a manifest says about one country's borders: the persons who left it (as flat Departure
 * records, the columns every feed is turned into) and the persons who arrived in it (typed, and as
 * flat Arrival records). Only a close-out list (BGM 1004 CL/CLOB) is evidence: a booked list says who was
 * expected to travel, and its records come back flagged `evidence: false`. Pure. See docs/paxlst.md.
 */
import { blankFlatRecord, type FlatRecord } from '../observation/flat-columns.js';
import type { DepartureChannel, IsoDate, Sex } from '../observation/observation.js';
import type {
  Manifest,
  ManifestLeg,
  ManifestPerson,
  PersonDocument,
  PersonRole,
  TransportMode,
} from './manifest.js';

/** Gives the country (ISO 3166-1 alpha-3) of a port or airport code, or null when unknown. */
export type PortCountry = (code: string) => string | null;

interface PersonEvidence {
  /** The person's 0-based place in the manifest. */
  readonly personIndex: number;
  readonly role: PersonRole;
  readonly crew: boolean;
  readonly transit: boolean;
  /** True only for persons of a close-out list that is not a cancellation. */
  readonly evidence: boolean;
}

export interface ManifestDeparture extends PersonEvidence {
  /** A Departure flat record, as `parseFlatRecord` reads it. */
  readonly record: FlatRecord;
}

export interface ManifestArrival extends PersonEvidence {
  readonly givenNames: string | null;
  readonly familyNames: string | null;
  readonly birthDate: IsoDate | null;
  readonly sex: Sex | null;
  readonly nationality: string | null;
  readonly document: PersonDocument | null;
  /** The arrival day (local), from DTM+232 of the arriving leg; null when not sent. */
  readonly date: IsoDate | null;
  readonly port: string;
  readonly channel: TransportMode;
  readonly carrier: string | null;
  readonly flight: string;
  /**
   * An Arrival flat record, as `parseFlatRecord` reads it; null when the arriving leg has no arrival
   * date (DTM+232), which is not guessed.
   */
  readonly record: FlatRecord | null;
}

export interface ManifestEvidence {
  /** The country asked about (upper case). */
  readonly country: string;
  /** Whether the records are evidence of movement (a close-out list that is not a cancellation). */
  readonly evidence: boolean;
  /** Why they are, or are not. */
  readonly note: string;
  /** The leg that leaves the country (departs from one of its ports to a port outside it), if any. */
  readonly departureLeg: ManifestLeg | null;
  /** The leg that enters the country, if any. */
  readonly arrivalLeg: ManifestLeg | null;
  readonly departures: readonly ManifestDeparture[];
  readonly arrivals: readonly ManifestArrival[];
  /** Persons on the manifest who are not on the leg out of (or into) the country, and why. */
  readonly skipped: readonly { readonly personIndex: number; readonly reason: string }[];
}

const CHANNEL: Readonly<Record<TransportMode, DepartureChannel>> = { air: 'air', sea: 'sea', land: 'land' };

/** The travel document a departure names: a passport first, then an identity card, then any non-visa. */
export function primaryDocument(p: ManifestPerson): PersonDocument | null {
  let best: PersonDocument | null = null;
  let rank = 99;
  for (const d of p.documents) {
    const r =
      d.type === 'P'
        ? 0
        : d.type === 'I'
          ? 1
          : d.type === 'A' || d.type === 'C'
            ? 2
            : d.type === 'V'
              ? 99
              : 3;
    if (r < rank) {
      best = d;
      rank = r;
    }
  }
  return best;
}

function evidenceOf(m: Manifest): { evidence: boolean; note: string } {
  if (m.function === 'cancel')
    return { evidence: false, note: 'a cancellation withdraws earlier data: not evidence of movement' };
  switch (m.status) {
    case 'closeout':
      return { evidence: true, note: 'close-out list: the persons listed were on board' };
    case 'not-boarded':
      return { evidence: false, note: 'close-out list of persons NOT on board: not evidence of movement' };
    default:
      return {
        evidence: false,
        note: 'booked list (sent before departure): says who was expected to travel, not who did; not evidence of movement',
      };
  }
}

function legIndex(legs: readonly ManifestLeg[], port: string, side: 'departurePort' | 'arrivalPort'): number {
  for (let i = 0; i < legs.length; i++) if (legs[i]![side] === port) return i;
  return -1;
}

/**
 * Whether the person rode leg `at` of the manifest: not when they embark at a later leg's departure
 * port or leave at an earlier leg's arrival port (as far as LOC+178/179 say).
 */
function rodeLeg(legs: readonly ManifestLeg[], at: number, p: ManifestPerson): string | null {
  if (legs.length === 1) return null;
  if (p.embarkation !== null) {
    const i = legIndex(legs, p.embarkation, 'departurePort');
    if (i > at) return `embarks at ${p.embarkation}, after leg ${legs[at]!.flight}`;
  }
  if (p.debarkation !== null) {
    const i = legIndex(legs, p.debarkation, 'arrivalPort');
    if (i >= 0 && i < at) return `debarks at ${p.debarkation}, before leg ${legs[at]!.flight}`;
  }
  return null;
}

function recordId(
  m: Manifest,
  p: ManifestPerson,
  leg: ManifestLeg,
  date: string,
  doc: PersonDocument | null,
): string {
  // Stable across re-sends and changes of the same flight: a corrected close-out supersedes the old record.
  if (doc !== null)
    return `PAXLST/${leg.flight}/${date}/${leg.departurePort ?? ''}/${doc.issuingCountry ?? ''}/${doc.number}`;
  return `PAXLST/${m.interchange.controlRef}/${m.messageRef}/${p.index + 1}`;
}

function departureRecord(m: Manifest, p: ManifestPerson, leg: ManifestLeg): FlatRecord {
  const r = blankFlatRecord();
  const doc = primaryDocument(p);
  const date = leg.departureAt === null ? '' : leg.departureAt.slice(0, 10);
  r.record_id = recordId(m, p, leg, date, doc);
  r.kind = 'Departure';
  withPerson(r, p, doc);
  r.date = date === '' ? undefined : date;
  r.port = leg.departurePort ?? undefined;
  r.channel = CHANNEL[leg.mode];
  r.carrier = leg.carrier ?? undefined;
  r.flight = leg.flight;
  return r;
}

/** The passenger's particulars and document on a flat record. */
function withPerson(r: FlatRecord, p: ManifestPerson, doc: ReturnType<typeof primaryDocument>): void {
  r.given_names = p.givenNames ?? undefined;
  r.family_names = p.familyNames ?? undefined;
  r.birth_date = p.birthDate ?? undefined;
  r.sex = p.sex ?? undefined;
  r.nationality = p.nationality ?? undefined;
  if (doc === null) return;
  r.doc_number = doc.number;
  // A code that is not an ICAO type (F, M ...) is passed as sent, so the import names it rather than guessing.
  r.doc_type = doc.type ?? doc.code;
  r.doc_country = doc.issuingCountry ?? undefined;
  r.doc_expiry = doc.expiry ?? undefined;
}

function arrivalRecord(m: Manifest, p: ManifestPerson, leg: ManifestLeg): FlatRecord | null {
  if (leg.arrivalAt === null) return null;
  const r = blankFlatRecord();
  const doc = primaryDocument(p);
  const date = leg.arrivalAt.slice(0, 10);
  // Its own id space: the same person's departure record of another leg never shares it.
  r.record_id =
    doc !== null
      ? `PAXLST/ARR/${leg.flight}/${date}/${leg.arrivalPort ?? ''}/${doc.issuingCountry ?? ''}/${doc.number}`
      : `PAXLST/ARR/${m.interchange.controlRef}/${m.messageRef}/${p.index + 1}`;
  r.kind = 'Arrival';
  withPerson(r, p, doc);
  r.date = date;
  r.port = leg.arrivalPort ?? undefined;
  r.channel = CHANNEL[leg.mode];
  r.carrier = leg.carrier ?? undefined;
  r.flight = leg.flight;
  return r;
}

/**
 * The departures from (and arrivals into) `country` that a manifest records. The leg that leaves the
 * country is the first non-overflight leg from a port in it to a port outside it (`portCountry` tells
 * where a port is; a port it does not know counts as outside). Every person on that leg gives a
 * Departure flat record; crew and in-transit persons are flagged. The leg that enters the country
 * gives arrival evidence the same way, each with an Arrival flat record.
 */
export function manifestDepartures(
  manifest: Manifest,
  country: string,
  portCountry: PortCountry,
): ManifestEvidence {
  const c = country.toUpperCase();
  // Ports repeat on every person: ask `portCountry` once per port.
  const known = new Map<string, boolean>();
  const inCountry = (port: string | null): boolean => {
    if (port === null) return false;
    let v = known.get(port);
    if (v === undefined) {
      v = portCountry(port)?.toUpperCase() === c;
      known.set(port, v);
    }
    return v;
  };
  const { evidence, note } = evidenceOf(manifest);
  const legs = manifest.legs;
  const out = legs.findIndex((l) => !l.overflight && inCountry(l.departurePort) && !inCountry(l.arrivalPort));
  const into = legs.findIndex(
    (l) => !l.overflight && inCountry(l.arrivalPort) && !inCountry(l.departurePort),
  );
  const departures: ManifestDeparture[] = [];
  const arrivals: ManifestArrival[] = [];
  const skipped: { personIndex: number; reason: string }[] = [];
  for (const p of manifest.persons) {
    if (out >= 0) {
      const leg = legs[out]!;
      const why = inCountry(p.debarkation)
        ? `debarks at ${p.debarkation} in ${c}: does not leave it`
        : rodeLeg(legs, out, p);
      if (why === null) {
        departures.push({
          personIndex: p.index,
          role: p.role,
          crew: p.crew,
          transit: p.transit,
          evidence,
          record: departureRecord(manifest, p, leg),
        });
      } else skipped.push({ personIndex: p.index, reason: why });
    }
    if (into >= 0) {
      const leg = legs[into]!;
      const why = inCountry(p.embarkation)
        ? `embarks at ${p.embarkation} in ${c}: does not enter it`
        : rodeLeg(legs, into, p);
      if (why !== null) {
        skipped.push({ personIndex: p.index, reason: why });
        continue;
      }
      arrivals.push({
        personIndex: p.index,
        role: p.role,
        crew: p.crew,
        transit: p.transit,
        evidence,
        givenNames: p.givenNames,
        familyNames: p.familyNames,
        birthDate: p.birthDate,
        sex: p.sex,
        nationality: p.nationality,
        document: primaryDocument(p),
        date: leg.arrivalAt === null ? null : leg.arrivalAt.slice(0, 10),
        port: leg.arrivalPort!,
        channel: leg.mode,
        carrier: leg.carrier,
        flight: leg.flight,
        record: arrivalRecord(manifest, p, leg),
      });
    }
  }
  return {
    country: c,
    evidence,
    note: out < 0 && into < 0 ? `${note}; no leg leaves or enters ${c}` : note,
    departureLeg: out >= 0 ? legs[out]! : null,
    arrivalLeg: into >= 0 ? legs[into]! : null,
    departures,
    arrivals,
    skipped,
  };
}
