import { describe, expect, it } from 'vitest';
import { formatPaxlstError, type PaxlstResult } from './manifest.js';
import { parsePaxlst, parsePaxlstSync, parsePaxlstText } from './parse-paxlst.js';
import {
  FLIGHT_OUT,
  PASSENGER_ANA,
  PASSENGER_SEAN,
  crewList,
  errorLines,
  interchange,
  message,
  onlyManifest,
  passengerList,
} from './test-fixtures.js';

const parse = (text: string) => parsePaxlstText(text);
const rejected = (results: readonly PaxlstResult[]) => results.filter((r) => !r.ok);

describe('parsePaxlst: a passenger list', () => {
  const text = interchange([passengerList()], { una: true, group: 'G1' });
  const m = onlyManifest(parse(text));

  it('reads the envelope: interchange, group and message header', () => {
    expect(m.interchange).toMatchObject({
      sender: 'XYZAIR',
      senderQualifier: 'ZZ',
      recipient: 'USCBP',
      recipientQualifier: 'ZZ',
      preparedAt: '2025-07-01T09:30',
      controlRef: 'IC0001',
      applicationRef: 'APIS',
      test: false,
      syntax: { identifier: 'UNOA', version: '4' },
      una: true,
    });
    expect(m.interchange.position).toEqual({ segment: 1, offset: 10, line: 2 });
    expect(m.group).toMatchObject({
      ref: 'G1',
      sender: 'XYZAIR',
      directory: 'D05B',
      preparedAt: '2025-07-01T09:30',
    });
    expect(m).toMatchObject({
      messageRef: 'M1',
      directory: 'D05B',
      association: 'IATA',
      documentCode: '745',
      documentId: null,
      listType: 'passenger',
      status: 'booked',
      function: 'original',
      transactionRef: 'XY100TX1',
      totals: { passengers: 2, crew: null },
      notes: [],
    });
    expect(m.position).toMatchObject({ segment: 3, line: 4 });
    expect(m.reportingParty).toEqual({
      id: null,
      name: 'XYZ OPS DESK',
      phone: '1 555 0100',
      fax: '1 555 0101',
      email: 'OPS.AT.XYZ',
    });
  });

  it('reads the flight leg (TDT, LOC+125/87, DTM+189/232)', () => {
    expect(m.legs).toHaveLength(1);
    expect(m.legs[0]).toMatchObject({
      flight: 'XY100',
      carrier: 'XY',
      overflight: false,
      mode: 'air',
      departurePort: 'JFK',
      departureQualifier: '125',
      departureAt: '2025-07-01T10:15',
      arrivalPort: 'LHR',
      arrivalQualifier: '87',
      arrivalAt: '2025-07-01T22:05',
    });
  });

  it('reads every group 4 and 5 segment of a passenger', () => {
    expect(m.persons[0]).toMatchObject({
      index: 0,
      role: 'passenger',
      crew: false,
      transit: false,
      familyNames: 'EXAMPLETON',
      givenNames: 'ANA LUCIA',
      address: '1 MAIN ST, SPRINGFIELD, IL, 62701, USA',
      sex: 'F',
      birthDate: '1990-04-01',
      verified: true,
      finalDestination: 'LHR',
      residence: 'MEX',
      embarkation: 'JFK',
      debarkation: 'LHR',
      birthPlace: 'GUADALAJARA',
      nationality: 'MEX',
      reservation: 'ABC123',
      passengerRef: 'XY100001',
      seat: '12A',
      otherRefs: [{ qualifier: 'CR', value: 'FF998877' }],
      documents: [
        {
          code: 'P',
          type: 'P',
          number: 'X12345678',
          expiry: '2030-01-01',
          issued: '2020-01-02',
          issuingCountry: 'MEX',
        },
        {
          code: 'V',
          type: 'V',
          number: 'V0000001',
          expiry: '2027-01-01',
          issued: null,
          issuingCountry: 'USA',
        },
      ],
    });
  });

  it('removes the release character from names and gives a 2-digit birth year its century', () => {
    expect(m.persons[1]).toMatchObject({
      familyNames: "O'NEIL",
      givenNames: 'SEAN',
      sex: 'M',
      birthDate: '2005-12-31',
      nationality: 'IRL',
    });
  });

  it('reads the same from an async stream cut anywhere', async () => {
    async function* chunks() {
      for (let i = 0; i < text.length; i += 7) {
        await Promise.resolve();
        yield text.slice(i, i + 7);
      }
    }
    const results: PaxlstResult[] = [];
    for await (const r of parsePaxlst(chunks())) results.push(r);
    expect(onlyManifest(results)).toEqual(m);
  });
});

