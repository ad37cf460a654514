import type { Admission, Departure, PersonDescriptor, StatusChange } from '../observation/observation.js';

type Narrow<O> = Omit<O, 'person' | 'provenance'> & {
  readonly id: string;
  readonly person: Pick<PersonDescriptor, 'nationality'>;
};

/**
 * What the stays engine reads of an observation: its kind-specific facts, admission number and the
 * person's nationality (for statistics), not names or documents. A stored observation is one; so is
 * the compact projection the store keeps for fast recomputes (stay-facts.ts).
 */
export type StayInput = Narrow<Admission> | Narrow<Departure> | Narrow<StatusChange>;
export type AdmissionInput = Narrow<Admission>;
export type DepartureInput = Narrow<Departure>;
export type StatusChangeInput = Narrow<StatusChange>;
