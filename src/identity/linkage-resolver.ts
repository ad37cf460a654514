import { UnionFind } from '../core/identity/union-find.js';
import { compareRecords } from '../core/linkage/comparison-vector.js';
import { explainVector, matchWeightOf, probabilityOf } from '../core/linkage/fellegi-sunter.js';
import { hash53, personBlockKeys, personSearchKeys } from '../core/linkage/person-block-keys.js';
import { documentRulesOut } from '../core/linkage/person-documents.js';
import { decodePersonLink, linkRecordOf, type PersonLink } from '../core/linkage/person-link.js';
import { placeRecord, type CandidateScore, type Placement } from '../core/linkage/place-record.js';
import { hash53Position, inIndexOrder } from '../store/index-order.js';
import { readByIndex } from '../store/read-by-index.js';
import type { SqlSession } from '../store/sql-session.js';
import { activeModel, type ActiveModel } from './active-model.js';
import { groupByExactKeys, type KeyGroups } from './exact-components.js';
import type { IdentityResolver, ResolutionInput, ResolutionResult } from './identity-resolver.js';
import { lockIdentities, writePersons } from './write-persons.js';
import { arrayParam } from '../store/array-param.js';

export interface LinkageResolverOptions {
  /** Share of the model's automatic links queued for quality review (default 2 %). */
  readonly qualitySampleRate?: number;
}

/** A record's keys in the person index: blocking keys (resolution looks them up) and name-search keys. */
interface IndexKeys {
  readonly block: readonly string[];
  readonly search: readonly string[];
}

const NO_KEYS: IndexKeys = { block: [], search: [] };

function indexKeysOf(input: ResolutionInput, link: PersonLink | null): IndexKeys {
  if (link === null) return NO_KEYS;
  return {
    block: input.blockKeys ?? personBlockKeys(link).map(String),
    search: input.searchKeys ?? personSearchKeys(link).map(String),
  };
}

/**
 * The best-scoring pair of records between a record group and a candidate. Its waterfall is built only
 * for the pairs a decision or review keeps (explanationOf): most candidates are scored and dropped.
 */
interface PairMatch {
  readonly probability: number;
  readonly matchWeight: number;
  readonly record: PersonLink;
  readonly candidate: PersonLink;
  /** Why the model must not link the pair on its own, or null. */
  readonly constraint: string | null;
}

export interface Explanation {
  /** Why the model must not link the pair on its own, or null. */
  readonly constraint: string | null;
  readonly prior: number;
  readonly matchWeight: number;
  readonly probability: number;
  readonly fields: readonly {
    readonly field: string;
    readonly level: string;
    readonly weight: number;
    readonly termFrequencyAdjustment: number;
    readonly record: string | null;
    readonly candidate: string | null;
  }[];
}

const DOCUMENTS_CONFLICT =
  'two documents of the same type and issuer, valid at the same time: a renewed document, or two people; only a person can tell';

const PUBLIC_NEVER_MERGES =
  'a record from the public (a self-report) reaches two persons by its keys: it never merges them; a person decides';

const ONE_LIST = 'two records of one passenger list (manifest) are two people: never one person';

const DECIDED_APART =
  'the record reaches by its keys persons a reviewer decided are different people: they are not merged; a person decides where it belongs';

/** A group of the batch with no stored person by its keys: the model places it. */
interface OpenGroup {
  readonly group: number;
  readonly links: PersonLink[];
  readonly keys: Set<string>;
  /** The lists (manifests) its records came on. */
  readonly lists: Set<string>;
}

/**
 * Identity resolution with the trained model (docs/adr/0009-linkage-in-the-store.md). Exact keys join
 * first, as in the exact resolver. A group of records that reaches no stored person by its keys is then
 * matched through the person index: first against the batch's other such groups, then against the stored
 * persons that share a blocking key with it. One candidate above the link threshold: linked. Uncertain:
 * a new person and a review. Nothing: a new person. Every decision keeps its waterfall.
 */
