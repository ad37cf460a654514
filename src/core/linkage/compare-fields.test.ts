import { describe, expect, it } from 'vitest';
import { compareValues, LEVELS, oneOcrConfusion } from './compare-fields.js';
import { normaliseValue } from './link-record.js';

const level = (kind: keyof typeof LEVELS, a: string | null, b: string | null, oa?: string, ob?: string) =>
  LEVELS[kind][compareValues(kind, a, b, oa ?? null, ob ?? null)];

describe('field comparisons', () => {
  it('grades names from exact to different, with reordered family names, sound and swaps', () => {
    expect(level('name', 'MALDONADO', 'MALDONADO')).toBe('exact');
    expect(level('name', 'MALDONADO KAPLAN', 'KAPLAN MALDONADO')).toBe('same names in another order');
    expect(level('name', 'MALDONADO KAPLAN', 'KAPLAN')).toBe('same names in another order');
    expect(level('name', 'MARTHA', 'MARHTA')).toBe('Jaro-Winkler >= 0.94');
    expect(level('name', 'JONATHAN', 'JONHATAN')).toBe('Jaro-Winkler >= 0.94');
    expect(level('name', 'CATHERINE', 'KATHRYN')).toBe('same sound (double metaphone)');
    expect(level('name', 'ASHLEIGH', 'QUILLIAM', 'QUILLIAM', 'ASHLEIGH')).toBe(
      'swapped with the other name field',
    );
    expect(level('name', 'ASHLEIGH', 'ZOLTAN')).toBe('else');
    expect(level('name', null, 'ZOLTAN')).toBe('missing');
  });

  it('grades birth dates: a digit typo, day and month swapped, within a year', () => {
    expect(level('date', '19560409', '19560409')).toBe('exact');
    expect(level('date', '19560409', '19560408')).toBe('one digit differs');
    expect(level('date', '19560409', '19560904')).toBe('day and month swapped');
    expect(level('date', '19560409', '19570301')).toBe('within a year');
    expect(level('date', '19560409', '19700101')).toBe('else');
  });

  it('recognises one OCR confusion in a document number, and nothing more', () => {
    expect(oneOcrConfusion('X10MCGTEW', 'XI0MCGTEW')).toBe(true);
    expect(oneOcrConfusion('AB5', 'A85')).toBe(true);
    expect(oneOcrConfusion('AB5', 'A8S')).toBe(false); // two confusions
    expect(level('document', 'X10MCGTEW', 'XI0MCGTEW')).toBe('one OCR confusion');
    expect(level('document', 'X10MCGTEW', 'XIOMCGTEW')).toBe('else'); // two confusions: another document
    expect(level('document', 'X10MCGTEW', 'X10MCGTEX')).toBe('one character differs');
    expect(level('document', 'X10MCGTEW', 'Y99')).toBe('else');
  });

  it('reads placeholders and day or month 00 as missing, and transliterates', () => {
    expect(normaliseValue('name', ' FNU ')).toBeNull();
    expect(normaliseValue('name', 'Łódź-Müller')).toBe('LODZ MULLER');
    expect(normaliseValue('date', '1980-03-00')).toBeNull();
    expect(normaliseValue('date', '19800003')).toBeNull();
    expect(normaliseValue('date', '1980-03-04')).toBe('19800304');
    expect(normaliseValue('date', '19802503')).toBe('19802503'); // kept: day and month may be swapped
    expect(normaliseValue('document', 'x10-mcg tew')).toBe('X10MCGTEW');
  });
});
