/**
 * Browser suite: identity review. A person of the demo population comes back on a renewed passport of
 * the same issuer; the model may not link the two by itself, so the record lands on a new person and the
 * pair is queued. An officer opens the queue and the pair, reads the waterfall (the document number
 * disagrees, the birth date agrees exactly), decides "Same person", and the two are one person after.
 */
import { describe, expect, it } from 'vitest';
import { apiToken, openPage, signIn, useBrowserPlatform } from '../support/browser-harness.js';

const platform = useBrowserPlatform(300);

interface Observation {
  readonly id: string;
  readonly superseded: boolean;
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
      readonly expiry: string | null;
    } | null;
  };
  readonly provenance: { readonly source: string; readonly sourceRecordId: string };
}

interface Person {
  readonly id: string;
  readonly mergedInto: string | null;
  readonly observations: readonly Observation[];
}

/** A date some years after another (YYYY-MM-DD). */
const yearsAfter = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;

describe('identity review', () => {
  it('an officer opens a renewed-passport pair from the queue, reads the waterfall and decides "same person"', async () => {
    const supervisor = await apiToken(platform, 'demo.supervisor');
    const get = async <T>(path: string, purpose = 'identity-review'): Promise<T> => {
      const res = await fetch(`${platform.base}${path}`, {
        headers: { authorization: `Bearer ${supervisor}`, 'x-purpose': purpose },
      });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
      return (await res.json()) as T;
    };

    // A person of the demo population with a full identity on a current record (through the drill-down).
    const { stays } = await get<{ stays: { personId: string }[] }>('/api/reports/overstay/stays?limit=50');
    let person: Person | null = null;
    let seen: Observation | null = null;
    for (const personId of new Set(stays.map((s) => s.personId))) {
      const p = await get<Person>(`/api/persons/${personId}`);
      const o = p.observations.find(
        (x) =>
          !x.superseded &&
          x.person.givenNames &&
          x.person.familyNames &&
          x.person.birthDate &&
          x.person.sex &&
          x.person.nationality &&
          x.person.document,
      );
      if (o) {
        person = p;
        seen = o;
        break;
      }
    }
    expect(person, 'no demo person with a full identity in the drill-down').not.toBeNull();
    const who = seen!.person;
    const doc = who.document!;

    // The same person, back on a renewed passport of the same issuer (a new number, a later expiry).
    const suffix = String(Date.now()).slice(-8);
    const renewed = {
      record_id: `E2E-RENEWED-${suffix}`,
      kind: 'Admission',
      given_names: who.givenNames,
      family_names: who.familyNames,
      birth_date: who.birthDate,
      sex: who.sex,
      nationality: who.nationality,
      doc_number: `R${suffix}`,
      doc_type: doc.type,
      doc_country: doc.issuingCountry,
      doc_expiry: yearsAfter(doc.expiry ?? '2031-01-31', 4),
      admission_number: `9${suffix}77`,
      date: '2026-02-01',
      port: 'JFK',
      class_of_admission: 'B2',
      admit_until: '2026-07-31',
    };
    const imported = await fetch(`${platform.base}/api/imports?source=e2e-renewal`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${supervisor}`,
        'x-purpose': 'ingestion',
        'content-type': 'application/x-ndjson',
      },
      body: JSON.stringify(renewed) + '\n',
    });
    expect(imported.status, await imported.clone().text()).toBe(200);
    expect((await imported.json()) as { reviewsQueued: number }).toMatchObject({ reviewsQueued: 1 });

    // The pair is in the queue: the new record's person against the person it copies.
    const queue = await get<{
      items: { id: string; recordPersonId: string; candidatePersonId: string; constraint: string | null }[];
    }>('/api/identity/reviews?status=open&reason=uncertain&limit=500');
    const item = queue.items.find((i) => i.candidatePersonId === person!.id);
    expect(item, JSON.stringify(queue.items)).toBeDefined();
    expect(item!.constraint).toMatch(/renewed document, or two people/);

    const { context, page, pageErrors } = await openPage(platform.browser);
    try {
      await signIn(page, platform.base, 'demo.officer');
      await page.getByTestId('nav-identity').click();
      await page.getByTestId('identity-purpose-prompt').waitFor();
      await page.getByTestId('purpose-select').selectOption('identity-review');

      // The queue: the open pair, flagged as one the model may not decide.
      const row = page.locator(`[data-testid="review-row"][data-review-id="${item!.id}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-reason')).toBe('uncertain');
      expect(await row.getByTestId('review-constraint-flag').count()).toBe(1);
      expect(await page.getByTestId('identity-quality').count()).toBe(0); // a figure for other roles
      await row.getByTestId('review-link').click();

      // The pair: both persons side by side, the constraint, the waterfall.
      await page.waitForURL((u) => u.pathname === `/identity/reviews/${item!.id}`);
      const review = page.getByTestId('review-page');
      await review.waitFor();
      expect(await review.getAttribute('data-status')).toBe('open');
      expect(await page.getByTestId('review-constraint').textContent()).toMatch(/renewed document/);
      const sides = page.getByTestId('review-person');
      expect(await sides.count()).toBe(2);
      const candidate = page.locator('[data-testid="review-person"][data-side="candidate"]');
      expect(await candidate.getAttribute('data-person-id')).toBe(person!.id);
      expect(await candidate.getByTestId('review-person-link').getAttribute('href')).toBe(
        `/persons/${person!.id}`,
      );
      const record = page.locator('[data-testid="review-person"][data-side="record"]');
      expect(await record.textContent()).toContain(renewed.record_id);
      expect(await record.textContent()).toContain(`${doc.issuingCountry} ${renewed.doc_number}`);

      const waterfall = page.getByTestId('waterfall');
      await waterfall.waitFor();
      const document = waterfall.locator('[data-testid="waterfall-row"][data-field="document_number"]');
      expect(await document.count()).toBe(1);
      expect(Number(await document.getAttribute('data-weight'))).toBeLessThan(0);
      expect(await document.locator('td[data-column="weight"]').textContent()).toMatch(/^−\d/);
      const birth = waterfall.locator('[data-testid="waterfall-row"][data-field="birth_date"]');
      expect(await birth.getAttribute('data-level')).toBe('exact');
      expect(Number(await birth.getAttribute('data-weight'))).toBeGreaterThan(0);
      expect(await waterfall.getByTestId('waterfall-prior').count()).toBe(1);
      expect(await waterfall.getByTestId('waterfall-probability').textContent()).toMatch(/%$/);

      // The decision: same person.
      await page
        .getByTestId('decision-note')
        .fill('renewal: the old passport number is stamped in the new one');
      await page.getByTestId('decide-same').click();
      const decided = page.getByTestId('review-decided');
      await decided.waitFor();
      expect(await decided.getAttribute('data-status')).toBe('same');
      expect(await page.getByTestId('review-decided-by').textContent()).toBe('demo.officer');
      expect(await review.getAttribute('data-status')).toBe('same');
      expect(await page.getByTestId('decide-same').count()).toBe(0);
      const survivorLink = page.getByTestId('review-survivor-link');
      const survivor = (await survivorLink.getAttribute('data-person-id'))!;
      expect(await page.getByTestId('review-person').count()).toBe(1); // now one person

      // The two records are one person now (through the API): both persons' records on the survivor.
      const after = await get<Person>(`/api/persons/${survivor}`);
      expect(after.mergedInto).toBeNull();
      const sources = after.observations.map((o) => o.provenance.sourceRecordId);
      expect(sources).toContain(renewed.record_id);
      expect(sources).toContain(seen!.provenance.sourceRecordId);
      const merged = [item!.recordPersonId, item!.candidatePersonId].find((p) => p !== survivor)!;
      expect((await get<Person>(`/api/persons/${merged}`)).mergedInto).toBe(survivor);
      const decidedQueue = await get<{ items: { id: string; status: string; decidedBy: string }[] }>(
        '/api/identity/reviews?status=same&limit=500',
      );
      expect(decidedQueue.items.find((i) => i.id === item!.id)).toMatchObject({ decidedBy: 'demo.officer' });
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
