import { createReadStream } from 'node:fs';
import {
  blocksOfRules,
  candidatePairs,
  countCandidatePairs,
  defaultBlockingRules,
  type BlockingRule,
  type RuleCount,
} from '../core/linkage/blocking.js';
import { clusterLinks } from '../core/linkage/cluster-links.js';
import { compareRecords, comparisonsOf } from '../core/linkage/comparison-vector.js';
import { scoreVector, type LinkageModel } from '../core/linkage/fellegi-sunter.js';
import {
  KIND_OF_FIELD,
  LINK_FIELDS,
  normaliseValue,
  type FieldKind,
  type FieldSpec,
  type LinkField,
  type LinkRecord,
} from '../core/linkage/link-record.js';
import { trainModel, type PairList } from '../core/linkage/train-model.js';
import { csvRecords } from '../ingest/csv-lines.js';

/** How a file's columns feed the model: person fields, other compared columns, the record id. */
export interface ColumnMapping {
  readonly idColumn: string;
  /** Person field -> column name. */
  readonly fields: Partial<Record<LinkField, string>>;
  /** Other columns compared, with the kind each is compared as. */
  readonly others: readonly { readonly column: string; readonly kind: FieldKind }[];
}

export class LinkageInputError extends Error {
  readonly code = 'LINKAGE_INPUT_INVALID';
}

export interface InputRecords {
  readonly fields: FieldSpec[];
  readonly records: LinkRecord[];
  /** What the reading decided about the data (a placeholder date recognised, say), for the user. */
  readonly notes: readonly string[];
  /** How many files were read: one is deduplicated, two are linked. */
  readonly files: number;
  /** File of each record (0 or 1). */
  readonly side: Uint8Array;
  /** Raw cells of each record by column name (for a ground-truth column in evaluate). */
  readonly column: (name: string) => string[];
}

/** Parses "given_name=first,family_name=surname" into a mapping of person fields to columns. */
export function parseFieldMap(text: string): Partial<Record<LinkField, string>> {
  const out: Partial<Record<LinkField, string>> = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [field, column] = part.split('=').map((s) => s.trim());
    if (!field || !column)
      throw new LinkageInputError(`--map: "${part}" is not field=column (e.g. family_name=surname)`);
    if (!(LINK_FIELDS as readonly string[]).includes(field))
      throw new LinkageInputError(
        `--map: "${field}" is not a person field (one of ${LINK_FIELDS.join(', ')})`,
      );
    out[field as LinkField] = column;
  }
  return out;
}

const KINDS: readonly FieldKind[] = ['name', 'date', 'document', 'code', 'postcode', 'text'];

/** Parses "street_number:code,address_2:text" into other compared columns. */
export function parseOtherColumns(text: string): { column: string; kind: FieldKind }[] {
  return text
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((part) => {
      const [column, kind] = part.split(':').map((s) => s.trim());
      if (!column || !kind || !(KINDS as readonly string[]).includes(kind))
        throw new LinkageInputError(
          `--compare: "${part}" is not column:kind (kind one of ${KINDS.join(', ')})`,
        );
      return { column, kind: kind as FieldKind };
    });
}

