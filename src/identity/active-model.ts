import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LinkageModel } from '../core/linkage/fellegi-sunter.js';
import { PERSON_LINK_FIELDS } from '../core/linkage/person-link.js';
import type { PlacementThresholds } from '../core/linkage/place-record.js';
import { fromStoredModel, type StoredModel } from '../core/linkage/stored-model.js';
import type { SqlSession } from '../store/sql-session.js';

/** The model the store links with, and its thresholds. */
export interface ActiveModel {
  readonly id: string;
  readonly model: LinkageModel;
  readonly thresholds: PlacementThresholds;
}

/** A model with what it was trained on and its thresholds: the form a model file holds. */
export interface ModelRelease {
  readonly trainedOn: string;
  readonly thresholds: PlacementThresholds;
  readonly model: StoredModel;
}

/**
 * The model a fresh store starts with, trained without labels on a generated population by
 * `imos linkage train --generated` (docs/linkage.md). `imos linkage train` replaces it with one trained
 * on the store's own records.
 */
export const BUNDLED_MODEL_FILE = fileURLToPath(new URL('../../config/linkage-model.json', import.meta.url));

export function readModelRelease(file: string): ModelRelease {
  const release = JSON.parse(readFileSync(file, 'utf8')) as ModelRelease;
  fromStoredModel(release.model, PERSON_LINK_FIELDS); // throws on a model that does not fit
  return release;
}

/** Stores a model and makes it the active one, in the caller's transaction; returns its id. */
export async function installModel(session: SqlSession, release: ModelRelease): Promise<string> {
  fromStoredModel(release.model, PERSON_LINK_FIELDS);
  await session.query('update linkage_model set active = false where active');
  const [row] = await session.query<{ id: string }>(
    `insert into linkage_model (trained_on, link_threshold, review_threshold, model, active)
     values ($1, $2, $3, $4, true) returning id::text as id`,
    [release.trainedOn, release.thresholds.link, release.thresholds.review, JSON.stringify(release.model)],
  );
  return row!.id;
}

/**
 * The active model, installing the bundled one on a store that has none. `known` is the caller's copy:
 * reused while it is still the active one, so a batch costs one small query, not a model parse.
 */
export async function activeModel(session: SqlSession, known: ActiveModel | null): Promise<ActiveModel> {
  const [row] = await session.query<{ id: string }>(
    'select id::text as id from linkage_model where active',
    [],
    'active_linkage_model',
  );
  if (row === undefined) {
    // Two processes may install at once: the unique index on the active row lets one win; read it then.
    await session.query('select pg_advisory_xact_lock(hashtext($1))', ['linkage_model']);
    const [again] = await session.query<{ id: string }>(
      'select id::text as id from linkage_model where active',
    );
    if (again === undefined) await installModel(session, readModelRelease(BUNDLED_MODEL_FILE));
    return activeModel(session, known);
  }
  if (known !== null && known.id === row.id) return known;
  const [m] = await session.query<{ model: unknown; link: number; review: number }>(
    'select model, link_threshold as link, review_threshold as review from linkage_model where id = $1',
    [row.id],
  );
  const model = typeof m!.model === 'string' ? (JSON.parse(m!.model) as unknown) : m!.model;
  return {
    id: row.id,
    model: fromStoredModel(model, PERSON_LINK_FIELDS),
    thresholds: { link: Number(m!.link), review: Number(m!.review) },
  };
}
