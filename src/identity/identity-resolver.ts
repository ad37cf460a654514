import type { SqlSession } from '../store/sql-session.js';

/** One record to place. */
export interface ResolutionInput {
  /** Exact identity keys (see core/identity/exact-keys.ts). */
  readonly keys: readonly string[];
  /**
   * The person as the linkage model compares it (core/linkage/person-link.ts, encoded), or null: a
   * record the model cannot read is placed by its keys alone.
   */
  readonly personLink?: string | null;
  /**
   * The link's blocking and name-search keys (decimal), when the caller computed them already (the import
   * does, in its reader thread); else the resolver computes them.
   */
  readonly blockKeys?: readonly string[];
  readonly searchKeys?: readonly string[];
  /** The list the record came on (a manifest message): records of one list are never one person. */
  readonly list?: string;
  /** The observation's kind: a departure the model links waits for a person's confirmation. */
  readonly kind?: string;
  /** A record from the public (a self-report): it may join one person, never merge two. */
  readonly public?: boolean;
  /** The observation the record becomes: the model's decisions and reviews name it. */
  readonly observationId?: string;
}

export interface ResolutionResult {
  /** The person of each input, in input order. */
  readonly personIds: readonly string[];
  /** Every person whose observations changed (new, extended or merged into): their stays need recomputing. */
  readonly affectedPersonIds: ReadonlySet<string>;
  readonly personsCreated: number;
  readonly merges: readonly { readonly from: string; readonly into: string }[];
  /** Records the model linked to a stored person or to another record of the batch. */
  readonly linkedByModel: number;
  /** Records placed on a new person and queued for review against a candidate. */
  readonly reviewsQueued: number;
  /** Per input: placed by the model's match (fuzzy), not by an exact key. */
  readonly fuzzy: readonly boolean[];
}

/**
 * Places a batch of records on persons, inside the caller's transaction. The exact resolver of the spine
 * implements it, and so does the linkage resolver that matches records through the trained model.
 */
export interface IdentityResolver {
  resolve(session: SqlSession, inputs: readonly ResolutionInput[]): Promise<ResolutionResult>;
}