/** Reads one or two CSV files into comparable records. */
export async function readLinkInput(paths: readonly string[], mapping: ColumnMapping): Promise<InputRecords> {
  // A document is its number and its issuing country together: the country qualifies the number
  // instead of being compared on its own, where it would count the nationality a second time.
  const issuer = mapping.fields.document_number !== undefined ? mapping.fields.document_country : undefined;
  const personFields = LINK_FIELDS.filter(
    (f) => mapping.fields[f] !== undefined && !(f === 'document_country' && issuer !== undefined),
  );
  const fields: FieldSpec[] = [
    ...personFields.map((f) => ({ name: f, kind: KIND_OF_FIELD[f] })),
    ...mapping.others.map((o) => ({ name: o.column, kind: o.kind })),
  ];
  if (fields.length === 0) throw new LinkageInputError('map at least one column onto a person field (--map)');
  const columnsOfField = [
    ...personFields.map((f) => mapping.fields[f]!),
    ...mapping.others.map((o) => o.column),
  ];
  const documentAt = fields.findIndex((f) => f.name === 'document_number');
  const records: LinkRecord[] = [];
  const sides: number[] = [];
  const cells: string[][] = [];
  let header: string[] = [];
  const seenIds = new Set<string>();
  for (let side = 0; side < paths.length; side++) {
    const path = paths[side]!;
    let columns: number[] | null = null;
    let idAt = -1;
    let issuerAt = -1;
    for await (const rec of csvRecords(createReadStream(path))) {
      if (columns === null) {
        const names = rec.cells.map((c) => c.trim());
        if (side === 0) header = names;
        else if (names.join(',') !== header.join(','))
          throw new LinkageInputError(`${path}: its columns differ from those of ${paths[0]}`);
        idAt = names.indexOf(mapping.idColumn);
        if (idAt < 0)
          throw new LinkageInputError(`${path}: no record-id column "${mapping.idColumn}" (--id)`);
        issuerAt = issuer === undefined ? -1 : names.indexOf(issuer);
        if (issuer !== undefined && issuerAt < 0)
          throw new LinkageInputError(`${path}: no column "${issuer}" (columns: ${names.join(', ')})`);
        columns = columnsOfField.map((c) => {
          const at = names.indexOf(c);
          if (at < 0) throw new LinkageInputError(`${path}: no column "${c}" (columns: ${names.join(', ')})`);
          return at;
        });
        continue;
      }
      if (rec.error !== undefined || rec.cells.length !== header.length)
        throw new LinkageInputError(
          `${path} line ${rec.line}: ${rec.error ?? `expected ${header.length} columns, found ${rec.cells.length}`}`,
        );
      const id = rec.cells[idAt]!.trim();
      if (id === '')
        throw new LinkageInputError(`${path} line ${rec.line}: the record id (${mapping.idColumn}) is empty`);
      const key = `${side}:${id}`;
      if (seenIds.has(key))
        throw new LinkageInputError(`${path} line ${rec.line}: record id "${id}" appears twice`);
      seenIds.add(key);
      const values = columns.map((at, f) => normaliseValue(fields[f]!.kind, rec.cells[at]));
      const country = issuerAt < 0 ? null : normaliseValue('code', rec.cells[issuerAt]);
      if (country !== null && values[documentAt] !== null)
        values[documentAt] = `${country}:${values[documentAt]}`;
      records.push({ id, values });
      sides.push(side);
      cells.push(rec.cells);
    }
    if (columns === null) throw new LinkageInputError(`${path}: the file is empty (no header)`);
  }
  const notes: string[] = [];
  const birthDateAt = fields.findIndex((f) => f.name === 'birth_date');
  if (birthDateAt >= 0) {
    const placeholders = newYearPlaceholders(records, birthDateAt);
    if (placeholders > 0)
      notes.push(
        `${placeholders.toLocaleString('en-US')} birth dates on 1 January read as unknown: the day is far more common than any other, so it stands for "unknown" here`,
      );
  }
  return {
    fields,
    records,
    notes,
    files: paths.length,
    side: Uint8Array.from(sides),
    column: (name) => {
      const at = header.indexOf(name);
      if (at < 0) throw new LinkageInputError(`no column "${name}" (columns: ${header.join(', ')})`);
      return cells.map((c) => c[at]!.trim());
    },
  };
}

/**
 * Where 1 January is far more common than a day should be (clerks enter it for an unknown birth date),
 * a birth date on 1 January counts as missing, never as agreement. Returns how many were cleared.
 */
function newYearPlaceholders(records: LinkRecord[], at: number): number {
  let dated = 0;
  let newYear = 0;
  for (const r of records) {
    const d = r.values[at];
    if (d === null || d === undefined) continue;
    dated++;
    if (d.endsWith('0101')) newYear++;
  }
  // Any one day is about 1/365 of birth dates; five times that (and at least 20 records) is a placeholder.
  if (newYear < 20 || newYear < (5 * dated) / 365) return 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (!r.values[at]?.endsWith('0101')) continue;
    const values = [...r.values];
    values[at] = null;
    records[i] = { id: r.id, values };
  }
  return newYear;
}

export interface LinkOptions {
  /** Link at or above this probability; default 0.5, where a match becomes likelier than not. */
  readonly threshold?: number;
  /** A rule that would create more pairs than this is reported as exploding. */
  readonly explosionPairs?: number;
  readonly uSamples?: number;
  readonly seed?: number;
  readonly onRuleCounts?: (counts: readonly RuleCount[], warnings: readonly string[]) => void;
}