export function linkageResolver(options: LinkageResolverOptions = {}): IdentityResolver {
  const sampleRate = options.qualitySampleRate ?? 0.02;
  let known: ActiveModel | null = null;
  return {
    async resolve(session, inputs): Promise<ResolutionResult> {
      await lockIdentities(session);
      await readByIndex(session);
      const model = (known = await activeModel(session, known));
      const links = inputs.map((i) => (i.personLink ? decodePersonLink(i.personLink) : null));
      const exact = await groupByExactKeys(session, inputs);
      const keysOf = inputs.map((input, i) => indexKeysOf(input, links[i]!));
      const matched = await matchOpenGroups(
        session,
        model,
        exact,
        links,
        inputs.map((i) => i.personLink ?? null),
        keysOf,
        inputs.map((i) => i.list),
      );
      const persons = await writePersons(session, matched.groups);
      const personIds = Array.from(matched.groups.groupOf, (g) => persons.personOfGroup[g]!);
      await recordLists(session, inputs, personIds);
      await indexPersons(
        session,
        inputs,
        keysOf,
        personIds,
        new Set(persons.created.map((g) => persons.personOfGroup[g]!)),
      );
      const { fuzzy, ...counts } = await writeDecisions(
        session,
        model,
        inputs,
        matched,
        persons.personOfGroup,
        sampleRate,
      );
      return {
        personIds,
        affectedPersonIds: new Set(personIds),
        personsCreated: persons.created.length,
        merges: persons.merges,
        ...counts,
        fuzzy,
      };
    },
  };
}

interface Matched {
  /** The exact groups after the model's joins (open groups joined in the batch, or linked to a stored person). */
  readonly groups: KeyGroups;
  /** Final group -> what the model decided and on which evidence. */
  readonly placements: Map<number, { placement: Placement; best: Map<string, PairMatch> }>;
  /** Exact group of each input, before the model's joins. */
  readonly exactGroupOf: Int32Array;
  /** Exact groups the model joined to another group of the batch, and the pair that joined them. */
  readonly joins: { readonly exactGroup: number; readonly match: PairMatch }[];
  /** Batch pairs in the uncertain band left apart: (final group, final group, match). */
  readonly batchReviews: { readonly a: number; readonly b: number; readonly match: PairMatch }[];
  /** Public records whose keys reached several persons: placed on the oldest, the others for review. */
  readonly withheldReviews: { readonly group: number; readonly person: string; readonly match: PairMatch }[];
}

