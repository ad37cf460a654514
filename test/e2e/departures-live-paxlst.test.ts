/**
 * Browser suite: a carrier's PAXLST manifest moves the live departures dashboard. An analyst watches the
 * dashboard; a close-out passenger manifest (UN/EDIFACT, as carriers send it) of a flight leaving JFK,
 * listing two persons of the demo population who overstay with no departure on record, is posted to the
 * import API; without a reload the dashboard's figures go up by two, and both persons' stays end.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ManifestDraft } from '../../src/core/paxlst/write-paxlst.js';
import { closeoutManifest } from '../support/closeout-manifest.js';
import { apiToken, AS_OF, openPage, signIn, useBrowserPlatform } from '../support/browser-harness.js';

const platform = useBrowserPlatform(600);

interface Observation {
  readonly id: string;
  readonly superseded: boolean;
  readonly person: {
    readonly givenNames: string | null;
    readonly familyNames: string | null;
    readonly birthDate: string | null;
    readonly sex: 'F' | 'M' | 'X' | null;
    readonly nationality: string | null;
    readonly document: {
      readonly number: string;
      readonly type: string;
      readonly issuingCountry: string;
    } | null;
  };
}

interface Person {
  readonly id: string;
  readonly observations: readonly Observation[];
  readonly stays: readonly { readonly admissionId: string; readonly departedOn: string | null }[];
}

type Passenger = ManifestDraft['persons'][number];

/** A day (YYYY-MM-DD) some days after another (before, when negative). */
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A figure's value (its data-value attribute), once it is on the page. */
async function figure(page: Page, testId: string): Promise<number> {
  const el = page.getByTestId(testId);
  await el.waitFor();
  return Number(await el.getAttribute('data-value'));
}

/** What a carrier's APIS system knows of a passenger: the travel document's page, as on record. */
function passengerOf(who: Observation['person']): Passenger {
  return {
    role: 'passenger',
    familyNames: who.familyNames,
    givenNames: who.givenNames,
    sex: who.sex,
    birthDate: who.birthDate,
    birthPlace: null,
    nationality: who.nationality,
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
    documents: [
      {
        code: 'P',
        number: who.document!.number,
        issuingCountry: who.document!.issuingCountry,
        expiry: null,
        issued: null,
      },
    ],
  };
}

/** A close-out list of a fresh flight JFK -> LHR on `day` carrying these passengers. */
const manifestOf = (day: string, passengers: readonly Passenger[]): string =>
  closeoutManifest({
    flight: `ZZ${String(Date.now()).slice(-4)}`,
    day,
    controlRef: `E2E${String(Date.now()).slice(-6)}`,
    persons: [...passengers],
  });

describe('live departures from a PAXLST manifest', () => {
  it('moves the dashboard without a reload when a close-out manifest of persons on record is imported', async () => {
    const PURPOSE = 'data-quality-review';
    const supervisor = await apiToken(platform, 'demo.supervisor');
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${platform.base}${path}`, {
        headers: { authorization: `Bearer ${supervisor}`, 'x-purpose': PURPOSE },
      });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
      return (await res.json()) as T;
    };

    // Two demo persons who overstay with no departure on record, each with the passport they were
    // admitted on. Names a carrier writes in UNOA (ISO 646) as they are on record, so the manifest
    // says exactly what the admission said.
    const { stays } = await get<{ stays: { personId: string; admissionId: string }[] }>(
      '/api/reports/overstay/stays?cell=suspected-in-country-overstay&limit=200',
    );
    const chosen: { person: Person; who: Observation['person'] }[] = [];
    for (const s of stays) {
      if (chosen.length === 2) break;
      if (chosen.some((c) => c.person.id === s.personId)) continue;
      const p = await get<Person>(`/api/persons/${s.personId}`);
      const last = p.stays.at(-1);
      const who = p.observations.find((o) => o.id === s.admissionId && !o.superseded)?.person;
      const plain = (v: string | null) => v !== null && /^[A-Za-z' -]+$/.test(v);
      if (
        last?.admissionId === s.admissionId &&
        last.departedOn === null &&
        who?.document?.type === 'P' &&
        who.birthDate &&
        who.nationality &&
        plain(who.familyNames) &&
        plain(who.givenNames)
      )
        chosen.push({ person: p, who });
    }
    expect(chosen, 'two demo persons overstaying without a departure, admitted on a passport').toHaveLength(
      2,
    );
    const departedOn = addDays(AS_OF, -1);
    const manifest = manifestOf(
      departedOn,
      chosen.map((c) => passengerOf(c.who)),
    );
    expect(manifest).toContain("BGM+266+CLOB'");

    const { context, page, pageErrors } = await openPage(platform.browser);
    try {
      // The analyst (figures only) opens the dashboard from the header: live once the event stream is open.
      await signIn(page, platform.base, 'demo.analyst');
      await page.getByTestId('nav-departures-live').click();
      await page.waitForURL((u) => u.pathname === '/departures/live');
      await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
      const total = await figure(page, 'live-total');
      const day = page.locator(`[data-testid="live-day-row"][data-day="${departedOn}"]`);
      const dayBefore = Number(await day.getAttribute('data-total'));
      const reported = await figure(page, 'departure-report-total');
      // Nothing reloads the page from here on: a marker on the window would be lost by a reload.
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

      // The carrier's close-out manifest arrives (through the API, as the supervisor).
      const imported = await fetch(`${platform.base}/api/imports?source=e2e-apis`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${supervisor}`,
          'x-purpose': 'ingestion',
          'content-type': 'application/edifact',
        },
        body: manifest,
      });
      expect(imported.status, await imported.clone().text()).toBe(200);
      expect(await imported.json()).toMatchObject({ rowsNew: 2, rowsQuarantined: 0 });
      const arrived = Date.now();

      // Without a reload: the window's departures, that day's row and the departure report each go up by two.
      await page.locator(`[data-testid="live-total"][data-value="${total + 2}"]`).waitFor({ timeout: 5000 });
      expect(Date.now() - arrived).toBeLessThan(3000);
      expect(Number(await day.getAttribute('data-total'))).toBe(dayBefore + 2);
      expect(Number(await day.locator('td[data-column="air"]').textContent())).toBeGreaterThanOrEqual(2);
      await page
        .locator(`[data-testid="departure-report-total"][data-value="${reported + 2}"]`)
        .waitFor({ timeout: 5000 });
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }

    // The manifest ended the right stays: each person departed by air on the flight's day.
    for (const { person } of chosen) {
      const after = await get<Person>(`/api/persons/${person.id}`);
      expect([person.id, after.stays.at(-1)?.departedOn]).toEqual([person.id, departedOn]);
    }
  });
});