export interface LinkResult {
  readonly model: LinkageModel & { readonly iterations: number };
  readonly rules: readonly BlockingRule[];
  readonly ruleCounts: readonly RuleCount[];
  readonly candidates: PairList;
  /** Match probability and weight of each candidate pair. */
  readonly probability: Float64Array;
  readonly matchWeight: Float64Array;
  readonly threshold: number;
  /** Cluster of each record (position of its smallest member). */
  readonly cluster: Int32Array;
  /** Record pairs compared in all: training (random and candidate pairs), scoring and clustering. */
  readonly comparisons: number;
}

/** Deduplicates one file's records (or links two files'), without labels. */
export function linkRecords(input: InputRecords, options: LinkOptions = {}): LinkResult {
  const { records, side } = input;
  const twoFiles = input.files === 2;
  const sideOf = twoFiles ? (i: number) => side[i]! : undefined;
  const n = records.length;
  if (twoFiles && (side.every((s) => s === 1) || side.every((s) => s === 0)))
    throw new LinkageInputError(
      `the ${side.some((s) => s === 0) ? 'second' : 'first'} file has no records to link`,
    );
  if (n < 2) throw new LinkageInputError('a file needs two records or more to deduplicate');
  const rules = defaultBlockingRules(input.fields);
  if (rules.length === 0)
    throw new LinkageInputError(
      'no blocking rule fits these fields: map a document number, a birth date or given and family names',
    );
  const ruleBlocks = blocksOfRules(rules, records);
  const ruleCounts = countCandidatePairs(ruleBlocks, sideOf);
  const limit = options.explosionPairs ?? Math.max(1_000_000, 50 * records.length);
  const warnings = ruleCounts
    .filter((r) => r.pairs > limit)
    .map(
      (r) =>
        `blocking rule "${r.rule}" creates ${r.pairs.toLocaleString('en-US')} pairs (largest block ${r.largestBlock.toLocaleString('en-US')} records): it explodes; a value common to many records is probably a placeholder`,
    );
  options.onRuleCounts?.(ruleCounts, warnings);
  const candidates = candidatePairs(ruleBlocks, records.length, sideOf);
  const c = comparisonsOf(input.fields);
  const left = twoFiles ? positionsOf(side, 0) : null;
  const right = twoFiles ? positionsOf(side, 1) : null;
  const allPairs = left && right ? left.length * right.length : (n * (n - 1)) / 2;
  // Random pairs for u: 300,000 by default, fewer where a small file has fewer pairs than that.
  const uSamples = Math.min(options.uSamples ?? 300_000, Math.max(1_000, 10 * allPairs));
  // EM learns from pairs that share a birth date or an identifier (see BlockingRule.trains).
  const trainingBlocks = ruleBlocks.some((b) => b.rule.trains)
    ? ruleBlocks.filter((b) => b.rule.trains)
    : ruleBlocks;
  const trainingPairs =
    trainingBlocks.length === ruleBlocks.length
      ? candidates
      : candidatePairs(trainingBlocks, records.length, sideOf);
  const model = trainModel(c, records, trainingPairs, {
    uSamples,
    seed: options.seed ?? 1,
    allPairs: left && right ? left.length * right.length : (n * (n - 1)) / 2,
    samplePair: (random) => {
      if (left && right)
        return [left[Math.floor(random() * left.length)]!, right[Math.floor(random() * right.length)]!];
      const i = Math.floor(random() * n);
      const j = (i + 1 + Math.floor(random() * (n - 1))) % n;
      return [i, j];
    },
  });
  let comparisons = uSamples + trainingPairs.left.length;
  const vector = new Uint8Array(c.fields.length);
  const score = (a: number, b: number) => {
    comparisons++;
    return scoreVector(model, compareRecords(c, records[a]!, records[b]!, vector), records[a]!);
  };
  const probability = new Float64Array(candidates.left.length);
  const matchWeight = new Float64Array(candidates.left.length);
  const links: { a: number; b: number; probability: number }[] = [];
  for (let k = 0; k < probability.length; k++) {
    const s = score(candidates.left[k]!, candidates.right[k]!);
    probability[k] = s.probability;
    matchWeight[k] = s.matchWeight;
    links.push({ a: candidates.left[k]!, b: candidates.right[k]!, probability: s.probability });
  }
  const threshold = options.threshold ?? 0.5;
  const cluster = clusterLinks({
    size: n,
    links,
    threshold,
    probability: (a, b) => score(a, b).probability,
  });
  return { model, rules, ruleCounts, candidates, probability, matchWeight, threshold, cluster, comparisons };
}

function positionsOf(side: Uint8Array, which: number): number[] {
  const out: number[] = [];
  side.forEach((s, i) => {
    if (s === which) out.push(i);
  });
  return out;
}