async function matchOpenGroups(
  session: SqlSession,
  { model, thresholds }: ActiveModel,
  exact: KeyGroups,
  links: readonly (PersonLink | null)[],
  /** The same links as encoded (person-link.ts): one string tells two descriptions apart. */
  encodedLinks: readonly (string | null)[],
  keysOf: readonly IndexKeys[],
  listOf: readonly (string | undefined)[],
): Promise<Matched> {
  const c = model.comparisons;
  const vector = new Uint8Array(c.fields.length);
  /** The best pair across two sets of links. Only the best becomes a PairMatch: most candidates lose. */
  const bestPair = (as: readonly PersonLink[], bs: readonly PersonLink[]): PairMatch => {
    let best = -Infinity;
    let bestWeight = 0;
    let record = as[0]!;
    let candidate = bs[0]!;
    for (const a of as)
      for (const b of bs) {
        const w = matchWeightOf(model, compareRecords(c, a, b, vector), a);
        const p = probabilityOf(w);
        if (p > best) {
          best = p;
          bestWeight = w;
          record = a;
          candidate = b;
        }
      }
    return { probability: best, matchWeight: bestWeight, record, candidate, constraint: null };
  };
  const withConflict = (m: PairMatch): PairMatch => ({ ...m, constraint: DOCUMENTS_CONFLICT });
  const conflict = (as: readonly PersonLink[], bs: readonly PersonLink[]) =>
    as.some((a) => documentRulesOut(a, bs)) || bs.some((b) => documentRulesOut(b, as));

  // The open groups, each with its distinct links and their blocking keys.
  const open: OpenGroup[] = [];
  const openAt = new Map<number, number>();
  const seen = new Map<number, Set<string>>();
  links.forEach((link, i) => {
    const g = exact.groupOf[i]!;
    if (link === null || exact.storedPersons[g]!.length > 0) return;
    let k = openAt.get(g);
    if (k === undefined) {
      openAt.set(g, (k = open.length));
      open.push({ group: g, links: [], keys: new Set(), lists: new Set() });
      seen.set(k, new Set());
    }
    const list = listOf[i];
    if (list !== undefined) open[k]!.lists.add(list);
    const line = encodedLinks[i]!;
    if (seen.get(k)!.has(line)) return;
    seen.get(k)!.add(line);
    open[k]!.links.push(link);
    for (const key of keysOf[i]!.block) open[k]!.keys.add(key);
  });

  // Within the batch: open groups that share a blocking key, strongest pair first.
  const byKey = new Map<string, number[]>();
  open.forEach((o, k) => {
    for (const key of o.keys) {
      const list = byKey.get(key);
      if (list) list.push(k);
      else byKey.set(key, [k]);
    }
  });
  const pairCodes = new Set<number>();
  for (const list of byKey.values())
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) pairCodes.add(list[x]! * open.length + list[y]!);
  const pairs = [...pairCodes]
    .map((code) => {
      const a = Math.floor(code / open.length);
      const b = code - a * open.length;
      return { a, b, match: bestPair(open[a]!.links, open[b]!.links) };
    })
    .filter((p) => p.match.probability >= thresholds.review)
    .sort((x, y) => y.match.probability - x.match.probability);
  const uf = new UnionFind(open.length);
  const linksOf = open.map((o) => o.links.slice());
  const listsOf = open.map((o) => new Set(o.lists));
  const sameList = (a: Set<string>, b: Set<string>) => [...a].some((l) => b.has(l));
  const joinsOpen: { into: number; from: number; match: PairMatch }[] = [];
  const bandPairs: { a: number; b: number; match: PairMatch }[] = [];
  for (const p of pairs) {
    const ra = uf.find(p.a);
    const rb = uf.find(p.b);
    if (ra === rb) continue;
    const apart = sameList(listsOf[ra]!, listsOf[rb]!);
    if (p.match.probability >= thresholds.link && !apart && !conflict(linksOf[ra]!, linksOf[rb]!)) {
      uf.union(ra, rb);
      const r = uf.find(ra);
      linksOf[r] = [...linksOf[ra]!, ...linksOf[rb]!];
      listsOf[r] = new Set([...listsOf[ra]!, ...listsOf[rb]!]);
      joinsOpen.push({ into: p.a, from: p.b, match: p.match });
    } else
      bandPairs.push(p.match.probability >= thresholds.link ? { ...p, match: withConflict(p.match) } : p);
  }

  // Against the store: the persons that share a blocking key with each cluster of open groups.
  const clusters = new Map<number, number[]>();
  open.forEach((_, k) => {
    const r = uf.find(k);
    const list = clusters.get(r);
    if (list) list.push(k);
    else clusters.set(r, [k]);
  });
  const allKeys = [...byKey.keys()]; // every blocking key of the open groups, once
  const candidateRows =
    allKeys.length === 0
      ? []
      : await session.query<{ key_hash: string; person_id: string }>(
          // A merge moves the merged person's keys (write-persons.ts): a key names a live person.
          'select key_hash::text as key_hash, person_id::text as person_id from person_block_key where key_hash = any($1::bigint[])',
          [arrayParam(allKeys)],
        );
  const personsOfKey = new Map<string, string[]>();
  for (const r of candidateRows) {
    const key = r.key_hash;
    const list = personsOfKey.get(key);
    if (list) list.push(r.person_id);
    else personsOfKey.set(key, [r.person_id]);
  }
  const withheldPersons = exact.withheld.flatMap((w) => w.persons);
  const candidatePersons = [...new Set([...candidateRows.map((r) => r.person_id), ...withheldPersons])];
  const descriptorRows =
    candidatePersons.length === 0
      ? []
      : await session.query<{ person_id: string; link: string }>(
          'select person_id::text as person_id, link from person_descriptor where person_id = any($1::bigint[])',
          [arrayParam(candidatePersons)],
        );
  const linksOfPerson = new Map<string, PersonLink[]>();
  for (const r of descriptorRows) {
    const list = linksOfPerson.get(r.person_id);
    const link = decodePersonLink(r.link);
    if (list) list.push(link);
    else linksOfPerson.set(r.person_id, [link]);
  }

  const withheldReviews: { group: number; person: string; match: PairMatch }[] = [];
  for (const w of exact.withheld) {
    const theirs = links.filter((l, i): l is PersonLink => l !== null && exact.groupOf[i] === w.group);
    for (const person of w.persons) {
      const others = linksOfPerson.get(person);
      if (theirs.length === 0 || !others) continue;
      const match = bestPair(theirs, others);
      withheldReviews.push({
        group: w.group,
        person,
        match: { ...match, constraint: w.reason === 'public' ? PUBLIC_NEVER_MERGES : DECIDED_APART },
      });
    }
  }
  const placements = new Map<number, { placement: Placement; best: Map<string, PairMatch> }>();
  const finalOfOpen = new Map<number, number>(); // open root -> final group
  const storedPersons: string[][] = exact.storedPersons.map((p) => [...p]);
  // Who is on each of the batch's lists already: placed by an earlier batch or process (person_list),
  // or reached by exact keys in this batch. The model never links a record to a person on its list.
  const linkedOnList = new Map<string, Set<string>>();
  const putOnList = (list: string, person: string) =>
    (linkedOnList.get(list) ?? linkedOnList.set(list, new Set()).get(list)!).add(person);
  const batchLists = [...new Set(listOf.filter((l): l is string => l !== undefined))];
  if (batchLists.length > 0) {
    for (const r of await session.query<{ list_key: string; person_id: string }>(
      'select list_key, person_id::text as person_id from person_list where list_key = any($1::text[])',
      [batchLists],
    ))
      putOnList(r.list_key, r.person_id);
    listOf.forEach((list, i) => {
      const person = exact.storedPersons[exact.groupOf[i]!]![0];
      if (list !== undefined && person !== undefined) putOnList(list, person);
    });
  }
  for (const [root, members] of clusters) {
    const finalGroup = open[members[0]!]!.group;
    finalOfOpen.set(root, finalGroup);
    const clusterLinks = linksOf[root]!;
    const persons = new Set<string>();
    for (const k of members)
      for (const key of open[k]!.keys) for (const p of personsOfKey.get(key) ?? []) persons.add(p);
    const best = new Map<string, PairMatch>();
    const scores: CandidateScore[] = [];
    for (const person of persons) {
      const theirs = linksOfPerson.get(person);
      if (!theirs) continue;
      const match = bestPair(clusterLinks, theirs);
      const conflicting = conflict(clusterLinks, theirs);
      best.set(person, conflicting ? withConflict(match) : match);
      scores.push({ personId: person, probability: match.probability, conflict: conflicting });
    }
    // Two passengers of one manifest cannot both be the same stored person: the second goes to review.
    const lists = listsOf[root]!;
    const onList = (person: string) => [...lists].some((l) => linkedOnList.get(l)?.has(person));
    if (lists.size > 0)
      for (const [k, sc] of scores.entries())
        if (onList(sc.personId)) {
          scores[k] = { ...sc, conflict: true };
          const m = best.get(sc.personId)!;
          best.set(sc.personId, { ...m, constraint: ONE_LIST });
        }
    const placement = placeRecord(scores, thresholds);
    if (placement.kind === 'link') {
      storedPersons[finalGroup] = [placement.candidate.personId];
      for (const l of lists) putOnList(l, placement.candidate.personId);
    }
    if (placement.kind !== 'new') placements.set(finalGroup, { placement, best });
  }

  // The final groups: each cluster of open groups becomes the group of its first member.
  const finalGroupOf = (g: number) => {
    const k = openAt.get(g);
    return k === undefined ? g : finalOfOpen.get(uf.find(k))!;
  };
  const used = new Map<number, number>();
  const renumber = (g: number) => {
    const f = finalGroupOf(g);
    let n = used.get(f);
    if (n === undefined) used.set(f, (n = used.size));
    return n;
  };
  const groupOf = Int32Array.from(exact.groupOf, renumber);
  for (let g = 0; g < exact.count; g++) renumber(g);
  const count = used.size;
  const finalStored: string[][] = Array.from({ length: count }, () => []);
  for (const [f, n] of used) finalStored[n] = storedPersons[f]!;
  const renumbered = new Map<number, { placement: Placement; best: Map<string, PairMatch> }>();
  for (const [f, p] of placements) renumbered.set(used.get(f)!, p);
  return {
    groups: {
      groupOf,
      count,
      storedPersons: finalStored,
      newKeys: exact.newKeys.map(({ key, group }) => ({ key, group: renumber(group) })),
      withheld: exact.withheld.map((w) => ({ ...w, group: renumber(w.group) })),
    },
    placements: renumbered,
    exactGroupOf: exact.groupOf,
    joins: joinsOpen.map((j) => ({ exactGroup: open[j.from]!.group, match: j.match })),
    withheldReviews: withheldReviews.map((w) => ({ ...w, group: renumber(w.group) })),
    batchReviews: bandPairs
      .map((p) => ({ a: renumber(open[p.a]!.group), b: renumber(open[p.b]!.group), match: p.match }))
      .filter((p) => p.a !== p.b),
  };
}

