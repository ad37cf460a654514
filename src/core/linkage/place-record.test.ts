import { describe, expect, it } from 'vitest';
import { placeRecord } from './place-record.js';

const t = { link: 0.95, review: 0.2 };
const c = (personId: string, probability: number, conflict = false) => ({ personId, probability, conflict });

describe('placing a record among its candidates', () => {
  it('links to the one candidate above the threshold', () => {
    expect(placeRecord([c('7', 0.99), c('8', 0.5)], t)).toEqual({ kind: 'link', candidate: c('7', 0.99) });
  });
  it('sends two candidates above the threshold to review instead of picking one', () => {
    const p = placeRecord([c('7', 0.99), c('8', 0.98)], t);
    expect(p.kind).toBe('review');
    expect(p.kind === 'review' && p.candidates.map((x) => x.personId)).toEqual(['7', '8']);
  });
  it('never links a conflicting candidate, however likely, but lets a person decide', () => {
    const p = placeRecord([c('7', 0.9999, true)], t);
    expect(p).toEqual({ kind: 'review', candidates: [c('7', 0.9999, true)] });
  });
  it('does not pick between a fitting candidate and a conflicting one: a person decides', () => {
    const p = placeRecord([c('7', 0.999, true), c('8', 0.99)], t);
    expect(p.kind === 'review' && p.candidates.map((x) => x.personId)).toEqual(['7', '8']);
  });
  it('reviews the uncertain band, best first, at most three', () => {
    const p = placeRecord([c('1', 0.3), c('2', 0.8), c('3', 0.5), c('4', 0.25)], t);
    expect(p.kind === 'review' && p.candidates.map((x) => x.personId)).toEqual(['2', '3', '1']);
  });
  it('makes a new person when nothing reaches the band', () => {
    expect(placeRecord([c('1', 0.1)], t)).toEqual({ kind: 'new' });
    expect(placeRecord([], t)).toEqual({ kind: 'new' });
  });
});
