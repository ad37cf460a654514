import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/app-context.js';
import { decideReview } from '../app/identity-review.js';
import { importSubmitted } from '../app/import-feed.js';
import { getPerson } from '../app/person-query.js';
import { personIndexKeys } from '../core/linkage/person-block-keys.js';
import { decodePersonLink } from '../core/linkage/person-link.js';
import type { FlatRecord } from '../core/observation/flat-columns.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { linkageResolver } from './linkage-resolver.js';

let db: Database | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
});

async function context(): Promise<AppContext> {
  db = await openDatabase({ ephemeral: true });
  return { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
}

const admission = (id: string, over: FlatRecord = {}): FlatRecord => ({
  record_id: id,
  kind: 'Admission',
  given_names: 'Fernanda',
  family_names: 'Oliveira Souza',
  birth_date: '1987-06-15',
  sex: 'F',
  nationality: 'BRA',
  doc_number: 'FB1234567',
  doc_type: 'P',
  doc_country: 'BRA',
  doc_expiry: '2031-02-01',
  admission_number: `9${id.replace(/\D/g, '').padStart(10, '0')}`,
  date: '2025-03-01',
  port: 'MIA',
  class_of_admission: 'B2',
  admit_until: '2025-08-31',
  ...over,
});
const departure = (id: string, over: FlatRecord = {}): FlatRecord => ({
  ...admission(id, over),
  kind: 'Departure',
  admission_number: '',
  class_of_admission: '',
  admit_until: '',
  date: '2025-06-01',
  channel: 'air',
  ...over,
});

const arrival = (id: string, over: FlatRecord = {}): FlatRecord => ({
  ...departure(id, over),
  kind: 'Arrival',
  port: 'MIA',
  date: '2025-03-01',
  ...over,
});

const submit = (ctx: AppContext, records: FlatRecord[]) =>
  importSubmitted(
    ctx,
    records.map((fields) => ({ line: null, content: JSON.stringify(fields), fields })),
    'test',
    'ndjson',
  );

/** The current observation read from the source record `id`, and its person. */
const observationOf = async (id: string) => {
  const [row] = await db!.session((s) =>
    s.query<{ id: string; person_id: string }>(
      `select o.id::text as id, o.person_id::text as person_id from observation o join raw_record r on r.id = o.id
        where r.source_record_id = $1 and not o.superseded`,
      [id],
    ),
  );
  return row!;
};
const personOf = async (id: string) => (await observationOf(id)).person_id;

/** The queued identity reviews, oldest first: their ids and reasons. */
const reviewsQueued = () =>
  db!.session((s) =>
    s.query<{ id: string; reason: string }>('select id::text as id, reason from identity_review order by id'),
  );

/** Every stay of the admission A1's person: its outcome and the strength of its departure evidence. */
const staysOf = async (ctx: AppContext) =>
  (await getPerson(ctx.db, ctx.pack, await personOf('A1')))!.stays.map((st) => ({
    outcome: st.outcome,
    status: st.departureEvidence?.status ?? null,
  }));

describe('the linkage resolver', () => {
  it('links a departure whose document was misread (one OCR confusion) to the admission, and keeps the waterfall', async () => {
    const ctx = await context();
    await submit(ctx, [admission('A1')]);
    const r = await submit(ctx, [departure('D1', { doc_number: 'F81234567', given_names: 'Fernanda' })]);
    expect(r.linkedByModel).toBe(1);
    expect(await personOf('D1')).toBe(await personOf('A1'));
    const [decision] = await db!.session((s) =>
      s.query<{
        decision: string;
        probability: number;
        explanation: { fields: { field: string; level: string }[] };
      }>('select decision, probability, explanation from link_decision'),
    );
    expect(decision!.decision).toBe('linked');
    expect(decision!.probability).toBeGreaterThan(0.95);
    expect(decision!.explanation.fields.find((f) => f.field === 'document_number')!.level).toBe(
      'one OCR confusion',
    );
    // Matched only by the model, the departure waits for a person before it ends the stay.
    const [pending] = await staysOf(ctx);
    expect(pending).toEqual({ outcome: 'suspected-in-country-overstay', status: 'pending-identity-review' });
    const [review] = await reviewsQueued();
    expect(review!.reason).toBe('departure-identity');
    const decided = await decideReview(ctx, review!.id, 'same', 'reviewer', 'photo page matches');
    expect(decided.ok).toBe(true);
    const [stay] = await staysOf(ctx);
    expect(stay).toEqual({ outcome: 'departed-on-time', status: 'confirmed' });
  });

  it('queues an arrival the model linked for a person to confirm: it corroborates the admission only once confirmed', async () => {
    const ctx = await context();
    await submit(ctx, [admission('A1')]);
    // The arrival record of the same flight, its document misread once: only the model can place it.
    const r = await submit(ctx, [arrival('R1', { doc_number: 'F81234567' })]);
    expect(r.linkedByModel).toBe(1);
    expect(await personOf('R1')).toBe(await personOf('A1'));
    const arrivalId = (await observationOf('R1')).id;
    const before = (await getPerson(ctx.db, ctx.pack, await personOf('A1')))!;
    expect(before.unmatchedArrivalIds).toEqual([arrivalId]);
    expect(before.stays[0]!.evidence).not.toContain(arrivalId);
    const reviews = await reviewsQueued();
    expect(reviews.map((x) => x.reason)).toEqual(['arrival-identity']);
    const decided = await decideReview(
      ctx,
      reviews[0]!.id,
      'same',
      'reviewer',
      'same passport, one digit misread',
    );
    expect(decided.ok).toBe(true);
    const after = (await getPerson(ctx.db, ctx.pack, await personOf('A1')))!;
    expect(after.unmatchedArrivalIds).toEqual([]);
    expect(after.stays[0]!.evidence).toContain(arrivalId);
  });

  it('moves an arrival the model linked off the person when a reviewer says it is not theirs', async () => {
    const ctx = await context();
    await submit(ctx, [admission('A1')]);
    await submit(ctx, [arrival('R1', { doc_number: 'F81234567' })]);
    const [review] = await reviewsQueued();
    expect(review!.reason).toBe('arrival-identity');
    const decided = await decideReview(ctx, review!.id, 'different', 'reviewer', 'another traveller');
    expect(decided.ok).toBe(true);
    expect(await personOf('R1')).not.toBe(await personOf('A1'));
  });

  it('decides a review once: a second, conflicting decision sent at the same time changes nothing', async () => {
    const ctx = await context();
    await submit(ctx, [admission('A1')]);
    await submit(ctx, [departure('D1', { doc_number: 'F81234567' })]);
    const [review] = (await reviewsQueued()).filter((r) => r.reason === 'departure-identity');
    // Two reviewers at once: one confirms the match, the other undoes it (a split).
    const [same, different] = await Promise.all([
      decideReview(ctx, review!.id, 'same', 'reviewer.one', ''),
      decideReview(ctx, review!.id, 'different', 'reviewer.two', ''),
    ]);
    expect([same.ok, different.ok]).toEqual([true, false]);
    expect(different).toMatchObject({ ok: false, code: 'CONFLICT' });
    // What the recorded decision says is what happened, and only that: the departure stays on the person.
    expect(await personOf('D1')).toBe(await personOf('A1'));
    const persons = await db!.session((s) => s.query('select id from person'));
    expect(persons).toHaveLength(1);
    const [decided] = await db!.session((s) =>
      s.query<{ status: string; decided_by: string }>(
        'select status, decided_by from identity_review where id = $1',
        [review!.id],
      ),
    );
    expect(decided).toEqual({ status: 'same', decided_by: 'reviewer.one' });
  });

  it('links records of one batch to each other, the same as across batches', async () => {
    const ctx = await context();
    await submit(ctx, [
      admission('A1'),
      departure('D1', { doc_number: 'FB1234S67', family_names: 'Oliveira Sousa' }),
    ]);
    expect(await personOf('D1')).toBe(await personOf('A1'));
  });

  it('never merges twins: same family name and birth date, other given name and passport', async () => {
    const ctx = await context();
    await submit(ctx, [
      admission('A1'),
      admission('A2', { given_names: 'Fabiana', doc_number: 'FB7654321' }),
    ]);
    expect(await personOf('A2')).not.toBe(await personOf('A1'));
  });

  it('sends a record that fits a person but for a second passport of the same issuer to review, never links it', async () => {
    const ctx = await context();
    await submit(ctx, [admission('A1')]);
    const r = await submit(ctx, [
      admission('A2', { doc_number: 'FC9999999', doc_expiry: '2034-05-01', date: '2026-01-10' }),
    ]);
    expect(r.linkedByModel).toBe(0);
    expect(r.reviewsQueued).toBe(1);
    expect(await personOf('A2')).not.toBe(await personOf('A1'));
    const [review] = await db!.session((s) =>
      s.query<{
        reason: string;
        record_person_id: string;
        candidate_person_id: string;
        explanation: { constraint: string };
      }>(
        'select reason, record_person_id::text as record_person_id, candidate_person_id::text as candidate_person_id, explanation from identity_review',
      ),
    );
    expect(review!.reason).toBe('uncertain');
    expect(review!.record_person_id).toBe(await personOf('A2'));
    expect(review!.candidate_person_id).toBe(await personOf('A1'));
    expect(review!.explanation.constraint).toMatch(/same type and issuer/);
  });

  it('makes a new person of a stranger, with no decision to record', async () => {
    const ctx = await context();
    await submit(ctx, [admission('A1')]);
    await submit(ctx, [
      admission('A2', {
        given_names: 'Kenji',
        family_names: 'Watanabe',
        birth_date: '1975-01-20',
        nationality: 'JPN',
        doc_country: 'JPN',
        doc_number: 'TK0000001',
      }),
    ]);
    expect(await personOf('A2')).not.toBe(await personOf('A1'));
    const rows = await db!.session((s) => s.query('select * from link_decision'));
    expect(rows).toEqual([]);
  });

  it('never merges two persons on a public record: it joins the oldest, and a person decides about the other', async () => {
    const ctx = await context();
    await submit(ctx, [
      admission('A1'),
      admission('A2', {
        given_names: 'Kenji',
        family_names: 'Watanabe',
        birth_date: '1975-01-20',
        nationality: 'JPN',
        doc_country: 'JPN',
        doc_number: 'TK0000001',
      }),
    ]);
    const reaching = { ...departure('SR1'), admission_number: admission('A2').admission_number };
    await importSubmitted(
      ctx,
      [{ line: null, content: JSON.stringify(reaching), fields: reaching }],
      'self-report',
      'ndjson',
      undefined,
      {
        publicInput: true,
      },
    );
    const [a1, a2, sr] = [await personOf('A1'), await personOf('A2'), await personOf('SR1')];
    expect(a1).not.toBe(a2);
    expect(sr).toBe([a1, a2].sort((x, y) => Number(x) - Number(y))[0]);
    const reviews = await db!.session((s) =>
      s.query<{ explanation: { constraint: string } }>('select explanation from identity_review'),
    );
    expect(reviews.map((r) => r.explanation.constraint)).toEqual([
      expect.stringMatching(/never merges them/),
    ]);
  });

  it("keeps persons a reviewer decided are different apart, even when a record's keys reach both", async () => {
    const ctx = await context();
    await submit(ctx, [
      admission('A1'),
      admission('A2', {
        given_names: 'Kenji',
        family_names: 'Watanabe',
        birth_date: '1975-01-20',
        nationality: 'JPN',
        doc_country: 'JPN',
        doc_number: 'TK0000001',
      }),
    ]);
    const [a1, a2] = [await personOf('A1'), await personOf('A2')];
    const [x, y] = [a1, a2].sort((p, q) => Number(p) - Number(q));
    await db!.session((s) =>
      s.query(
        "insert into linkage_constraint (person_a, person_b, reason, created_by) values ($1, $2, 'different', 'reviewer')",
        [x, y],
      ),
    );
    await submit(ctx, [{ ...departure('D9'), admission_number: admission('A2').admission_number }]);
    expect(await personOf('A1')).not.toBe(await personOf('A2'));
    const reviews = await db!.session((s) =>
      s.query<{ explanation: { constraint: string } }>('select explanation from identity_review'),
    );
    expect(reviews.map((r) => r.explanation.constraint)).toContainEqual(
      expect.stringMatching(/decided are different/),
    );
  });

  it('never joins two passengers of one manifest, however alike', async () => {
    const ctx = await context();
    // Two travellers alike in everything but the issuer of their passports, on one list.
    const one = departure('P1', { doc_country: 'BRA', doc_number: 'FB1234567' });
    const two = departure('P2', { doc_country: 'PRT', doc_number: 'CA7654321', nationality: 'BRA' });
    const listed = [one, two].map((fields) => ({
      line: null,
      content: JSON.stringify(fields),
      fields,
      listKey: 'paxlst/IC1/M1',
    }));
    await importSubmitted(ctx, listed, 'apis', 'paxlst');
    expect(await personOf('P1')).not.toBe(await personOf('P2'));
  });

  it('keeps two passengers of one manifest apart when they are placed in different batches', async () => {
    const ctx = await context();
    const one = departure('B1', { doc_country: 'BRA', doc_number: 'FB1234567' });
    const two = departure('B2', { doc_country: 'PRT', doc_number: 'CA7654321', nationality: 'BRA' });
    const listed = (fields: FlatRecord) => ({
      line: null,
      content: JSON.stringify(fields),
      fields,
      listKey: 'paxlst/IC2/M1',
    });
    // One import each: the second batch finds the first passenger in the store, on its list.
    await importSubmitted(ctx, [listed(one)], 'apis', 'paxlst');
    await importSubmitted(ctx, [listed(two)], 'apis', 'paxlst');
    expect(await personOf('B1')).not.toBe(await personOf('B2'));
    const reviews = await db!.session((s) =>
      s.query<{ explanation: { constraint: string } }>('select explanation from identity_review'),
    );
    expect(reviews.map((r) => r.explanation.constraint)).toContainEqual(
      expect.stringMatching(/one passenger list/),
    );
  });

  it('never links a passenger to the person a fellow passenger of the manifest reached by exact keys', async () => {
    const ctx = await context();
    // The first passenger's passport is on record (an admission); the look-alike's is not.
    await submit(ctx, [admission('E0', { doc_country: 'BRA', doc_number: 'FB1234567' })]);
    const one = departure('E1', { doc_country: 'BRA', doc_number: 'FB1234567' });
    const two = departure('E2', { doc_country: 'PRT', doc_number: 'CA7654321', nationality: 'BRA' });
    await importSubmitted(
      ctx,
      [one, two].map((fields) => ({
        line: null,
        content: JSON.stringify(fields),
        fields,
        listKey: 'paxlst/IC3/M1',
      })),
      'apis',
      'paxlst',
    );
    expect(await personOf('E1')).toBe(await personOf('E0'));
    expect(await personOf('E2')).not.toBe(await personOf('E0'));
  });

  it('joins the same two records when no list says they are two people (the control)', async () => {
    const ctx = await context();
    const one = departure('Q1', { doc_country: 'BRA', doc_number: 'FB1234567' });
    const two = departure('Q2', { doc_country: 'PRT', doc_number: 'CA7654321', nationality: 'BRA' });
    await importSubmitted(
      ctx,
      [one, two].map((fields) => ({ line: null, content: JSON.stringify(fields), fields })),
      'other',
      'ndjson',
    );
    expect(await personOf('Q1')).toBe(await personOf('Q2'));
  });

  it("indexes each of a person's keys once, however many descriptions of them one batch brings", async () => {
    const ctx = await context();
    // One person (the same document), described twice: with both family names, and with the first.
    await submit(ctx, [admission('A1'), admission('A2', { family_names: 'Oliveira', date: '2025-09-01' })]);
    const person = await personOf('A1');
    expect(await personOf('A2')).toBe(person);
    const [descriptors, keys] = await db!.session(async (s) => [
      await s.query<{ link: string }>('select link from person_descriptor where person_id = $1', [person]),
      await s.query<{ key_hash: string; n: number }>(
        'select key_hash::text as key_hash, count(*)::int as n from person_block_key where person_id = $1 group by key_hash',
        [person],
      ),
    ]);
    expect(descriptors).toHaveLength(2);
    expect(keys.filter((k) => k.n > 1)).toEqual([]);
    const expected = new Set(
      descriptors.flatMap((d) => personIndexKeys(decodePersonLink(d.link)).map(String)),
    );
    expect(new Set(keys.map((k) => k.key_hash))).toEqual(expected);
  });
});
