/**
 * Browser suite: the live departures dashboard. An officer follows a person of the demo population who
 * overstays without a recorded departure, then watches the dashboard; a carrier's departure record for
 * that person is imported through the API, and without a reload the dashboard's figures move, the alert
 * for the followed person appears in the header, and the departure report's evidence lists the stay.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiToken, AS_OF, openPage, signIn, useBrowserPlatform } from '../support/browser-harness.js';

const platform = useBrowserPlatform(1500);

interface Observation {
  readonly id: string;
  readonly kind: string;
  readonly superseded: boolean;
  readonly admissionNumber: string | null;
  readonly person: {
    readonly givenNames: string | null;
    readonly familyNames: string | null;
    readonly birthDate: string | null;
    readonly sex: string | null;
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
  readonly stays: readonly {
    readonly admissionId: string;
    readonly departedOn: string | null;
    readonly outcome: string;
  }[];
}

/** A day (YYYY-MM-DD) some days after another (before, when negative). */
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A figure's value (its data-value attribute), once it is on the page. */
async function figure(page: Page, testId: string): Promise<number> {
  const el = page.getByTestId(testId);
  await el.waitFor();
  return Number(await el.getAttribute('data-value'));
}

describe('live departures', () => {
  it('updates without a reload when a departure arrives, and alerts the officer who follows the person', async () => {
    const PURPOSE = 'data-quality-review';
    const officer = await apiToken(platform, 'demo.officer');
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${platform.base}${path}`, {
        headers: { authorization: `Bearer ${officer}`, 'x-purpose': PURPOSE },
      });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
      return (await res.json()) as T;
    };

    // A person of the officer's office with an admission and no departure: a suspected in-country
    // overstay whose stay is their last, with the admission record that says who they are.
    const { stays } = await get<{
      stays: { personId: string; admissionId: string; inOffice?: boolean }[];
    }>('/api/reports/overstay/stays?cell=suspected-in-country-overstay&limit=200');
    let person: Person | null = null;
    let admission: Observation | null = null;
    for (const s of stays.filter((x) => x.inOffice !== false)) {
      const p = await get<Person>(`/api/persons/${s.personId}`);
      const last = p.stays.at(-1);
      const a = p.observations.find((o) => o.id === s.admissionId && !o.superseded);
      if (
        last?.admissionId === s.admissionId &&
        last.departedOn === null &&
        a?.admissionNumber &&
        a.person.document
      ) {
        person = p;
        admission = a;
        break;
      }
    }
    expect(person, 'no demo person of the office without a departure').not.toBeNull();
    const who = admission!.person;
    const departedOn = addDays(AS_OF, -1);

    const { context, page, pageErrors } = await openPage(platform.browser);
    try {
      // The officer follows the person (from the person page, under a purpose).
      await signIn(page, platform.base, 'demo.officer');
      await page.getByTestId('purpose-select').selectOption(PURPOSE);
      await page.goto(`${platform.base}/persons/${person!.id}`);
      const toggle = page.getByTestId('follow-toggle');
      await toggle.waitFor();
      expect(await toggle.getAttribute('data-following')).toBe('false');
      await toggle.click();
      await page.locator('[data-testid="follow-toggle"][data-following="true"]').waitFor();
      expect(await toggle.textContent()).toBe('Following (stop)');
      const follows = await get<{ persons: string[] }>('/api/follows');
      expect(follows.persons).toContain(person!.id);

      // The dashboard, reached from the header; live once the event stream is open.
      await page.getByTestId('nav-departures-live').click();
      await page.waitForURL((u) => u.pathname === '/departures/live');
      await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
      await page
        .locator('[data-testid="departure-alerts"][data-state="open"]')
        .waitFor({ state: 'attached' });
      const total = await figure(page, 'live-total');
      const day = page.locator(`[data-testid="live-day-row"][data-day="${departedOn}"]`);
      const dayBefore = Number(await day.getAttribute('data-total'));
      const reported = await figure(page, 'departure-report-total');
      await page.getByTestId('live-chart').locator('svg').waitFor(); // the chart (a lazy chunk) is drawn
      expect(await page.getByTestId('departure-alert').count()).toBe(0);
      // Nothing reloads the page from here on: a marker on the window would be lost by a reload.
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

      // A carrier's departure record for the person arrives (through the API, as the supervisor).
      const supervisor = await apiToken(platform, 'demo.supervisor');
      const suffix = String(Date.now()).slice(-8);
      const departure = {
        record_id: `E2E-LIVE-${suffix}`,
        kind: 'Departure',
        given_names: who.givenNames ?? '',
        family_names: who.familyNames ?? '',
        birth_date: who.birthDate ?? '',
        sex: who.sex ?? '',
        nationality: who.nationality ?? '',
        doc_number: who.document!.number,
        doc_type: who.document!.type,
        doc_country: who.document!.issuingCountry,
        admission_number: admission!.admissionNumber!,
        date: departedOn,
        port: 'JFK',
        channel: 'air',
        carrier: 'LH',
        flight: 'LH401',
      };
      const imported = await fetch(`${platform.base}/api/imports?source=e2e-live`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${supervisor}`,
          'x-purpose': 'ingestion',
          'content-type': 'application/x-ndjson',
        },
        body: JSON.stringify(departure) + '\n',
      });
      expect(imported.status, await imported.clone().text()).toBe(200);
      const arrived = Date.now();

      // Without a reload: the figures move, the alert appears.
      await page.locator(`[data-testid="live-total"][data-value="${total + 1}"]`).waitFor({ timeout: 5000 });
      // Within a second or so of the import's answer (the refresh waits 200 ms for more events).
      expect(Date.now() - arrived).toBeLessThan(3000);
      expect(Number(await day.getAttribute('data-total'))).toBe(dayBefore + 1);
      await page
        .locator(`[data-testid="departure-report-total"][data-value="${reported + 1}"]`)
        .waitFor({ timeout: 5000 });
      const alert = page.locator(`[data-testid="departure-alert"][data-person-id="${person!.id}"]`);
      await alert.waitFor({ timeout: 5000 });
      expect(await alert.getAttribute('data-departed-on')).toBe(departedOn);
      expect(await alert.textContent()).toContain(
        `Person ${person!.id} was confirmed departed on ${departedOn} (Air).`,
      );
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      expect(await page.getByTestId('live-updated').textContent()).toMatch(/updated \d/);

      // The departure report's figure for air and the person's citizenship opens the stays behind it.
      const nationality = who.nationality ?? 'unknown';
      const cell = page.locator(
        `a[data-testid="departure-figure"][data-channel="air"][data-nationality="${nationality}"]`,
      );
      await cell.click();
      await page.waitForURL((u) => u.pathname === '/departures/report/stays');
      const row = page.locator(
        `[data-testid="departure-evidence-row"][data-person-id="${person!.id}"][data-admission-id="${admission!.id}"]`,
      );
      await row.waitFor();
      expect(await row.textContent()).toContain(departedOn);

      // The alert leads to the person, and is dismissed.
      await alert.getByTestId('departure-alert-link').click();
      await page.waitForURL((u) => u.pathname === `/persons/${person!.id}`);
      await page.getByTestId('person-page').waitFor();
      await alert.getByTestId('departure-alert-dismiss').click();
      expect(await page.getByTestId('departure-alert').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
