/**
 * Deterministic PAXLST files for benchmarks and tests: interchanges of passenger and crew lists
 * (booked and close-out, single and multi-sector, with and without UNA and groups, names that need the
 * release character), written with `writePaxlst` so every count and reference is right. Pure.
 */
import { seededRandom } from '../seeded-random.js';
import type { Sex } from '../observation/observation.js';
import type { PortCountry } from './departures.js';
import type { PersonRole } from './manifest.js';
import { writePaxlst, type ManifestDraft } from './write-paxlst.js';

/** The airports the generator flies between, with their countries. */
export const GENERATOR_PORTS: Readonly<Record<string, string>> = {
  JFK: 'USA',
  IAD: 'USA',
  LAX: 'USA',
  MIA: 'USA',
  ORD: 'USA',
  SFO: 'USA',
  LHR: 'GBR',
  CDG: 'FRA',
  FRA: 'DEU',
  MAD: 'ESP',
  MEX: 'MEX',
  YYZ: 'CAN',
  NRT: 'JPN',
  DXB: 'ARE',
  GRU: 'BRA',
  BOG: 'COL',
  DEL: 'IND',
  MNL: 'PHL',
};

export const generatorPortCountry: PortCountry = (code) => GENERATOR_PORTS[code] ?? null;

const US_PORTS = ['JFK', 'IAD', 'LAX', 'MIA', 'ORD', 'SFO'];
const FOREIGN_PORTS = ['LHR', 'CDG', 'FRA', 'MAD', 'MEX', 'YYZ', 'NRT', 'DXB', 'GRU', 'BOG', 'DEL', 'MNL'];
const CARRIERS = ['AA', 'UA', 'DL', 'BA', 'AF', 'LH', 'IB', 'AM', 'AC', 'JL', 'EK', 'LA'];
const NATIONALITIES = [
  'USA',
  'GBR',
  'FRA',
  'D',
  'ESP',
  'MEX',
  'CAN',
  'JPN',
  'IND',
  'BRA',
  'COL',
  'PHL',
  'CHN',
  'NGA',
];
const FAMILY = [
  'SMITH',
  'GARCIA',
  "O'NEIL",
  'NGUYEN',
  'MUELLER',
  'DUBOIS',
  'TANAKA',
  'SINGH',
  'DA SILVA',
  'KOWALSKI',
  'OKAFOR',
  'HERNANDEZ LOPEZ',
  'ROSSI',
  'KIM',
  'MARTIN',
  'VAN DER BERG',
];
const GIVEN = [
  'JOHN',
  'MARIA',
  'WEI',
  'FATIMA',
  'JOSE',
  'ANNA',
  'PRIYA',
  'LUCAS',
  'AISHA',
  'KENJI',
  'SOFIA',
  'DAVID',
];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function isoDay(dayNumber: number): string {
  const d = new Date(Date.UTC(2000, 0, 1) + dayNumber * 86_400_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const DAY_2025 = 9132; // 2025-01-01 as days since 2000-01-01

export interface GenerateOptions {
  /** Persons per message at most (default 300). */
  readonly maxPersonsPerMessage?: number;
}

/**
 * Yields one interchange (a string) at a time until `persons` passengers and crew members have been
 * written. The same arguments always give the same text.
 */
export function* generatePaxlstChunks(
  persons: number,
  seed = 1,
  options: GenerateOptions = {},
): Generator<string> {
  const r = seededRandom(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const code = (alphabet: string, n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  const maxPer = Math.max(1, options.maxPersonsPerMessage ?? 300);
  let left = Math.max(0, Math.floor(persons));
  let interchangeNo = 0;
  while (left > 0) {
    interchangeNo++;
    const day = DAY_2025 + int(365);
    const preparedAt = `${isoDay(day)}T${pad2(int(24))}:${pad2(int(60))}`;
    const carrier = pick(CARRIERS);
    const grouped = r() < 0.5;
    const messages: ManifestDraft[] = [];
    const nMessages = 1 + int(3);
    for (let k = 0; k < nMessages && left > 0; k++) {
      const crewList = r() < 0.15;
      const count = Math.min(left, crewList ? 2 + int(14) : 1 + int(maxPer));
      left -= count;
      const fromUs = r() < 0.5;
      const a = fromUs ? pick(US_PORTS) : pick(FOREIGN_PORTS);
      const b = fromUs ? pick(FOREIGN_PORTS) : pick(US_PORTS);
      const multi = r() < 0.1;
      const flight = `${carrier}${1 + int(9000)}`;
      const depTime = `${isoDay(day)}T${pad2(int(24))}:${pad2(int(60))}`;
      const arrTime = `${isoDay(day + 1)}T${pad2(int(24))}:${pad2(int(60))}`;
      const legs: ManifestDraft['legs'][number][] = [];
      const via = fromUs ? pick(US_PORTS.filter((p) => p !== a)) : pick(FOREIGN_PORTS.filter((p) => p !== a));
      const first = multi ? via : a;
      if (multi) {
        legs.push({
          flight,
          carrier,
          overflight: false,
          modeCode: null,
          vessel: null,
          departurePort: a,
          departureQualifier: '92',
          departureAt: `${isoDay(day)}T06:00`,
          arrivalPort: via,
          arrivalQualifier: '92',
          arrivalAt: `${isoDay(day)}T08:30`,
        });
      }
      legs.push({
        flight,
        carrier,
        overflight: false,
        modeCode: null,
        vessel: null,
        departurePort: first,
        departureQualifier: multi ? '92' : '125',
        departureAt: depTime,
        arrivalPort: b,
        arrivalQualifier: multi ? '92' : '87',
        arrivalAt: arrTime,
      });
      const people: ManifestDraft['persons'][number][] = [];
      let passengers = 0;
      let crew = 0;
      for (let i = 0; i < count; i++) {
        const role: PersonRole = crewList
          ? r() < 0.1
            ? 'transit-crew'
            : 'crew'
          : r() < 0.05
            ? 'transit-passenger'
            : 'passenger';
        if (role === 'crew' || role === 'transit-crew') crew++;
        else passengers++;
        const nationality = pick(NATIONALITIES);
        const sexRoll = r();
        const sex: Sex | null = sexRoll < 0.48 ? 'F' : sexRoll < 0.96 ? 'M' : sexRoll < 0.98 ? 'X' : null;
        const documents: ManifestDraft['persons'][number]['documents'][number][] = [
          {
            code: 'P',
            number: code(ALNUM, 9),
            issuingCountry: nationality,
            expiry: isoDay(day + 30 + int(3600)),
            issued: r() < 0.3 ? isoDay(day - 30 - int(3000)) : null,
          },
        ];
        if (r() < 0.1) {
          documents.push({
            code: 'V',
            number: code(ALNUM, 8),
            issuingCountry: 'USA',
            expiry: isoDay(day + int(900)),
            issued: null,
          });
        }
        people.push({
          role,
          familyNames: pick(FAMILY),
          givenNames: r() < 0.3 ? `${pick(GIVEN)} ${pick(GIVEN)}` : pick(GIVEN),
          sex,
          birthDate: isoDay(day - 365 - int(80 * 365)),
          birthPlace: r() < 0.2 ? nationality : null,
          nationality,
          residence: r() < 0.5 ? nationality : null,
          address: null,
          embarkation: crewList ? null : a,
          debarkation: crewList ? null : b,
          finalDestination: r() < 0.3 ? b : null,
          reservation: crewList ? null : code(LETTERS, 6),
          passengerRef: crewList ? null : `${flight}${pad2(i % 100)}${code(ALNUM, 4)}`,
          seat: crewList || r() < 0.5 ? null : `${1 + int(40)}${LETTERS[int(6)]}`,
          otherRefs: [],
          verified: r() < 0.3 ? r() < 0.8 : null,
          crewFunction: crewList ? `CR${1 + int(3)}` : null,
          documents,
        });
      }
      const closeout = r() < 0.5;
      messages.push({
        interchange: {
          sender: `${carrier}APIS`,
          senderQualifier: 'ZZ',
          recipient: 'USCSAPIS',
          recipientQualifier: 'ZZ',
          preparedAt,
          controlRef: `${interchangeNo}`,
          applicationRef: 'APIS',
          test: false,
          syntax: { identifier: 'UNOA', version: '4' },
        },
        group: grouped
          ? {
              ref: `G${interchangeNo}`,
              sender: carrier,
              recipient: 'USCSAPIS',
              preparedAt,
              directory: 'D05B',
            }
          : null,
        messageRef: `M${interchangeNo}X${k + 1}`,
        commonAccessRef: `${flight}/${isoDay(day).replace(/-/g, '').slice(2)}`,
        part: { sequence: 1, final: true },
        directory: r() < 0.8 ? 'D05B' : 'D02B',
        association: 'IATA',
        documentCode: crewList ? '250' : closeout ? '266' : '745',
        documentId: closeout ? 'CLOB' : crewList ? 'C' : null,
        messageFunctionCode: null,
        transactionRef: `${flight}${code(ALNUM, 6)}`,
        reportingParty: {
          id: null,
          name: `${carrier} APIS DESK`,
          phone: '1 703 555 0100',
          fax: null,
          email: null,
        },
        legs,
        persons: people,
        totals: { passengers: crewList ? null : passengers, crew: crewList ? crew : null },
      });
    }
    const custom = r() < 0.2;
    yield writePaxlst(messages, {
      una: custom ? { component: ':', element: '(', release: '!', terminator: '~' } : r() < 0.8,
      lineBreaks: r() < 0.7,
    });
  }
}

/** A whole generated file as one string: `persons` passengers and crew members (see `generatePaxlstChunks`). */
export function generatePaxlstFile(persons: number, seed = 1, options: GenerateOptions = {}): string {
  const parts: string[] = [];
  for (const chunk of generatePaxlstChunks(persons, seed, options)) parts.push(chunk);
  return parts.join('');
}