/** Records which persons the batch's listed records (manifest passengers) were placed on. */
async function recordLists(
  session: SqlSession,
  inputs: readonly ResolutionInput[],
  personIds: readonly string[],
): Promise<void> {
  const lists: string[] = [];
  const persons: string[] = [];
  inputs.forEach((input, i) => {
    if (input.list === undefined) return;
    lists.push(input.list);
    persons.push(personIds[i]!);
  });
  if (lists.length > 0)
    await session.query(
      `insert into person_list (list_key, person_id)
       select * from unnest($1::text[], $2::bigint[]) on conflict do nothing`,
      [lists, persons],
    );
}

/**
 * Adds each record's person link to its person's descriptors, with the blocking keys, where the person
 * does not hold that descriptor yet: the next record that describes them so is found by its keys.
 */
async function indexPersons(
  session: SqlSession,
  inputs: readonly ResolutionInput[],
  keysOf: readonly IndexKeys[],
  personIds: readonly string[],
  created: ReadonlySet<string>,
): Promise<void> {
  const wanted = new Map<string, { person: string; hash: number; link: string; input: number }>();
  inputs.forEach((input, i) => {
    if (!input.personLink) return;
    const person = personIds[i]!;
    const hash = hash53(input.personLink);
    wanted.set(`${person}:${hash}`, { person, hash, link: input.personLink, input: i });
  });
  const onStored = [...wanted.values()].filter((w) => !created.has(w.person));
  if (onStored.length > 0) {
    const present = await session.query<{ person_id: string; descriptor_hash: string }>(
      `select d.person_id::text as person_id, d.descriptor_hash::text as descriptor_hash
         from person_descriptor d join unnest($1::bigint[], $2::bigint[]) as w(person_id, descriptor_hash)
           on d.person_id = w.person_id and d.descriptor_hash = w.descriptor_hash`,
      [onStored.map((w) => w.person), onStored.map((w) => w.hash)],
    );
    for (const p of present) wanted.delete(`${p.person_id}:${p.descriptor_hash}`);
  }
  const descriptors = [...wanted.values()];
  await session.copyFrom(
    'person_descriptor',
    ['person_id', 'descriptor_hash', 'link'],
    descriptors.map((d) => [d.person, d.hash, d.link]),
  );
  // Each key once per person (a person's descriptors share most of their keys), in the order of the
  // key_hash index (store/index-order.ts).
  const lines: string[] = [];
  const positions: number[] = [];
  const keysOfPerson = new Map<string, Set<string>>();
  for (const d of descriptors) {
    let written = keysOfPerson.get(d.person);
    if (written === undefined) keysOfPerson.set(d.person, (written = new Set()));
    const { block, search } = keysOf[d.input]!;
    for (const keys of [block, search])
      for (const key of keys) {
        if (written.has(key)) continue;
        written.add(key);
        lines.push(`${key}\t${d.person}`);
        positions.push(hash53Position(Number(key)));
      }
  }
  await session.copyLines(
    'person_block_key',
    ['key_hash', 'person_id'],
    inIndexOrder(lines, (i) => positions[i]!),
  );
}

