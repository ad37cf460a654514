import { describe, expect, it } from 'vitest';
import { dayOfIso, isoOf } from './calendar.js';
import { truthOutcome, type StayFacts } from './truth-outcome.js';

const d = (iso: string): number => dayOfIso(iso)!;

function outcome(facts: Partial<StayFacts> & { classOfAdmission: string; admittedOn: number }) {
  const t = truthOutcome({
    admitUntil: null,
    programEnd: null,
    statusEvents: [],
    departedOn: null,
    nextAdmission: null,
    asOf: d('2026-11-01'),
    ...facts,
  });
  return {
    ...t,
    authorizedUntil: t.authorizedUntil === null ? null : isoOf(t.authorizedUntil),
    departedOn: t.departedOn === null ? null : isoOf(t.departedOn),
  };
}

describe('truthOutcome (the generator’s own statement of each stay’s outcome)', () => {
  it('gives Visa Waiver visitors exactly 90 days added to the admission date', () => {
    const onLastDay = outcome({
      classOfAdmission: 'WT',
      admittedOn: d('2025-01-10'),
      departedOn: d('2025-04-10'),
    });
    expect(onLastDay).toMatchObject({
      authorizedUntil: '2025-04-10',
      outcome: 'departed-on-time',
      daysOverstay: null,
    });
    const dayAfter = outcome({
      classOfAdmission: 'WB',
      admittedOn: d('2025-01-10'),
      departedOn: d('2025-04-11'),
    });
    expect(dayAfter).toMatchObject({ outcome: 'departed-late', daysOverstay: 1 });
  });

  it('counts an in-country overstay from the day after the period to asOf', () => {
    const o = outcome({ classOfAdmission: 'B2', admittedOn: d('2025-01-10'), admitUntil: d('2025-07-10') });
    expect(o).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: d('2026-11-01') - d('2025-07-10'),
    });
    const within = outcome({
      classOfAdmission: 'B2',
      admittedOn: d('2026-06-01'),
      admitUntil: d('2026-12-01'),
    });
    expect(within).toMatchObject({
      outcome: 'within-period',
      authorizedUntil: '2026-12-01',
      daysOverstay: null,
    });
  });

  it('adds the grace period to a D/S programme end, and leaves D/S without one open', () => {
    const f1 = outcome({
      classOfAdmission: 'F1',
      admittedOn: d('2024-08-20'),
      programEnd: d('2026-05-15'),
      departedOn: d('2026-07-14'),
    });
    expect(f1).toMatchObject({ authorizedUntil: '2026-07-14', outcome: 'departed-on-time' });
    const j1 = outcome({
      classOfAdmission: 'J1',
      admittedOn: d('2025-01-05'),
      programEnd: d('2025-06-30'),
      departedOn: d('2025-08-01'),
    });
    expect(j1).toMatchObject({ authorizedUntil: '2025-07-30', outcome: 'departed-late', daysOverstay: 2 });
    expect(outcome({ classOfAdmission: 'F1', admittedOn: d('2024-08-20') })).toMatchObject({
      authorizedUntil: null,
      outcome: 'duration-of-status-open',
    });
  });

  it('applies a granted extension, and ends the period on the denial date of a timely filing', () => {
    const granted = outcome({
      classOfAdmission: 'B2',
      admittedOn: d('2025-01-10'),
      admitUntil: d('2025-07-10'),
      statusEvents: [
        { change: 'extension', event: 'filed', date: d('2025-06-20'), newAdmitUntil: null },
        { change: 'extension', event: 'granted', date: d('2025-08-15'), newAdmitUntil: d('2025-12-10') },
      ],
      departedOn: d('2025-12-01'),
    });
    expect(granted).toMatchObject({ authorizedUntil: '2025-12-10', outcome: 'departed-on-time' });
    const denied = outcome({
      classOfAdmission: 'B2',
      admittedOn: d('2025-01-10'),
      admitUntil: d('2025-07-10'),
      statusEvents: [
        { change: 'extension', event: 'filed', date: d('2025-06-20'), newAdmitUntil: null },
        { change: 'extension', event: 'denied', date: d('2025-09-01'), newAdmitUntil: null },
      ],
      departedOn: d('2025-09-04'),
    });
    expect(denied).toMatchObject({
      authorizedUntil: '2025-09-01',
      outcome: 'departed-late',
      daysOverstay: 3,
    });
  });

  it('lets a late filing change nothing, and a timely pending one stop the clock after the period', () => {
    const late = outcome({
      classOfAdmission: 'B1',
      admittedOn: d('2025-01-10'),
      admitUntil: d('2025-04-10'),
      statusEvents: [{ change: 'extension', event: 'filed', date: d('2025-04-20'), newAdmitUntil: null }],
    });
    expect(late).toMatchObject({ outcome: 'suspected-in-country-overstay', authorizedUntil: '2025-04-10' });
    const pending = outcome({
      classOfAdmission: 'B2',
      admittedOn: d('2026-01-10'),
      admitUntil: d('2026-07-10'),
      statusEvents: [{ change: 'extension', event: 'filed', date: d('2026-06-20'), newAdmitUntil: null }],
    });
    expect(pending).toMatchObject({
      outcome: 'extension-pending',
      authorizedUntil: null,
      daysOverstay: null,
    });
    const stillWithin = outcome({
      classOfAdmission: 'B2',
      admittedOn: d('2026-06-10'),
      admitUntil: d('2026-12-10'),
      statusEvents: [{ change: 'extension', event: 'filed', date: d('2026-10-20'), newAdmitUntil: null }],
    });
    expect(stillWithin).toMatchObject({ outcome: 'within-period', authorizedUntil: '2026-12-10' });
  });

  it('ends the stay on a granted adjustment, and gives a change of status a new period', () => {
    const adjusted = outcome({
      classOfAdmission: 'H1B',
      admittedOn: d('2024-03-01'),
      admitUntil: d('2026-03-01'),
      statusEvents: [
        {
          change: 'adjustment-to-permanent-residence',
          event: 'filed',
          date: d('2025-01-01'),
          newAdmitUntil: null,
        },
        {
          change: 'adjustment-to-permanent-residence',
          event: 'granted',
          date: d('2025-09-01'),
          newAdmitUntil: null,
        },
      ],
    });
    expect(adjusted).toMatchObject({ outcome: 'status-changed', authorizedUntil: null });
    const changed = outcome({
      classOfAdmission: 'F1',
      admittedOn: d('2024-08-20'),
      programEnd: d('2025-05-15'),
      statusEvents: [
        { change: 'change-of-status', event: 'filed', date: d('2025-04-01'), newAdmitUntil: null },
        {
          change: 'change-of-status',
          event: 'granted',
          date: d('2025-06-01'),
          newAdmitUntil: d('2028-06-01'),
        },
      ],
    });
    expect(changed).toMatchObject({ outcome: 'within-period', authorizedUntil: '2028-06-01' });
  });

  it('infers a departure from a re-entry: on time up to the day after the period, else date unknown', () => {
    const base = { classOfAdmission: 'WT', admittedOn: d('2025-01-10') } as const; // until 2025-04-10
    expect(outcome({ ...base, nextAdmission: d('2025-04-11') })).toMatchObject({
      outcome: 'departed-on-time',
      departureInferred: true,
      departedOn: null,
    });
    expect(outcome({ ...base, nextAdmission: d('2025-04-12') })).toMatchObject({
      outcome: 'departed-date-unknown',
      departureInferred: true,
      daysOverstay: null,
    });
  });
});