describe('parsePaxlst: variants', () => {
  it('reads a crew list in D02B with crew and in-transit crew', () => {
    const m = onlyManifest(parse(interchange([crewList()])));
    expect(m).toMatchObject({
      directory: 'D02B',
      listType: 'crew',
      documentId: 'C',
      totals: { crew: 2, passengers: null },
    });
    expect(m.persons.map((p) => [p.role, p.crew, p.transit, p.sex, p.birthDate, p.crewFunction])).toEqual([
      ['crew', true, false, 'X', '1975-03-15', 'CR1'],
      ['transit-crew', true, true, 'F', '1980-02-29', null],
    ]);
    expect(m.persons[1]).toMatchObject({ nationality: 'D', documents: [{ issuingCountry: 'D' }] });
  });

  it('counts in-transit passengers (DDU) as passengers', () => {
    const m = onlyManifest(
      parse(
        interchange([
          message('T1', ['BGM+745', ...FLIGHT_OUT, ...PASSENGER_SEAN, 'NAD+DDU+++TRANSITO:TINA', 'CNT+42:2']),
        ]),
      ),
    );
    expect(m.persons.map((p) => p.role)).toEqual(['passenger', 'transit-passenger']);
  });

  it('reads several legs (progressive flight with LOC+92)', () => {
    const legs = [
      'TDT+20+XY200+++XY',
      'LOC+92+ORD',
      'DTM+189:2507010700:201',
      'LOC+92+JFK',
      'DTM+232:2507011000:201',
      'TDT+20+XY200+++XY',
      'LOC+92+JFK',
      'DTM+189:2507011200',
      'LOC+92+CDG',
      'DTM+232:250702',
    ];
    const m = onlyManifest(
      parse(interchange([message('P1', ['BGM+745', ...legs, ...PASSENGER_SEAN, 'CNT+42:1'])])),
    );
    expect(
      m.legs.map((l) => [l.departurePort, l.departureAt, l.arrivalPort, l.arrivalAt, l.departureQualifier]),
    ).toEqual([
      ['ORD', '2025-07-01T07:00', 'JFK', '2025-07-01T10:00', '92'],
      ['JFK', '2025-07-01T12:00', 'CDG', '2025-07-02', '92'],
    ]);
  });

  it('reads a sea voyage (TDT mode 1, vessel name) and an overflight (TDT+34)', () => {
    const sea = onlyManifest(
      parse(
        interchange([
          message('S1', [
            'BGM+745',
            'TDT+20+V123+1++SEALINE+++:::OCEAN STAR',
            'LOC+125+USMIA',
            'DTM+189:2507011800:201',
            'LOC+87+BSNAS',
            ...PASSENGER_SEAN,
            'CNT+42:1',
          ]),
        ]),
      ),
    );
    expect(sea.legs[0]).toMatchObject({
      mode: 'sea',
      modeCode: '1',
      carrier: 'SEALINE',
      vessel: 'OCEAN STAR',
    });
    const over = onlyManifest(
      parse(
        interchange([
          message('O1', ['BGM+745', 'TDT+34+AF986+++AF', 'LOC+125+CDG', 'LOC+87+MEX', 'CNT+42:0']),
        ]),
      ),
    );
    expect(over.legs[0]!.overflight).toBe(true);
  });

  it.each([
    ['BGM+745', 'booked', 'original'],
    ['BGM+745+CP', 'booked', 'change'],
    ['BGM+745+XR', 'booked', 'cancel'],
    ['BGM+745+RP', 'booked', 'change'],
    ['BGM+266+CLOB', 'closeout', 'original'],
    ['BGM+266+CL', 'closeout', 'original'],
    ['BGM+745+CLOB', 'closeout', 'original'],
    ['BGM+266+CLNB', 'not-boarded', 'original'],
    ['BGM+266+XF', 'booked', 'cancel'],
    ['BGM+745++4', 'booked', 'change'],
    ['BGM+745++5', 'booked', 'change'],
    ['BGM+745++1', 'booked', 'cancel'],
    ['BGM+745++9', 'booked', 'original'],
  ])('%s is a %s list, function %s', (bgm, status, fn) => {
    const m = onlyManifest(parse(interchange([passengerList('M1', bgm)])));
    expect([m.status, m.function]).toEqual([status, fn]);
  });

  it('reads an unknown BGM document identifier as a booked list, with a note', () => {
    const m = onlyManifest(parse(interchange([passengerList('M1', 'BGM+745+ZZZ')])));
    expect(m.status).toBe('booked');
    expect(m.notes).toEqual(['BGM document identifier "ZZZ" is not known: read as a booked list']);
  });

  it('reads a flight status close-out of crew only as a crew list', () => {
    const m = onlyManifest(
      parse(
        interchange([message('X', ['BGM+266+CLOB', ...FLIGHT_OUT, 'NAD+FM+++PILOTSON:PAT', 'CNT+41:1'])]),
      ),
    );
    expect([m.listType, m.status]).toEqual(['crew', 'closeout']);
  });

  it.each(['UNOA', 'UNOB', 'UNOC', 'UNOD', 'UNOK', 'UNOW', 'UNOX', 'UNOY'])(
    'accepts syntax identifier %s',
    (id) => {
      const m = onlyManifest(parse(interchange([passengerList()], { syntax: `${id}:4` })));
      expect(m.interchange.syntax).toEqual({ identifier: id, version: '4' });
    },
  );

  it('rejects another syntax identifier, and every message of that interchange', () => {
    const results = parse(interchange([passengerList()], { syntax: 'IATB:1' }));
    expect(errorLines(results)).toEqual([
      'UNB: syntax identifier "IATB" is not UNOA..UNOY',
      'UNH: its interchange was rejected: syntax identifier "IATB" is not UNOA..UNOY',
    ]);
  });

  it('reads other D directories from 2002 on with a note, and rejects older ones', () => {
    const d03 = onlyManifest(
      parse(interchange([message('M', ['BGM+745', ...FLIGHT_OUT, 'CNT+42:0'], { version: 'D:12B' })])),
    );
    expect(d03.directory).toBe('D12B');
    expect(d03.notes).toEqual(['directory D12B is read with the D02B/D05B segment layout']);
    const old = parse(
      interchange([message('M', ['BGM+745', ...FLIGHT_OUT, 'CNT+42:0'], { version: 'D:96B' })]),
    );
    expect(errorLines(old)).toEqual([
      'UNH: directory D96B is older than D02B: not supported (D02B, D05B are)',
    ]);
  });

  it('reads UNH common access reference and the parts of a split list', () => {
    const m = onlyManifest(
      parse(
        interchange([
          message('M', ['BGM+745', ...FLIGHT_OUT, 'CNT+42:0'], { unhExtra: '+XY100/250701+02:F' }),
        ]),
      ),
    );
    expect([m.commonAccessRef, m.part]).toEqual(['XY100/250701', { sequence: 2, final: true }]);
  });

  it('reads birth dates in CCYYMMDD (format 102), and a birth date that would be after the flight a century back', () => {
    const m = onlyManifest(
      parse(
        interchange([
          message('M', [
            'BGM+745',
            ...FLIGHT_OUT,
            'NAD+FL+++ELDER:EVA',
            'DTM+329:300702',
            'NAD+FL+++BABY:BEA',
            'DTM+329:250701',
            'NAD+FL+++LONG:LEA',
            'DTM+329:19020304:102',
            'CNT+42:3',
          ]),
        ]),
      ),
    );
    expect(m.persons.map((p) => p.birthDate)).toEqual(['1930-07-02', '2025-07-01', '1902-03-04']);
  });
});