/** A pair's waterfall: the prior, and each field's level and weight with both sides' values. */
function explanationOf({ model }: ActiveModel, m: PairMatch): Explanation {
  const vector = new Uint8Array(model.comparisons.fields.length);
  const record = linkRecordOf('', m.record);
  compareRecords(model.comparisons, record, linkRecordOf('', m.candidate), vector);
  const e = explainVector(model, vector, record);
  return {
    constraint: m.constraint,
    prior: e.prior,
    matchWeight: e.score.matchWeight,
    probability: e.score.probability,
    fields: e.fields.map((f, i) => ({
      ...f,
      record: m.record.values[i] ?? null,
      candidate: m.candidate.values[i] ?? null,
    })),
  };
}

/** Writes what the model decided, with its waterfall, and queues the reviews. */
async function writeDecisions(
  session: SqlSession,
  model: ActiveModel,
  inputs: readonly ResolutionInput[],
  matched: Matched,
  personOfGroup: readonly string[],
  sampleRate: number,
): Promise<{ linkedByModel: number; reviewsQueued: number; fuzzy: boolean[] }> {
  const decisions: unknown[][] = [];
  const reviews: unknown[][] = [];
  const inputsOfGroup = new Map<number, number[]>();
  inputs.forEach((input, i) => {
    if (input.observationId === undefined) return;
    const g = matched.groups.groupOf[i]!;
    const list = inputsOfGroup.get(g);
    if (list) list.push(i);
    else inputsOfGroup.set(g, [i]);
  });
  const observation = (i: number) => inputs[i]!.observationId!;
  /** The columns a decision and a review share: the score, its waterfall, the model. */
  const scored = (m: PairMatch) => [
    m.probability,
    m.matchWeight,
    JSON.stringify(explanationOf(model, m)),
    model.id,
  ];
  const linkedInputs = new Set<number>();
  const decision = (i: number, kind: string, person: string, candidate: string, m: PairMatch) => {
    if (kind === 'linked') linkedInputs.add(i);
    return decisions.push([observation(i), kind, person, candidate, ...scored(m)]);
  };
  const review = (
    members: readonly number[],
    reason: string,
    person: string,
    candidate: string,
    m: PairMatch,
  ) => reviews.push([reason, `{${members.map(observation).join(',')}}`, person, candidate, ...scored(m)]);

  let linkedByModel = 0;
  const decided = new Set<number>();
  for (const [g, { placement, best }] of matched.placements) {
    const members = inputsOfGroup.get(g) ?? [];
    if (members.length === 0) continue;
    const person = personOfGroup[g]!;
    if (placement.kind === 'link') {
      const m = best.get(placement.candidate.personId)!;
      for (const i of members) {
        decided.add(i);
        decision(i, 'linked', person, person, m);
      }
      linkedByModel += members.length;
      // A departure the model linked counts only once a person confirms it (docs/departures.md), an
      // arrival corroborates only then (docs/rules.md). Otherwise a random share of automatic links goes
      // to quality review; the sample is by observation id, so it is the same whichever process imports.
      const toConfirm = confirmationOf(members.map((i) => inputs[i]!.kind));
      if (toConfirm !== null) review(members, toConfirm, person, person, m);
      else if (hash53(`quality:${observation(members[0]!)}`) / 2 ** 53 < sampleRate)
        review(members, 'quality-sample', person, person, m);
    } else if (placement.kind === 'review') {
      const top = best.get(placement.candidates[0]!.personId)!;
      for (const i of members) {
        decided.add(i);
        decision(i, 'review', person, placement.candidates[0]!.personId, top);
      }
      for (const c of placement.candidates)
        review(members, 'uncertain', person, c.personId, best.get(c.personId)!);
    }
  }
  // Records of an exact group the model joined to another group of the batch: explained by that pair.
  const joinOf = new Map(matched.joins.map((j) => [j.exactGroup, j.match]));
  const joinedInto = new Map<number, PairMatch>(); // final group -> a pair that joined it
  inputs.forEach((input, i) => {
    const m = joinOf.get(matched.exactGroupOf[i]!);
    if (m === undefined || input.observationId === undefined || decided.has(i)) return;
    const person = personOfGroup[matched.groups.groupOf[i]!]!;
    decided.add(i);
    decision(i, 'linked', person, person, m);
    joinedInto.set(matched.groups.groupOf[i]!, m);
    linkedByModel++;
  });
  // A person put together by the model from records of one batch: its departures and arrivals wait for a
  // person's confirmation, whichever side of the join they were on.
  for (const [g, m] of joinedInto)
    for (const reason of ['departure-identity', 'arrival-identity'] as const) {
      const pending = (inputsOfGroup.get(g) ?? []).filter(
        (i) => confirmationOf([inputs[i]!.kind]) === reason,
      );
      if (pending.length === 0) continue;
      for (const i of pending) {
        decided.add(i);
        linkedInputs.add(i);
      }
      review(pending, reason, personOfGroup[g]!, personOfGroup[g]!, m);
    }
  for (const w of matched.withheldReviews) {
    const members = inputsOfGroup.get(w.group) ?? [];
    if (members.length > 0) review(members, 'uncertain', personOfGroup[w.group]!, w.person, w.match);
  }
  for (const r of matched.batchReviews) {
    const members = inputsOfGroup.get(r.b) ?? [];
    // Both may have been linked to one stored person since: nothing left to decide.
    if (members.length === 0 || personOfGroup[r.a] === personOfGroup[r.b]) continue;
    review(members, 'uncertain', personOfGroup[r.b]!, personOfGroup[r.a]!, r.match);
  }
  await session.copyFrom(
    'link_decision',
    [
      'observation_id',
      'decision',
      'person_id',
      'candidate_person_id',
      'probability',
      'match_weight',
      'explanation',
      'model_id',
    ],
    decisions,
  );
  await session.copyFrom(
    'identity_review',
    [
      'reason',
      'observation_ids',
      'record_person_id',
      'candidate_person_id',
      'probability',
      'match_weight',
      'explanation',
      'model_id',
    ],
    reviews,
  );
  // Placed by the model: linked records (not those placed on a new person under review).
  const fuzzy = inputs.map((_, i) => decided.has(i) && linkedInputs.has(i));
  return { linkedByModel, reviewsQueued: reviews.filter((r) => r[0] === 'uncertain').length, fuzzy };
}

/**
 * The review a person must decide before records the model alone linked count: a departure's (it would
 * end a stay) before an arrival's (it would corroborate an admission); null for other kinds.
 */
function confirmationOf(
  kinds: readonly (string | undefined)[],
): 'departure-identity' | 'arrival-identity' | null {
  if (kinds.includes('Departure')) return 'departure-identity';
  if (kinds.includes('Arrival')) return 'arrival-identity';
  return null;
}
