import { describe, expect, it } from 'vitest';
import { documentsConflict } from './document-conflict.js';
import { documentRulesOut } from './person-documents.js';
import { decodePersonLink, encodePersonLink, personLinkOf, type PersonLink } from './person-link.js';

const link = (number: string | null, expiry: string | null, country = 'DEU', type = 'P'): PersonLink =>
  personLinkOf({
    givenNames: 'Anna',
    familyNames: 'Müller',
    birthDate: '1990-02-03',
    sex: 'F',
    nationality: 'DEU',
    document: number === null ? null : { number, issuingCountry: country, type: type as 'P', expiry },
  });

describe('person links', () => {
  it('normalise names and qualify the document with its issuer, and survive encoding', () => {
    const l = link('c01x00t47', '2031-05-01');
    expect(l.values).toEqual(['ANNA', 'MULLER', '19900203', 'F', 'DEU', 'DEU:C01X00T47']);
    expect(decodePersonLink(encodePersonLink(l))).toEqual(l);
  });
});

describe('documents that rule a link out', () => {
  it('two passports of one issuer valid at the same time conflict', () => {
    expect(documentsConflict(link('C01X00T47', '2031-05-01'), link('C77Y11Z22', '2034-01-01'))).toBe(true);
  });
  it('one OCR confusion is the same passport misread, not a second one', () => {
    expect(documentsConflict(link('C01X00T47', '2031-05-01'), link('CO1X00T47', '2031-05-01'))).toBe(false);
  });
  it('other issuers, other types, a missing number and validity ten years apart do not conflict', () => {
    const a = link('C01X00T47', '2031-05-01');
    expect(documentsConflict(a, link('C77Y11Z22', '2031-05-01', 'AUT'))).toBe(false);
    expect(documentsConflict(a, link('C77Y11Z22', '2031-05-01', 'DEU', 'I'))).toBe(false);
    expect(documentsConflict(a, link(null, null))).toBe(false);
    expect(documentsConflict(a, link('C77Y11Z22', '2041-06-01'))).toBe(false);
  });
  it('an unknown expiry may overlap, so it conflicts', () => {
    expect(documentsConflict(link('C01X00T47', null), link('C77Y11Z22', '2040-01-01'))).toBe(true);
  });
  it('a person holding the old and the renewed passport fits a record of either', () => {
    const person = [link('C01X00T47', '2031-05-01'), link('C77Y11Z22', '2034-01-01')];
    expect(documentRulesOut(link('C77Y11Z22', '2034-01-01'), person)).toBe(false);
    expect(documentRulesOut(link('C99Q55R66', '2035-01-01'), person)).toBe(true);
  });
});