describe('parsePaxlst: rejections', () => {
  it('rejects a wrong UNT segment count, naming UNT, its segment number, line and offset', () => {
    const text = interchange([
      passengerList('M1', 'BGM+745', []).map((s) => (s.startsWith('UNT') ? 'UNT+99+M1' : s)),
    ]);
    const [r] = rejected(parse(text));
    expect(r).toMatchObject({ ok: false, scope: 'message', messageRef: 'M1', controlRef: 'IC0001' });
    if (r?.ok !== false) throw new Error('expected a rejection');
    const unt = text.indexOf('UNT+99');
    expect(r.errors).toEqual([
      {
        field: 'UNT',
        segment: 'UNT',
        reason: 'segment count 99 does not match the 43 segments of message "M1" (UNH to UNT)',
        position: { segment: 44, offset: unt, line: 44 },
      },
    ]);
    expect(formatPaxlstError(r.errors[0]!)).toBe(
      `UNT (segment 44, line 44, offset ${unt}): segment count 99 does not match the 43 segments of message "M1" (UNH to UNT)`,
    );
    expect(r.raw).toBe(text.slice(text.indexOf('UNH'), unt + "UNT+99+M1'".length));
    expect(r.position).toMatchObject({ segment: 2, line: 2 });
  });

  it('rejects a UNT that names another message', () => {
    const text = interchange([message('M1', ['BGM+745', ...FLIGHT_OUT, 'CNT+42:0'], { untRef: 'M2' })]);
    expect(errorLines(parse(text))).toEqual(['UNT: message reference "M2" does not match UNH "M1"']);
  });

  it('rejects a control total that does not match the persons listed', () => {
    const text = interchange([
      message('M1', ['BGM+745', ...FLIGHT_OUT, ...PASSENGER_SEAN, 'CNT+42:3']),
      message('C1', ['BGM+250', ...FLIGHT_OUT, 'NAD+FM+++PILOTSON:PAT', 'CNT+41:0']),
    ]);
    const results = parse(text);
    expect(errorLines(results)).toEqual([
      'CNT+42: control total says 3 passengers, the message lists 1',
      'CNT+41: control total says 0 crew members, the message lists 1',
    ]);
    const first = results[0]!;
    if (first.ok) throw new Error('expected a rejection');
    expect(first.errors[0]!.position!.offset).toBe(text.indexOf('CNT+42:3'));
  });

  it('rejects a list of persons without its control total', () => {
    const text = interchange([message('M1', ['BGM+745', ...FLIGHT_OUT, ...PASSENGER_SEAN])]);
    expect(errorLines(parse(text))).toEqual(['CNT+42: control total of passengers (CNT+42) is missing']);
  });

  it('rejects a message without UNT and reads the one after it', () => {
    const broken = passengerList('M1').slice(0, -1);
    const results = parse(interchange([broken, passengerList('M2')], { unzCount: 2 }));
    expect(results.map((r) => (r.ok ? r.message.messageRef : r.messageRef))).toEqual(['M1', 'M2']);
    expect(errorLines(results)).toEqual(['UNT: message "M1" has no UNT: UNH comes before it']);
    expect(results[1]!.ok).toBe(true);
  });

  it('reports a truncated file: the message cut short, and the interchange without UNZ', () => {
    const whole = interchange([passengerList('M1'), passengerList('M2')]);
    const cut = whole.slice(0, whole.indexOf('NAD+FL+++O', whole.indexOf('UNH+M2')) + 12);
    const results = parse(cut);
    expect(results.map((r) => (r.ok ? 'ok' : r.scope))).toEqual(['ok', 'message', 'interchange']);
    expect(errorLines(results)).toEqual([
      `NAD: input ends inside a segment (no segment terminator "'")`,
      'UNT: input ends inside message "M2" (no UNT): the file is truncated',
      'UNZ: input ends inside interchange "IC0001" (no UNZ): the file is truncated',
    ]);
    const r = results[1]!;
    if (r.ok) throw new Error('expected a rejection');
    expect(r.raw).toBe(cut.slice(cut.indexOf('UNH+M2')));
  });

  it('keeps the good messages of a file whose middle message is broken', () => {
    const bad = passengerList('M2').map((s) => (s === 'DTM+329:900401' ? 'DTM+329:901301' : s));
    const text = interchange([passengerList('M1'), bad, passengerList('M3')], { group: 'G1' });
    const results = parse(text);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(errorLines(results)).toEqual(['DTM+329: month 13 out of range in "901301"']);
    const r = results[1]!;
    if (r.ok) throw new Error('expected a rejection');
    const start = text.indexOf('UNH+M2');
    expect(r.raw).toBe(text.slice(start, text.indexOf("'", text.indexOf('UNT+', start)) + 1));
    expect(r.errors[0]!.position!.line).toBe(
      text.slice(0, text.indexOf('DTM+329:901301')).split('\n').length,
    );
  });

  it('checks UNZ and UNE counts and references', () => {
    expect(errorLines(parse(interchange([passengerList()], { unzCount: 2, unzRef: 'OTHER' })))).toEqual([
      'UNZ: interchange control count 2 does not match the 1 messages of interchange "IC0001"',
      'UNZ: interchange control reference "OTHER" does not match UNB "IC0001"',
    ]);
    const grouped = parse(interchange([passengerList()], { group: 'G1', uneCount: 3 }));
    expect(grouped.map((r) => r.ok)).toEqual([true, false]);
    expect(errorLines(grouped)).toEqual([
      'UNE: group control count 3 does not match the 1 messages of group "G1"',
    ]);
  });

  it('names every bad field of a message, not just the first', () => {
    const text = interchange([
      message('M1', [
        'BGM+745',
        ...FLIGHT_OUT,
        'NAD+FL+++:NOFAMILY',
        'ATT+2++Q',
        'DTM+329:19900231:102',
        'NAT+2+mex',
        'DOC+P',
        'DTM+36:2501',
        'LOC+91+12',
        'CNT+42:1',
      ]),
    ]);
    expect(errorLines(parse(text))).toEqual([
      'NAD+FL: family name (C080 first component) is missing',
      'ATT+2: "Q" is not a sex code (M, F, U, X)',
      'DTM+329: day 31 out of range for 1990-02 in "19900231"',
      'NAT+2: "mex" is not a country code',
      'DOC: document number (1004) is missing',
      'DTM+36: "2501" is not a date (YYMMDD, CCYYMMDD, YYMMDDHHMM or CCYYMMDDHHMM)',
      'LOC+91: "12" is not a country code',
    ]);
  });

  it('rejects segments out of order, unknown segments and a message without BGM or TDT', () => {
    const text = interchange([
      message('M1', [
        'BGM+745',
        ...FLIGHT_OUT,
        ...PASSENGER_SEAN,
        'TDT+20+XY9',
        'XYZ+1',
        'CNT+42:1',
        'NAT+2+USA',
      ]),
      message('M2', ['RFF+TN:1', 'CNT+42:0']),
    ]);
    expect(errorLines(parse(text))).toEqual([
      'TDT: flight details (TDT) after the first passenger or crew member',
      'XYZ: segment XYZ is not part of a PAXLST message',
      'NAT: segment after the control total (CNT): only CNT and UNT may follow',
      'BGM: no BGM (beginning of message)',
      'TDT: no TDT: the message names no flight',
      'CNT+42: CNT is out of place after the message header',
    ]);
  });

  it('rejects legs without departure or arrival location, and unknown flight location qualifiers', () => {
    const text = interchange([
      message('M1', ['BGM+745', 'TDT+20+XY1', 'LOC+125+JFK', 'LOC+188+LHR', 'CNT+42:0']),
    ]);
    expect(errorLines(parse(text))).toEqual([
      'LOC+87: leg XY1 has no arrival location (LOC+87 or LOC+92)',
      'LOC+188: "188" is not a flight location qualifier (125, 87, 92, 130)',
    ]);
  });

  it('refuses master crew lists and other documents', () => {
    expect(errorLines(parse(interchange([message('M', ['BGM+336+G', ...FLIGHT_OUT])])))).toEqual([
      'BGM: a master crew list (BGM 336) is not a flight manifest: not supported',
    ]);
    expect(errorLines(parse(interchange([message('M', ['BGM+999', ...FLIGHT_OUT])])))).toEqual([
      'BGM: document name code "999" is not 745 (passenger list), 250 (crew list) or 266 (flight status)',
    ]);
  });

  it('rejects a message outside any interchange, and reports text outside messages once per run', () => {
    const results = parse(
      `GARBAGE'MORE'${passengerList('M1')
        .map((s) => `${s}'`)
        .join('')}`,
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.scope))).toEqual(['input', 'message']);
    expect(errorLines(results)).toEqual([
      '*: "GARBAGE" is not a segment tag (and 1 more segments up to the next envelope segment)',
      'UNH: message is not inside an interchange (no UNB before it)',
    ]);
  });

  it('reports empty input and a file of spaces', () => {
    expect(errorLines(parse(''))).toEqual(['UNB: no UNB interchange header in the input']);
    expect(errorLines(parse(' \n\r\n'))).toEqual(['UNB: no UNB interchange header in the input']);
  });

  it('a control character in a message rejects that message only', () => {
    const bad = passengerList('M2').map((s) => (s === 'NAT+2+MEX' ? 'NAT+2+M\u0007X' : s));
    const results = parse(interchange([passengerList('M1'), bad, passengerList('M3')]));
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(errorLines(results)).toEqual(['NAT: control character U+0007 inside the segment']);
  });

  it('keeps no raw text for a message longer than maxRawLength, read whole or in chunks', () => {
    const bad = passengerList('M1').map((s) => (s === 'ATT+2++F' ? 'ATT+2++Q' : s));
    const text = interchange([bad]);
    expect(parsePaxlstText(text, { maxRawLength: 100 })[0]).toMatchObject({ ok: false, raw: null });
    const chunks = text.match(/[\s\S]{1,50}/g)!;
    expect([...parsePaxlstSync(chunks, { maxRawLength: 100 })][0]).toMatchObject({ ok: false, raw: null });
    const kept = [...parsePaxlstSync(chunks)][0];
    expect(kept).toMatchObject({
      ok: false,
      raw: text.slice(text.indexOf('UNH'), text.indexOf("'\nUNZ") + 1),
    });
  });
});

describe('the guide-style message of docs/paxlst.md', () => {
  it('parses', () => {
    const text = interchange([passengerList('M1', 'BGM+266+CLOB')], { una: true });
    expect(onlyManifest(parse(text)).status).toBe('closeout');
    expect(PASSENGER_ANA.length + PASSENGER_SEAN.length).toBe(31);
  });
});
