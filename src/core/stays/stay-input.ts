import type {
  Admission,
  Arrival,
  Departure,
  PersonDescriptor,
  StatusChange,
} from '../observation/observation.js';

type Narrow<O> = Omit<O, 'person' | 'provenance'> & {
  readonly id: string;
  readonly person: Pick<PersonDescriptor, 'nationality'>;
};

/**
 * How a departure record was placed on the person: `exact` by an exact key (document, admission
 * number), `fuzzy` by the probabilistic linkage model only. A fuzzy match never ends a stay: it waits
 * for a person to confirm the identity (PRODUCT.md: an uncertain identity match is never merged silently).
 */
export const DEPARTURE_IDENTITIES = ['exact', 'fuzzy'] as const;
export type DepartureIdentity = (typeof DEPARTURE_IDENTITIES)[number];

/**
 * What the stays engine reads of an observation: its kind-specific facts, admission number and the
 * person's nationality (for statistics), not names or documents. A stored observation is one; so is
 * the compact projection the store keeps for fast recomputes (stay-facts.ts).
 */
export type StayInput = AdmissionInput | DepartureInput | StatusChangeInput | ArrivalInput;
export type AdmissionInput = Narrow<Admission>;
/**
 * A departure, and how surely it is this person's: `identity` absent means `exact` (so a stored
 * observation, which has no such field, is an exact match). The store sets `fuzzy` for departures the
 * linkage model placed on the person.
 */
export type DepartureInput = Narrow<Departure> & { readonly identity?: DepartureIdentity };
export type StatusChangeInput = Narrow<StatusChange>;
/**
 * An arrival (a boarded passenger of a manifest into the country, an entry scan): it corroborates an
 * admission, never opens or ends a stay. `identity` as for a departure: a `fuzzy` arrival (placed by the
 * linkage model only) corroborates nothing and stays on the person's timeline.
 */
export type ArrivalInput = Narrow<Arrival> & { readonly identity?: DepartureIdentity };
