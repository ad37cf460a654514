import { describe, expect, it } from 'vitest';
import { admission, departure, statusChange, US } from './test-fixtures.js';
import { computeStays } from './compute-stays.js';
import { fromStayFacts, toStayFacts } from './stay-facts.js';

describe('stay facts projection', () => {
  const history = [
    admission('a1', '2025-01-01', {
      admissionNumber: '90000000001',
      classOfAdmission: 'F1',
      durationOfStatus: true,
      programEndDate: '2025-06-01',
    }),
    statusChange('s1', 'extension', 'granted', '2025-05-01', {
      admissionNumber: '90000000001',
      newAdmitUntil: '2025-09-01',
    }),
    departure('d1', '2025-10-01', { channel: 'land' }),
    admission('a2', '2026-01-01', { classOfAdmission: 'WT' }),
  ];

  it('keeps every field the stays engine reads', () => {
    for (const o of history) {
      const back = fromStayFacts(o.id, toStayFacts(o));
      const { provenance: _p, person, ...rest } = o;
      expect(back).toEqual({ ...rest, person: { nationality: person.nationality } });
    }
  });

  it('gives the same stays as the full observations', () => {
    const projected = history.map((o) => fromStayFacts(o.id, toStayFacts(o)));
    expect(computeStays(projected, US, '2026-11-01')).toEqual(computeStays(history, US, '2026-11-01'));
  });
});
