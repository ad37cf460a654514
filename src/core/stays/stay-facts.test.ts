import { describe, expect, it } from 'vitest';
import {
  admission,
  arrival,
  departure,
  fuzzyDeparture,
  selfReport,
  statusChange,
  US,
} from './test-fixtures.js';
import { computeStays } from './compute-stays.js';
import { fromStayFacts, toStayFacts } from './stay-facts.js';
import type { DepartureIdentity } from './stay-input.js';

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
    arrival('r1', '2025-12-31', { channel: 'sea', port: 'MIA', carrier: null, flight: null }),
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

  it('reads facts stored before arrivals existed unchanged, and an arrival under its own letter', () => {
    expect(fromStayFacts('d9', '["D","2025-10-01",null,"GBR","JFK","land",null,null]')).toMatchObject({
      kind: 'Departure',
      channel: 'land',
    });
    expect(fromStayFacts('s9', '["S","2025-05-01","N1","GBR","extension","filed",null,null]')).toMatchObject({
      kind: 'StatusChange',
      event: 'filed',
    });
    const facts = toStayFacts(history[4]!);
    expect(facts).toBe('["E","2025-12-31",null,"GBR","MIA","sea",null,null]');
    expect(fromStayFacts('r1', facts, 'fuzzy')).toMatchObject({ kind: 'Arrival', identity: 'fuzzy' });
  });

  it('takes how a departure was matched to the person beside the facts, not in them', () => {
    const d = departure('d1', '2025-10-01', { channel: 'land' });
    const facts = toStayFacts(d);
    expect(fromStayFacts('d1', facts)).not.toHaveProperty('identity');
    expect(fromStayFacts('d1', facts, 'fuzzy')).toMatchObject({ kind: 'Departure', identity: 'fuzzy' });
    expect(fromStayFacts('d1', facts, 'exact')).toMatchObject({ kind: 'Departure', identity: 'exact' });
    // Ignored for other kinds.
    expect(fromStayFacts('a1', toStayFacts(history[0]!), 'fuzzy')).not.toHaveProperty('identity');
  });

  it('gives the same stays as the full observations with fuzzy matches and self-reports', () => {
    const full = [
      ...history,
      fuzzyDeparture('d2', '2026-02-01'),
      selfReport('r1', '2026-02-03'),
      selfReport('r2', '2025-09-28', { admissionNumber: '90000000001' }),
    ];
    const projected = full.map((o) =>
      fromStayFacts(o.id, toStayFacts(o), (o as { identity?: DepartureIdentity }).identity),
    );
    const stays = computeStays(projected, US, '2026-11-01');
    expect(stays).toEqual(computeStays(full, US, '2026-11-01'));
    expect(stays.stays.map((s) => s.departureEvidence?.status)).toEqual([
      'confirmed',
      'pending-identity-review',
    ]);
  });
});
