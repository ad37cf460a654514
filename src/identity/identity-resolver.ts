import type { SqlSession } from '../store/sql-session.js';

/** One record to place: its identity keys (see core/identity/exact-keys.ts). */
export interface ResolutionInput {
  readonly keys: readonly string[];
}

export interface ResolutionResult {
  /** The person of each input, in input order. */
  readonly personIds: readonly string[];
  /** Every person whose observations changed (new, extended or merged into): their stays need recomputing. */
  readonly affectedPersonIds: ReadonlySet<string>;
  readonly personsCreated: number;
  readonly merges: readonly { readonly from: string; readonly into: string }[];
}

/**
 * Places a batch of records on persons, inside the caller's transaction. The exact resolver of the spine
 * implements it; the probabilistic linkage engine replaces it behind this same interface.
 */
export interface IdentityResolver {
  resolve(session: SqlSession, inputs: readonly ResolutionInput[]): Promise<ResolutionResult>;
}
