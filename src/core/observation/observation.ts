/**
 * Canonical observations: the typed, immutable facts every feed is turned into.
 * A fact is never edited; a correction is a new fact that supersedes an old one (docs/adr/0002).
 * Dates are ISO calendar dates (YYYY-MM-DD) with no time zone: border events are recorded by day.
 */

export const OBSERVATION_KINDS = ['Admission', 'Departure', 'StatusChange', 'Arrival'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/** How a person left. `removal` is an enforced departure, not a self-departure. */
export const DEPARTURE_CHANNELS = ['air', 'sea', 'land', 'self-report', 'removal'] as const;
export type DepartureChannel = (typeof DEPARTURE_CHANNELS)[number];

/** How a person arrived: the modes a carrier manifest or a border checkpoint observes. */
export const ARRIVAL_CHANNELS = ['air', 'sea', 'land'] as const;
export type ArrivalChannel = (typeof ARRIVAL_CHANNELS)[number];

export const STATUS_CHANGE_TYPES = [
  'extension',
  'change-of-status',
  'adjustment-to-permanent-residence',
  'naturalization',
] as const;
export type StatusChangeType = (typeof STATUS_CHANGE_TYPES)[number];

export const STATUS_CHANGE_EVENTS = ['filed', 'granted', 'denied'] as const;
export type StatusChangeEvent = (typeof STATUS_CHANGE_EVENTS)[number];

export const SEXES = ['F', 'M', 'X'] as const;
export type Sex = (typeof SEXES)[number];

/** ICAO 9303 document type codes we accept: passport, visa, identity card, crew, other. */
export const DOCUMENT_TYPES = ['P', 'V', 'I', 'A', 'C'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** YYYY-MM-DD. */
export type IsoDate = string;

export interface TravelDocument {
  readonly number: string;
  readonly type: DocumentType;
  /** ISO 3166-1 alpha-3 (ICAO uses the same codes, plus a few such as D for Germany, normalised to DEU). */
  readonly issuingCountry: string;
  readonly expiry: IsoDate | null;
}

/** Who an observation is about, as the source recorded it (never corrected in place). */
export interface PersonDescriptor {
  readonly givenNames: string | null;
  readonly familyNames: string | null;
  readonly birthDate: IsoDate | null;
  readonly sex: Sex | null;
  /** Country of citizenship, ISO 3166-1 alpha-3. Kept for visa rules and statistics only. */
  readonly nationality: string | null;
  readonly document: TravelDocument | null;
}

/** Where a fact came from: the feed and the raw record kept as received. */
export interface Provenance {
  readonly source: string;
  /** The record's id in its source; absent ids are replaced by the content hash. */
  readonly sourceRecordId: string;
  /** The raw record row in the store (set once stored). */
  readonly rawRecordId: string | null;
}

interface ObservationBase {
  readonly person: PersonDescriptor;
  /** I-94 style admission number, where the source knows it; links the records of one stay. */
  readonly admissionNumber: string | null;
  readonly provenance: Provenance;
}

export interface Admission extends ObservationBase {
  readonly kind: 'Admission';
  readonly date: IsoDate;
  readonly port: string;
  readonly classOfAdmission: string;
  /** Admit-until date printed on the record; null with duration of status or when the class fixes it. */
  readonly admitUntil: IsoDate | null;
  /** "D/S": admitted for the duration of a programme (students, exchange visitors). */
  readonly durationOfStatus: boolean;
  /** End of the programme for D/S admissions, where known. */
  readonly programEndDate: IsoDate | null;
}

export interface Departure extends ObservationBase {
  readonly kind: 'Departure';
  readonly date: IsoDate;
  readonly port: string | null;
  readonly channel: DepartureChannel;
  readonly carrier: string | null;
  readonly flight: string | null;
}

export interface StatusChange extends ObservationBase {
  readonly kind: 'StatusChange';
  readonly change: StatusChangeType;
  readonly event: StatusChangeEvent;
  /** The day of this event: the filing date, or the decision date. */
  readonly date: IsoDate;
  /** For an extension or change of status that is granted: the new authorized-until date. */
  readonly newAdmitUntil: IsoDate | null;
  /** For a change of status: the new class of admission. */
  readonly newClassOfAdmission: string | null;
}

/**
 * Evidence that the person arrived: a boarded passenger of a carrier's close-out manifest on the leg
 * into the country, or a document read at an entry checkpoint. Not an admission (it carries no class of
 * admission nor admit-until date, so it never opens a stay) and never a departure: it corroborates the
 * admission of the same person on the same day or the day before or after (docs/rules.md).
 */
export interface Arrival extends ObservationBase {
  readonly kind: 'Arrival';
  readonly date: IsoDate;
  /** The port of arrival, or the checkpoint id where the document was read. */
  readonly port: string;
  readonly channel: ArrivalChannel;
  readonly carrier: string | null;
  readonly flight: string | null;
}

export type Observation = Admission | Departure | StatusChange | Arrival;

/** An observation as stored: with its id, and the person it was resolved to. */
export type StoredObservation = Observation & { readonly id: string };
