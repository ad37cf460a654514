/**
 * The life of a self-reported departure through the product's real paths (issue 5: "A self-report shows
 * as reported, then confirmed when a matching manifest arrives; contradicted and lapsed reports show as
 * such"). Admissions are imported through the API, the report is posted to the public endpoint and
 * placed by the server's queue, a carrier's close-out PAXLST manifest and a USCIS filing are posted to
 * the import API, and every status is read where a user reads it: the stay of GET /api/persons/:id.
 * The rules themselves are unit-tested in src/core/stays/departure-evidence.test.ts.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoAccounts, openSession } from '../access/accounts.js';
import type { AppContext } from '../app/app-context.js';
import { ChangeFeed } from '../app/change-feed.js';
import type { PersonStay, PersonView } from '../app/person-query.js';
import { buildApp } from '../api/build-app.js';
import type { ManifestDraft } from '../core/paxlst/write-paxlst.js';
import { closeoutManifest } from '../../test/support/closeout-manifest.js';
import { linkageResolver } from '../identity/linkage-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import { rollStaysForward } from '../stays/roll-stays-forward.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { PURPOSE, TEST_PASSWORD } from '../../test/support/api-harness.js';

/** The day the server judges stays on: moved forward by the lapse case, as the calendar would. */
let today = '2026-11-01';

let db: Database;
let ctx: AppContext;
let app: FastifyInstance;
let supervisor = '';

beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
  ctx = {
    db,
    resolver: linkageResolver(),
    pack: loadRulePack('us'),
    asOf: () => today,
    changes: new ChangeFeed(),
  };
  await ensureDemoAccounts(db, TEST_PASSWORD);
  app = await buildApp(ctx, { serveWeb: false });
  await app.ready();
  const [user] = await db.session((s) =>
    s.query<{ id: string; username: string; role: 'supervisor' }>(
      "select id::text as id, username, role from app_user where username = 'demo.supervisor'",
    ),
  );
  supervisor = await openSession(db, user!);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const asSupervisor = (o: InjectOptions): Promise<LightMyRequestResponse> =>
  app.inject({
    ...o,
    headers: { authorization: `Bearer ${supervisor}`, ...PURPOSE, ...o.headers },
  });

/** A day some days after another (before, when negative). */
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Traveller {
  readonly given: string;
  readonly family: string;
  readonly birthDate: string;
  readonly sex: 'F' | 'M';
  readonly nationality: string;
  readonly passport: string;
  readonly admissionNumber: string;
}

/** Canonical records posted to the import API as NDJSON, as a feed would. */
async function importRecords(source: string, records: readonly Record<string, string>[]) {
  const res = await asSupervisor({
    method: 'POST',
    url: `/api/imports?source=${source}`,
    payload: records.map((r) => JSON.stringify(r)).join('\n') + '\n',
    headers: { 'content-type': 'application/x-ndjson', 'x-purpose': 'ingestion' },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ rowsNew: records.length, rowsQuarantined: 0 });
}

const who = (t: Traveller) => ({
  given_names: t.given,
  family_names: t.family,
  birth_date: t.birthDate,
  sex: t.sex,
  nationality: t.nationality,
  doc_number: t.passport,
  doc_type: 'P',
  doc_country: t.nationality,
  admission_number: t.admissionNumber,
});

/** Admits the traveller (B2, JFK) and returns the person the record made. */
async function admit(t: Traveller, date: string, admitUntil: string): Promise<string> {
  await importRecords('i94-lifecycle', [
    {
      record_id: `ADM-${t.passport}`,
      kind: 'Admission',
      ...who(t),
      date,
      port: 'JFK',
      class_of_admission: 'B2',
      admit_until: admitUntil,
    },
  ]);
  const found = await asSupervisor({ method: 'GET', url: `/api/persons?q=${t.passport}` });
  expect(found.statusCode, found.body).toBe(200);
  const hits = found.json<{ hits: { personId: string }[] }>().hits;
  expect(hits).toHaveLength(1);
  return hits[0]!.personId;
}

/** A filing (USCIS) for the traveller's stay, posted to the import API. */
async function file(t: Traveller, recordId: string, change: string, date: string) {
  await importRecords('uscis-lifecycle', [
    { record_id: recordId, kind: 'StatusChange', ...who(t), date, change, event: 'filed' },
  ]);
}

/**
 * Posts a self-report to the public endpoint and waits until the server's queue has placed it (it is
 * removed from the pending reports only once imported and the person's stays are recomputed).
 */
