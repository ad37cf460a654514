import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePaxlstFile } from './generate.js';
import type { Manifest, PaxlstResult } from './manifest.js';
import { parsePaxlstSync, parsePaxlstText } from './parse-paxlst.js';
import type { PaxlstSeparators } from './tokenizer.js';
import { writePaxlst, type ManifestDraft, type WritePaxlstOptions } from './write-paxlst.js';

type Draft = ManifestDraft;
type LegDraft = Draft['legs'][number];
type PersonDraft = Draft['persons'][number];

// ---- text by character repertoire --------------------------------------------------------------

const SYNTAXES = ['UNOA', 'UNOB', 'UNOC', 'UNOD', 'UNOW', 'UNOY'] as const;
const printableAscii = fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c));
const latin = fc.oneof(
  printableAscii,
  fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
);
const anyScript = fc.oneof(latin, fc.constantFrom('Ж', 'ß', 'Ł', '李', '小', 'ع', 'ש', '🐉', '😀', 'é'));

function textOf(syntax: string, maxLength = 12): fc.Arbitrary<string> {
  const unit =
    syntax === 'UNOA' || syntax === 'UNOB'
      ? printableAscii
      : syntax === 'UNOW' || syntax === 'UNOY'
        ? anyScript
        : latin;
  return fc.string({ unit, minLength: 1, maxLength });
}

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const country = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  minLength: 1,
  maxLength: 3,
});

// ---- dates ---------------------------------------------------------------------------------------

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const isoDay = (n: number) => {
  const d = new Date(Date.UTC(2000, 0, 1) + n * 86_400_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
};
const dayOf = (iso: string) =>
  Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(2000, 0, 1)) / 86_400_000);
const LAST_DAY = dayOf('2099-12-31');
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${pad2(h)}:${pad2(m)}`);

/** Dates the two-digit-year rules give back unchanged: see edifact-dates.ts. */
function personDraft(syntax: string, flightDay: number): fc.Arbitrary<PersonDraft> {
  const text = textOf(syntax);
  const document = fc.record({
    code: fc.constantFrom('P', 'V', 'I', 'A', 'C', 'AC', 'IP', 'F', 'M'),
    number: text,
    issuingCountry: maybe(country),
    expiry: maybe(
      fc.integer({ min: -28_000, max: 7000 }).map((d) => isoDay(Math.min(flightDay + d, LAST_DAY))),
    ),
    issued: maybe(fc.integer({ min: 0, max: 30_000 }).map((d) => isoDay(flightDay - d))),
  });
  return fc.record({
    role: fc.constantFrom('passenger', 'crew', 'transit-passenger', 'transit-crew'),
    familyNames: text,
    givenNames: maybe(text),
    sex: fc.constantFrom('M', 'F', 'X', null),
    birthDate: maybe(fc.integer({ min: 0, max: 36_000 }).map((d) => isoDay(flightDay - d))),
    birthPlace: maybe(text),
    nationality: maybe(country),
    residence: maybe(text),
    address: maybe(text),
    embarkation: maybe(text),
    debarkation: maybe(text),
    finalDestination: maybe(text),
    reservation: maybe(text),
    passengerRef: maybe(text),
    seat: maybe(text),
    otherRefs: fc.array(fc.record({ qualifier: fc.constantFrom('CR', 'AEA', 'YZY'), value: text }), {
      maxLength: 2,
    }),
    verified: fc.constantFrom(true, false, null),
    crewFunction: maybe(text),
    documents: fc.array(document, { maxLength: 3 }),
  });
}

function legDraft(syntax: string, day: number, first: boolean): fc.Arbitrary<LegDraft> {
  const text = textOf(syntax);
  const at = (d: number) =>
    fc.oneof(
      time.map((t) => `${isoDay(d)}T${t}`),
      fc.constant(isoDay(d)),
    );
  return fc
    .record({
      flight: text,
      carrier: text,
      overflight: fc.boolean(),
      modeCode: fc.constantFrom(null, '1', '2', '3', '4', '8'),
      vessel: maybe(text),
      qualifiers: fc.constantFrom(['125', '87'], ['92', '92'], ['125', '130'], ['92', '87']),
      departurePort: text,
      departureAt: first ? at(day) : maybe(at(day)),
      arrivalPort: text,
      arrivalAt: maybe(at(day + 1)),
    })
    .map(({ qualifiers, ...leg }) => ({
      ...leg,
      departureQualifier: qualifiers[0],
      arrivalQualifier: qualifiers[1],
    }));
}

/** One interchange of 1-3 consistent manifests (same envelope; all or none in groups). */
const interchangeDraft: fc.Arbitrary<Draft[]> = fc
  .record({
    syntax: fc.constantFrom(...SYNTAXES),
    version: fc.constantFrom('3', '4'),
    preparedDay: fc.integer({ min: dayOf('2002-01-01'), max: dayOf('2097-12-31') }),
    preparedTime: time,
    messages: fc.integer({ min: 1, max: 3 }),
    grouped: fc.boolean(),
  })
  .chain(({ syntax, version, preparedDay, preparedTime, messages, grouped }) => {
    const text = textOf(syntax);
    const preparedAt = `${isoDay(preparedDay)}T${preparedTime}`;
    const envelope = fc.record({
      sender: text,
      senderQualifier: maybe(text),
      recipient: text,
      recipientQualifier: maybe(text),
      controlRef: text,
      applicationRef: maybe(text),
      test: fc.boolean(),
    });
    const message = (i: number) =>
      fc.integer({ min: -400, max: 400 }).chain((offset) => {
        const day = preparedDay + offset;
        return fc.record({
          messageRef: text,
          commonAccessRef: maybe(text),
          part: maybe(fc.record({ sequence: fc.integer({ min: 1, max: 99 }), final: fc.boolean() })),
          directory: fc.constantFrom('D02B', 'D05B'),
          association: fc.constantFrom('IATA', null),
          documentCode: fc.constantFrom('745', '250', '266'),
          documentId: fc.constantFrom(null, 'CP', 'XR', 'CL', 'CLOB', 'CLNB', 'C', 'CC'),
          messageFunctionCode: fc.constantFrom(null, '9', '4', '1'),
          transactionRef: maybe(text),
          reportingParty: maybe(
            fc.record({
              id: maybe(text),
              name: maybe(text),
              phone: maybe(text),
              fax: maybe(text),
              email: maybe(text),
            }),
          ),
          legs: fc
            .array(fc.boolean(), { minLength: 1, maxLength: 3 })
            .chain((xs) => fc.tuple(...xs.map((_, k) => legDraft(syntax, day, k === 0)))),
          persons: fc.array(personDraft(syntax, day), { maxLength: 5 }),
          group: grouped
            ? fc.record({
                ref: text.map((r) => `${r}${i}`),
                sender: text,
                recipient: text,
                preparedAt: fc.constantFrom(preparedAt, null),
                directory: fc.constantFrom('D05B', 'D02B', null),
              })
            : fc.constant(null),
        });
      });
    return fc
      .tuple(envelope, fc.tuple(...Array.from({ length: messages }, (_, i) => message(i))))
      .map(([env, ms]) =>
        ms.map((m): Draft => ({
          ...m,
          interchange: { ...env, preparedAt, syntax: { identifier: syntax, version } },
          totals: {
            passengers: m.persons.filter((p) => p.role === 'passenger' || p.role === 'transit-passenger')
              .length,
            crew: m.persons.filter((p) => p.role === 'crew' || p.role === 'transit-crew').length,
          },
        })),
      );
  });

const separators: fc.Arbitrary<Partial<PaxlstSeparators>> = fc
  .shuffledSubarray([...":+?'*|!~#^;&%$@"], { minLength: 4, maxLength: 4 })
  .chain(([component, element, release, terminator]) =>
    fc.record({
      component: fc.constant(component!),
      element: fc.constant(element!),
      release: fc.constant(release!),
      terminator: fc.constant(terminator!),
      decimal: fc.constantFrom('.', ','),
    }),
  );

const writeOptions: fc.Arbitrary<WritePaxlstOptions> = fc.record({
  una: fc.oneof(fc.constant(false), fc.constant(true), separators),
  lineBreaks: fc.boolean(),
  fourDigitYears: fc.boolean(),
});

/** The parsed manifest in the writer's terms: what a round trip must give back. */
function draftOf(m: Manifest): Draft {
  const {
    interchange: ic,
    group,
    legs,
    persons,
    position: _p,
    listType: _l,
    status: _s,
    function: _f,
    notes: _n,
    ...rest
  } = m;
  return {
    ...rest,
    interchange: {
      sender: ic.sender,
      senderQualifier: ic.senderQualifier,
      recipient: ic.recipient,
      recipientQualifier: ic.recipientQualifier,
      preparedAt: ic.preparedAt,
      controlRef: ic.controlRef,
      applicationRef: ic.applicationRef,
      test: ic.test,
      syntax: ic.syntax,
    },
    group:
      group === null
        ? null
        : {
            ref: group.ref,
            sender: group.sender,
            recipient: group.recipient,
            preparedAt: group.preparedAt,
            directory: group.directory,
          },
    legs: legs.map(({ position: _q, mode: _m, ...leg }) => leg),
    persons: persons.map(({ position: _q, index: _i, crew: _c, transit: _t, documents, ...p }) => ({
      ...p,
      documents: documents.map(({ type: _y, ...d }) => d),
    })),
  };
}

function wellFormed(results: readonly PaxlstResult[]): void {
  expect(results.length).toBeGreaterThan(0);
  for (const r of results) {
    if (r.ok) continue;
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) {
      expect(typeof e.field).toBe('string');
      expect(typeof e.reason).toBe('string');
      expect(e.reason.length).toBeGreaterThan(0);
    }
    expect(Number.isInteger(r.position.offset) && r.position.line >= 1).toBe(true);
  }
}

describe('PAXLST properties', () => {
  it('any manifests written by writePaxlst read back the same, whatever the separators', () => {
    fc.assert(
      fc.property(interchangeDraft, writeOptions, (drafts, options) => {
        const text = writePaxlst(drafts, options);
        const results = parsePaxlstText(text);
        const bad = results.filter((r) => !r.ok);
        expect(bad).toEqual([]);
        expect(results.map((r) => (r.ok ? draftOf(r.message) : null))).toEqual(drafts);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the same results however the text is cut into chunks', () => {
    fc.assert(
      fc.property(
        interchangeDraft,
        writeOptions,
        fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 30 }),
        (drafts, options, sizes) => {
          const text = writePaxlst(drafts, options);
          const chunks: string[] = [];
          let at = 0;
          for (const n of sizes) {
            chunks.push(text.slice(at, at + n));
            at += n;
          }
          chunks.push(text.slice(at));
          expect([...parsePaxlstSync(chunks)]).toEqual(parsePaxlstText(text));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('random strings give errors, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => wellFormed(parsePaxlstText(s))),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => wellFormed(parsePaxlstText(s))),
      { numRuns: 300 },
    );
  });

  it('random bytes (read as Latin-1) give errors, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) =>
        wellFormed(parsePaxlstText(String.fromCharCode(...bytes))),
      ),
      { numRuns: 1000 },
    );
  });

  it('random strings of EDIFACT-like pieces give errors, never a throw', () => {
    const piece = fc.constantFrom(
      'UNA:+.? ',
      'UNB+UNOA:4+A+B+250701:0930+1',
      'UNG+PAXLST+A+B+250701:0930+G+UN+D:05B',
      'UNH+1+PAXLST:D:05B:UN:IATA',
      'BGM+745',
      'TDT+20+XY1',
      'LOC+125+JFK',
      'LOC+87+LHR',
      'DTM+189:2507011000:201',
      'NAD+FL+++DOE:JANE',
      'DOC+P+X1',
      'LOC+91+USA',
      'CNT+42:1',
      'UNT+9+1',
      'UNE+1+G',
      'UNZ+1+1',
      '?',
      "'",
      '+',
      ':',
      '\n',
      '',
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(piece, fc.constantFrom("'", '', "'\n", '+')), { maxLength: 40 }),
        (parts) => wellFormed(parsePaxlstText(parts.map(([p, t]) => p + t).join(''))),
      ),
      { numRuns: 1000 },
    );
  });

  const file = generatePaxlstFile(60, 9, { maxPersonsPerMessage: 6 });
  const manifests = parsePaxlstText(file).map((r) => {
    if (!r.ok) throw new Error('the generated file must be clean');
    return r.message;
  });

  it('a valid file with random damage anywhere gives well-formed errors, never a throw', () => {
    const edit = fc.record({
      at: fc.integer({ min: 0, max: file.length - 1 }),
      cut: fc.integer({ min: 0, max: 20 }),
      insert: fc.string({ maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = file;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.cut);
        wellFormed(parsePaxlstText(text));
      }),
      { numRuns: 300 },
    );
  });

  it('damage inside one message body changes no other message', () => {
    const spans = manifests.map((m) => {
      const start = m.position.offset;
      const bodyStart = file.indexOf(m.interchange.separators.terminator, start) + 1;
      return { bodyStart, untStart: file.indexOf('UNT', bodyStart) };
    });
    const safe = fc.constantFrom(..."abcxyz0189 +:?'.".split(''));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: manifests.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 30 }),
        fc.string({ unit: safe, maxLength: 6 }),
        (k, where, cut, insert) => {
          const { bodyStart, untStart } = spans[k]!;
          const at = bodyStart + Math.floor(where * (untStart - bodyStart));
          const text = file.slice(0, at) + insert + file.slice(Math.min(at + cut, untStart));
          const results = parsePaxlstText(text);
          wellFormed(results);
          const others = results.filter(
            (r) => (r.ok ? r.message.messageRef : r.messageRef) !== manifests[k]!.messageRef,
          );
          expect(others.map((r) => (r.ok ? draftOf(r.message) : r))).toEqual(
            manifests.filter((_, i) => i !== k).map(draftOf),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