async function selfReport(t: Traveller, date: string, ip: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/departures/self-reports',
    remoteAddress: ip,
    payload: {
      givenNames: t.given,
      familyNames: t.family,
      birthDate: t.birthDate,
      nationality: t.nationality,
      documentNumber: t.passport,
      documentCountry: t.nationality,
      date,
      mode: 'air',
      port: 'JFK',
      carrier: 'ZZ',
      flight: 'ZZ100',
      destination: 'GBR',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { confirmation } = res.json<{ confirmation: string }>();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [pending] = await db.session((s) =>
      s.query<{ n: number }>('select count(*)::int as n from self_report_pending where confirmation = $1', [
        confirmation,
      ]),
    );
    if (pending!.n === 0) return confirmation;
    if (Date.now() > deadline) throw new Error(`self-report ${confirmation} was not placed`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The person as the API shows them. */
async function person(id: string): Promise<PersonView> {
  const res = await asSupervisor({ method: 'GET', url: `/api/persons/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PersonView>();
}

/** The person's one stay, as the API shows it. */
async function stayOf(id: string): Promise<PersonStay> {
  const { stays } = await person(id);
  expect(stays).toHaveLength(1);
  return stays[0]!;
}

/** The id of the person's observation that came from `source` under `recordId` (or matching it). */
async function observationId(personId: string, source: string, recordId: string | RegExp): Promise<string> {
  const matches = (await person(personId)).observations.filter(
    (o) =>
      o.provenance.source === source &&
      (typeof recordId === 'string'
        ? o.provenance.sourceRecordId === recordId
        : recordId.test(o.provenance.sourceRecordId)),
  );
  expect(matches, `${source} ${String(recordId)} on person ${personId}`).toHaveLength(1);
  return matches[0]!.id;
}

/** A close-out (boarded) passenger manifest of one flight JFK -> LHR leaving on `day`, in PAXLST. */
function manifestOf(flight: string, day: string, passengers: readonly Traveller[]): string {
  const persons: ManifestDraft['persons'] = passengers.map((t) => ({
    role: 'passenger',
    familyNames: t.family.toUpperCase(),
    givenNames: t.given.toUpperCase(),
    sex: t.sex,
    birthDate: t.birthDate,
    birthPlace: null,
    nationality: t.nationality,
    residence: null,
    address: null,
    embarkation: 'JFK',
    debarkation: 'LHR',
    finalDestination: null,
    reservation: null,
    passengerRef: null,
    seat: null,
    otherRefs: [],
    verified: true,
    crewFunction: null,
    documents: [{ code: 'P', number: t.passport, issuingCountry: t.nationality, expiry: null, issued: null }],
  }));
  return closeoutManifest({ flight, day, controlRef: `LC${flight}`, persons });
}

async function postManifest(edifact: string) {
  const res = await asSupervisor({
    method: 'POST',
    url: '/api/imports?source=apis-lifecycle',
    payload: edifact,
    headers: { 'content-type': 'application/edifact', 'x-purpose': 'ingestion' },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ rowsNew: 1, rowsQuarantined: 0 });
}

describe('a self-reported departure, end to end', () => {
  it('shows as reported, then confirmed (citing the report and the manifest) when a boarded close-out manifest with the same passport arrives', async () => {
    const lena: Traveller = {
      given: 'Lena',
      family: 'Lifecycle',
      birthDate: '1991-02-14',
      sex: 'F',
      nationality: 'GBR',
      passport: 'LC1000001',
      admissionNumber: '93000000001',
    };
    const id = await admit(lena, '2026-08-01', '2027-01-31');
    const admitted = await stayOf(id);
    expect(admitted).toMatchObject({ outcome: 'within-period', departedOn: null, departureEvidence: null });

    const confirmation = await selfReport(lena, '2026-10-20', '198.51.100.51');
    const report = await observationId(id, 'self-report', confirmation);
    const reported = await stayOf(id);
    expect(reported.departureEvidence).toEqual({
      status: 'reported',
      rule: 'departure.reported',
      observationIds: [report],
      departureDate: null,
      reportedDate: '2026-10-20',
      contradictedBy: null,
    });
    // The person's word alone ends nothing: the stay is still open, with no departure.
    expect(reported).toMatchObject({
      outcome: 'within-period',
      departedOn: null,
      departureChannel: null,
      departureObservationId: null,
    });
    expect(reported.evidence).toContain(report);

    // The carrier's close-out list of the flight the next day, the same passport, birth date and country.
    await postManifest(manifestOf('ZZ7101', '2026-10-21', [lena]));
    const manifest = await observationId(id, 'apis-lifecycle', /^PAXLST\/ZZ7101\//);
    const confirmed = await stayOf(id);
    expect(confirmed.departureEvidence).toEqual({
      status: 'confirmed',
      rule: 'departure.confirmed',
      observationIds: [manifest, report],
      departureDate: '2026-10-21',
      reportedDate: '2026-10-20',
      contradictedBy: null,
    });
    // Now the stay ends, on the manifest's date and channel.
    expect(confirmed).toMatchObject({
      outcome: 'departed-on-time',
      departedOn: '2026-10-21',
      departureChannel: 'air',
      departureInferred: false,
      departureObservationId: manifest,
    });
    expect(confirmed.explanation).toContain(report);
    expect(confirmed.explanation).toContain(manifest);
  });

  it('shows a report as contradicted by a filing of the same stay made more than 7 days after the reported date, naming the filing', async () => {
    const mara: Traveller = {
      given: 'Mara',
      family: 'Contraria',
      birthDate: '1984-07-09',
      sex: 'F',
      nationality: 'IRL',
      passport: 'LC2000002',
      admissionNumber: '93000000002',
    };
    const id = await admit(mara, '2026-06-01', '2026-11-30');
    const confirmation = await selfReport(mara, '2026-10-15', '198.51.100.52');
    const report = await observationId(id, 'self-report', confirmation);
    expect((await stayOf(id)).departureEvidence).toMatchObject({
      status: 'reported',
      observationIds: [report],
      reportedDate: '2026-10-15',
    });

    // A filing within 7 days of the reported date may have been mailed before leaving: no contradiction.
    await file(mara, 'USCIS-LC-1', 'change-of-status', '2026-10-20');
    const withinWindow = await observationId(id, 'uscis-lifecycle', 'USCIS-LC-1');
    const still = await stayOf(id);
    expect(still.evidence).toContain(withinWindow);
    expect(still.departureEvidence).toMatchObject({
      status: 'reported',
      observationIds: [report],
      contradictedBy: null,
    });

    // An extension filed 9 days after the reported departure is the person's own act in the country.
    await file(mara, 'USCIS-LC-2', 'extension', '2026-10-24');
    const filing = await observationId(id, 'uscis-lifecycle', 'USCIS-LC-2');
    const contradicted = await stayOf(id);
    expect(contradicted.departureEvidence).toEqual({
      status: 'report-contradicted',
      rule: 'departure.report-contradicted',
      observationIds: [report, filing],
      departureDate: null,
      reportedDate: '2026-10-15',
      contradictedBy: filing,
    });
    expect(contradicted).toMatchObject({ departedOn: null, departureObservationId: null });
    expect(contradicted.explanation).toContain(`(${filing})`);
    expect(contradicted.explanation).toContain('extension of stay filed');
  });

  it('shows a report with nothing else as reported up to 30 days after its date, and lapsed after', async () => {
    expect(today).toBe('2026-11-01');
    const noor: Traveller = {
      given: 'Noor',
      family: 'Lapsewell',
      birthDate: '1979-11-23',
      sex: 'F',
      nationality: 'CAN',
      passport: 'LC3000003',
      admissionNumber: '93000000003',
    };
    const omar: Traveller = {
      given: 'Omar',
      family: 'Belated',
      birthDate: '1988-05-30',
      sex: 'M',
      nationality: 'AUS',
      passport: 'LC4000004',
      admissionNumber: '93000000004',
    };
    const noorId = await admit(noor, '2026-07-01', '2026-12-31');
    const omarId = await admit(omar, '2026-07-01', '2026-12-31');

    // Reported for 30 days before today: still `reported`.
    const noorReport = await observationId(
      noorId,
      'self-report',
      await selfReport(noor, '2026-10-02', '198.51.100.53'),
    );
    expect((await stayOf(noorId)).departureEvidence).toEqual({
      status: 'reported',
      rule: 'departure.reported',
      observationIds: [noorReport],
      departureDate: null,
      reportedDate: '2026-10-02',
      contradictedBy: null,
    });
    // Reported for 31 days before today: placed, it has already lapsed.
    const omarReport = await observationId(
      omarId,
      'self-report',
      await selfReport(omar, '2026-10-01', '198.51.100.54'),
    );
    const omarStay = await stayOf(omarId);
    expect(omarStay.departureEvidence).toEqual({
      status: 'report-lapsed',
      rule: 'departure.report-lapsed',
      observationIds: [omarReport],
      departureDate: null,
      reportedDate: '2026-10-01',
      contradictedBy: null,
    });
    expect(omarStay).toMatchObject({ outcome: 'within-period', departedOn: null });
    expect(omarStay.explanation).toMatch(/lapsed/);

    // A day later the server judges again the stays time can change (stays/roll-stays-forward.ts, run
    // at start and each hour): the report dated 30 days before yesterday has lapsed too.
    expect(await rollStaysForward(db, { pack: ctx.pack, asOf: ctx.asOf() })).not.toBeNull();
    expect(await rollStaysForward(db, { pack: ctx.pack, asOf: ctx.asOf() })).toBeNull(); // judged today
    expect((await stayOf(noorId)).departureEvidence).toMatchObject({ status: 'reported' });
    today = addDays(today, 1);
    try {
      const rolled = await rollStaysForward(db, { pack: ctx.pack, asOf: ctx.asOf() });
      expect(rolled).toMatchObject({ from: '2026-11-01', to: '2026-11-02' });
      expect(rolled!.personIds).toContain(noorId);
      expect((await stayOf(noorId)).departureEvidence).toEqual({
        status: 'report-lapsed',
        rule: 'departure.report-lapsed',
        observationIds: [noorReport],
        departureDate: null,
        reportedDate: '2026-10-02',
        contradictedBy: null,
      });
    } finally {
      today = '2026-11-01';
    }
  });
});
