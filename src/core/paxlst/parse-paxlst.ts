/**
 * UN/EDIFACT PAXLST (API passenger and crew manifest) reader, after the WCO/IATA/ICAO PAXLST
 * Implementation Guide (air mode) and US APIS practice for the close-out codes.
 *
 * Reads interchanges (UNB..UNZ), optional functional groups (UNG..UNE) and PAXLST messages
 * (UNH..UNT) from a stream of text chunks, and yields one result per message: the manifest, or the
 * reasons it is rejected, each naming the segment, where it is and why. A broken message never stops
 * the messages after it; envelope problems (UNZ counts, references, a missing UNZ) are reported on
 * their own. Nothing throws on bad input, and every loop moves forward: random bytes give errors.
 * Pure: no I/O. See docs/paxlst.md.
 */
import { DOCUMENT_TYPES, type DocumentType, type IsoDate, type Sex } from '../observation/observation.js';
import { decodePaxlstBytes, decodePaxlstBytesSync } from './decode-paxlst.js';
import { readDtm, readEnvelopeDate, type CenturyRule } from './edifact-dates.js';
import {
  SYNTAX_IDENTIFIER,
  type ListType,
  type Manifest,
  type ManifestFunction,
  type ManifestLeg,
  type ManifestPerson,
  type ManifestReference,
  type ManifestStatus,
  type PaxlstError,
  type PaxlstGroup,
  type PaxlstInterchange,
  type PaxlstResult,
  type PersonDocument,
  type PersonRole,
  type ReportingParty,
  type TransportMode,
} from './manifest.js';
import {
  DEFAULT_SEPARATORS,
  PaxlstTokenizer,
  qualifierCode,
  quoteRaw,
  type PaxlstPosition,
  type PaxlstSeparators,
  type SegmentSink,
  type SegmentView,
  type TokenizerOptions,
} from './tokenizer.js';

export interface ParsePaxlstOptions extends TokenizerOptions {
  /** Characters of a rejected message kept in its `raw` (default 1,000,000); longer ones give null. */
  readonly maxRawLength?: number;
  /** Errors reported per message (default 50); the rest are counted in a last error. */
  readonly maxErrorsPerMessage?: number;
}

/** The directories this reader was written against; other D directories from 2002 on are read with a note. */
export const PAXLST_DIRECTORIES = ['D02B', 'D05B'] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Seg = SegmentView;

// Qualifiers, compared as numbers (SegmentView.code).
const Q = qualifierCode;
const Q_2 = Q('2');
const Q_4 = Q('4');
const Q_20 = Q('20');
const Q_22 = Q('22');
const Q_34 = Q('34');
const Q_36 = Q('36');
const Q_41 = Q('41');
const Q_42 = Q('42');
const Q_87 = Q('87');
const Q_91 = Q('91');
const Q_92 = Q('92');
const Q_125 = Q('125');
const Q_130 = Q('130');
const Q_173 = Q('173');
const Q_174 = Q('174');
const Q_178 = Q('178');
const Q_179 = Q('179');
const Q_180 = Q('180');
const Q_182 = Q('182');
const Q_189 = Q('189');
const Q_232 = Q('232');
const Q_329 = Q('329');
const Q_TN = Q('TN');
const Q_AVF = Q('AVF');
const Q_ABO = Q('ABO');
const Q_SEA = Q('SEA');
const Q_TE = Q('TE');
const Q_FX = Q('FX');
const Q_EM = Q('EM');
const Q_FL = Q('FL');
const Q_FM = Q('FM');
const Q_DDU = Q('DDU');
const Q_DDT = Q('DDT');

const NATIONALITY = /^[A-Z]{1,3}$/;
const TAG = /^[A-Z][A-Z0-9]{2}$/;

const opt = (s: Seg, i: number, j = 0): string | null => {
  const v = s.value(i, j);
  return v === '' ? null : v;
};

function joinComponents(comps: readonly string[], from = 0): string | null {
  let out = '';
  for (let i = from; i < comps.length; i++) {
    const c = comps[i]!;
    if (c !== '') out = out === '' ? c : `${out} ${c}`;
  }
  return out === '' ? null : out;
}

/** Where a segment is, and its tag: what an error needs to keep once the segment is gone. */
interface SegRef {
  readonly tag: string;
  readonly position: PaxlstPosition;
}

/** A tag fit to name in an error: `*` for text that is not a segment tag. */
const tagName = (tag: string): string => (TAG.test(tag) ? tag : '*');

const ref = (s: Seg): SegRef => ({ tag: tagName(s.tag), position: s.position });

function err(seg: SegRef | null, field: string, reason: string, position?: PaxlstPosition): PaxlstError {
  return { field, reason, segment: seg?.tag ?? '*', position: position ?? seg?.position ?? null };
}

/** The segment and qualifier as a field name: `DTM+329`, `LOC+125`. */
function fieldOf(seg: Seg): string {
  const q = seg.value(0);
  return q !== '' && q.length <= 4 ? `${seg.tag}+${q}` : seg.tag;
}

function carrierOf(flight: string): string | null {
  const m = /^([A-Z]{3}|[A-Z0-9]{2})\d{1,4}[A-Z]?$/.exec(flight);
  return m ? m[1]! : null;
}

function documentType(code: string): DocumentType | null {
  const first = code.charAt(0);
  return (DOCUMENT_TYPES as readonly string[]).includes(first) ? (first as DocumentType) : null;
}

function roleOf(code: number): PersonRole | null {
  if (code === Q_FL) return 'passenger';
  if (code === Q_FM) return 'crew';
  if (code === Q_DDU) return 'transit-passenger';
  if (code === Q_DDT) return 'transit-crew';
  return null;
}

// Where in the message structure the reader is.
const HEADER = 0;
const PARTY = 1;
const TRANSPORT = 2;
const PERSON = 3;
const DOCUMENT = 4;
const TRAILER = 5;

const ZONE_NAMES = [
  'the message header',
  'the reporting party (NAD+MS)',
  'the flight details (TDT)',
  'a passenger or crew member',
  'a travel document (DOC)',
  'the control total',
];

interface GroupState {
  readonly info: PaxlstGroup | null;
  readonly ref: string;
  readonly broken: string | null;
  readonly position: PaxlstPosition;
  messages: number;
}

interface InterchangeState {
  readonly info: PaxlstInterchange | null;
  readonly controlRef: string;
  readonly broken: string | null;
  readonly position: PaxlstPosition;
  messages: number;
  groups: number;
  bareMessages: number;
}

/** Builds one message from its segments, collecting every error rather than stopping at the first. */
class MessageBuilder {
  readonly errors: PaxlstError[] = [];
  private dropped = 0;
  private readonly notes: string[] = [];
  private segmentCount = 1;
  private zone = HEADER;
  readonly ref: string;
  private readonly unh: SegRef;
  private readonly commonAccessRef: string | null;
  private part: Manifest['part'] = null;
  private directory = '';
  private association: string | null = null;
  private bgmSeen = false;
  private documentCode = '';
  private documentId: string | null = null;
  private messageFunctionCode: string | null = null;
  private transactionRef: string | null = null;
  private party: Mutable<ReportingParty> | null = null;
  private readonly legs: Mutable<ManifestLeg>[] = [];
  private leg: Mutable<ManifestLeg> | null = null;
  private readonly persons: Mutable<ManifestPerson>[] = [];
  /** The person being read; null after a NAD that is not a person (its error is already reported). */
  private person: Mutable<ManifestPerson> | null = null;
  private doc: Mutable<PersonDocument> | null = null;
  private cntPassengers: number | null = null;
  private cntCrew: number | null = null;
  private cnt: SegRef | null = null;
  private refDateCache: IsoDate | null | undefined = undefined;

  constructor(
    unh: Seg,
    private readonly interchange: InterchangeState | null,
    private readonly group: GroupState | null,
    /** The message's text as received, from UNH up to an offset (null when too long to keep). */
    private readonly rawText: (to: number) => string | null,
    private readonly maxErrors: number,
  ) {
    this.unh = ref(unh);
    this.ref = unh.value(0);
    this.commonAccessRef = opt(unh, 2);
    if (unh.problem !== null) this.error(unh, 'UNH', unh.problem);
    if (this.ref === '') this.error(unh, 'UNH', 'message reference number (0062) is missing');
    const type = unh.value(1, 0);
    const version = unh.value(1, 1);
    const release = unh.value(1, 2);
    const agency = unh.value(1, 3);
    if (type !== 'PAXLST') {
      this.error(unh, 'UNH', `message type ${quoteRaw(type)} is not PAXLST`);
    } else if (version !== 'D' || !/^\d\d[AB]$/.test(release)) {
      this.error(
        unh,
        'UNH',
        `message version ${quoteRaw(`${version}:${release}`)} is not a UN/EDIFACT D directory`,
      );
    } else {
      this.directory = `D${release}`;
      const year = Number(release.slice(0, 2));
      if (!(PAXLST_DIRECTORIES as readonly string[]).includes(this.directory)) {
        if (year >= 2 && year < 90) {
          this.notes.push(
            `directory ${this.directory} is read with the ${PAXLST_DIRECTORIES.join('/')} segment layout`,
          );
        } else {
          this.error(
            unh,
            'UNH',
            `directory ${this.directory} is older than D02B: not supported (${PAXLST_DIRECTORIES.join(', ')} are)`,
          );
        }
      }
    }
    if (agency !== '' && agency !== 'UN') this.notes.push(`controlling agency ${agency} is not UN`);
    this.association = opt(unh, 1, 4);
    const seq = unh.value(3, 0);
    const fl = unh.value(3, 1);
    if (seq !== '' || fl !== '') {
      if (!/^\d{1,2}$/.test(seq) || (fl !== '' && fl !== 'C' && fl !== 'F')) {
        this.error(
          unh,
          'UNH',
          `status of the transfer ${quoteRaw(`${seq}:${fl}`)} is not a sequence number and C or F`,
        );
      } else {
        this.part = { sequence: Number(seq), final: fl === 'F' };
      }
    }
    if (interchange === null)
      this.error(unh, 'UNH', 'message is not inside an interchange (no UNB before it)');
    else if (interchange.broken !== null)
      this.error(unh, 'UNH', `its interchange was rejected: ${interchange.broken}`);
    if (group !== null && group.broken !== null)
      this.error(unh, 'UNH', `its group was rejected: ${group.broken}`);
  }

  error(seg: SegRef | null, field: string, reason: string, position?: PaxlstPosition): void {
    if (this.errors.length < this.maxErrors) this.errors.push(err(seg, field, reason, position));
    else this.dropped++;
  }

  /**
   * The date two-digit years are measured against: for flight dates the preparation date; for the
   * persons' dates the first leg's departure (else arrival) date.
   */
  private refDate(): IsoDate | null {
    const prepared = this.interchange?.info?.preparedAt.slice(0, 10) ?? null;
    if (this.zone < PERSON) return prepared;
    if (this.refDateCache === undefined) {
      const first = this.legs[0];
      const at = first?.departureAt ?? first?.arrivalAt ?? null;
      this.refDateCache = at === null ? prepared : at.slice(0, 10);
    }
    return this.refDateCache;
  }

  private date(seg: Seg, rule: CenturyRule): { date: IsoDate; time: string | null } | null {
    const format = seg.value(0, 2);
    const r = readDtm(seg.value(0, 1), format === '' ? undefined : format, rule, this.refDate());
    if (r.kind === 'date') return r;
    if (r.kind === 'invalid') this.error(seg, fieldOf(seg), r.reason);
    return null;
  }

  add(seg: Seg): void {
    this.segmentCount++;
    if (seg.problem !== null) {
      this.error(ref(seg), tagName(seg.tag), seg.problem);
      return;
    }
    const tag = seg.tag;
    if (this.zone === TRAILER && tag !== 'CNT') {
      this.error(seg, tag, 'segment after the control total (CNT): only CNT and UNT may follow');
      return;
    }
    switch (tag) {
      case 'NAD':
        return this.readNad(seg);
      case 'ATT':
        if (this.inPerson(seg) && this.person !== null && seg.code(0) === Q_2) this.readSex(seg);
        return;
      case 'DTM':
        return this.readDtm(seg);
      case 'LOC':
        return this.readLoc(seg);
      case 'NAT':
        if (this.inPerson(seg) && this.person !== null && seg.code(0) === Q_2) {
          const n = seg.value(1);
          if (n === '') return;
          if (!NATIONALITY.test(n)) this.error(seg, 'NAT+2', `${quoteRaw(n)} is not a country code`);
          else this.person.nationality = n;
        }
        return;
      case 'RFF':
        return this.readRff(seg);
      case 'DOC':
        return this.readDoc(seg);
      case 'GEI':
        if (this.inPerson(seg) && this.person !== null && seg.code(0) === Q_4) {
          const v = seg.code(1);
          if (v === Q_173) this.person.verified = true;
          else if (v === Q_174) this.person.verified = false;
        }
        return;
      case 'EMP':
        if (this.inPerson(seg) && this.person !== null) this.person.crewFunction = opt(seg, 1);
        return;
      case 'MEA':
      case 'FTX':
      case 'QTY':
        this.inPerson(seg);
        return;
      case 'TDT':
        return this.readTdt(seg);
      case 'BGM':
        return this.readBgm(seg);
      case 'COM':
        return this.readCom(seg);
      case 'CTA':
        if (this.zone !== PARTY) this.outOfPlace(seg);
        return;
      case 'CNT':
        return this.readCnt(seg);
      default:
        this.error(
          seg,
          tag,
          TAG.test(tag) && tag.startsWith('UN')
            ? `service segment ${tag} inside a message`
            : `segment ${tag} is not part of a PAXLST message`,
        );
    }
  }

  private outOfPlace(seg: Seg): void {
    this.error(seg, fieldOf(seg), `${seg.tag} is out of place after ${ZONE_NAMES[this.zone]!}`);
  }

  private inPerson(seg: Seg): boolean {
    if (this.zone === PERSON || this.zone === DOCUMENT) return true;
    this.outOfPlace(seg);
    return false;
  }

  private readBgm(seg: Seg): void {
    if (this.bgmSeen) {
      this.error(seg, 'BGM', 'a second BGM in one message');
      return;
    }
    this.bgmSeen = true;
    if (this.segmentCount !== 2) this.error(seg, 'BGM', 'BGM must come right after UNH');
    const code = seg.value(0);
    this.documentCode = code;
    this.documentId = opt(seg, 1);
    this.messageFunctionCode = opt(seg, 2);
    if (code === '336')
      this.error(seg, 'BGM', 'a master crew list (BGM 336) is not a flight manifest: not supported');
    else if (code === '655')
      this.error(seg, 'BGM', 'a gate pass request (BGM 655) is not a flight manifest: not supported');
    else if (code !== '745' && code !== '250' && code !== '266')
      this.error(
        seg,
        'BGM',
        code === ''
          ? 'document name code (1001) is missing'
          : `document name code ${quoteRaw(code)} is not 745 (passenger list), 250 (crew list) or 266 (flight status)`,
      );
  }

  private readRff(seg: Seg): void {
    const q = seg.code(0, 0);
    if (this.zone === HEADER) {
      if (q === Q_TN) this.transactionRef = opt(seg, 0, 1);
      return;
    }
    if (!this.inPerson(seg) || this.person === null) return;
    const v = seg.value(0, 1);
    if (v === '') return;
    const p = this.person;
    if (q === Q_AVF) p.reservation = v;
    else if (q === Q_ABO) p.passengerRef = v;
    else if (q === Q_SEA) p.seat = v;
    else (p.otherRefs as ManifestReference[]).push({ qualifier: seg.value(0, 0), value: v });
  }

  private readDtm(seg: Seg): void {
    const q = seg.code(0);
    switch (this.zone) {
      case HEADER:
        return;
      case TRANSPORT: {
        const leg = this.leg;
        if (leg === null || (q !== Q_189 && q !== Q_232)) return;
        const d = this.date(seg, 'near');
        if (d === null) return;
        const at = d.time === null ? d.date : `${d.date}T${d.time}`;
        if (q === Q_189) leg.departureAt = at;
        else leg.arrivalAt = at;
        return;
      }
      case PERSON:
      case DOCUMENT: {
        const p = this.person;
        if (p === null) return;
        if (q === Q_329) {
          p.birthDate = this.date(seg, 'past')?.date ?? null;
        } else if (q === Q_36 || q === Q_182) {
          if (this.doc === null) {
            this.error(seg, fieldOf(seg), 'a document date before any DOC');
            return;
          }
          if (q === Q_36) this.doc.expiry = this.date(seg, 'expiry')?.date ?? null;
          else this.doc.issued = this.date(seg, 'past')?.date ?? null;
        }
        return;
      }
      default:
        this.outOfPlace(seg);
    }
  }

  private readLoc(seg: Seg): void {
    const q = seg.code(0);
    switch (this.zone) {
      case HEADER:
        return;
      case TRANSPORT: {
        const leg = this.leg;
        if (leg === null) return this.outOfPlace(seg);
        const code = seg.value(1);
        if (code === '') return this.error(seg, fieldOf(seg), 'location code (3225) is missing');
        if (q === Q_125 || (q === Q_92 && leg.departurePort === null)) {
          if (leg.departurePort !== null)
            return this.error(seg, fieldOf(seg), `leg ${leg.flight} has a second departure location`);
          leg.departurePort = code;
          leg.departureQualifier = seg.value(0);
        } else if (q === Q_87 || q === Q_92 || q === Q_130) {
          if (leg.arrivalPort !== null)
            return this.error(seg, fieldOf(seg), `leg ${leg.flight} has a second arrival location`);
          leg.arrivalPort = code;
          leg.arrivalQualifier = seg.value(0);
        } else {
          this.error(
            seg,
            fieldOf(seg),
            `${quoteRaw(seg.value(0))} is not a flight location qualifier (125, 87, 92, 130)`,
          );
        }
        return;
      }
      case PERSON:
      case DOCUMENT: {
        const p = this.person;
        if (p === null) return;
        let v = seg.value(1);
        if (v === '') v = seg.value(1, 3);
        if (q === Q_91) {
          if (this.doc === null)
            return this.error(seg, 'LOC+91', 'a document issuing country before any DOC');
          if (v === '') return;
          if (!NATIONALITY.test(v)) return this.error(seg, 'LOC+91', `${quoteRaw(v)} is not a country code`);
          this.doc.issuingCountry = v;
          return;
        }
        if (v === '') return;
        if (q === Q_178) p.embarkation = v;
        else if (q === Q_179) p.debarkation = v;
        else if (q === Q_22) p.finalDestination = v;
        else if (q === Q_174) p.residence = v;
        else if (q === Q_180) p.birthPlace = v;
        return;
      }
      default:
        this.outOfPlace(seg);
    }
  }

  private readNad(seg: Seg): void {
    const role = roleOf(seg.code(0));
    if (role === null) {
      if (this.zone === HEADER || this.zone === PARTY) {
        this.zone = PARTY;
        this.party ??= {
          id: opt(seg, 1),
          name: joinComponents(seg.components(3)) ?? joinComponents(seg.components(2)),
          phone: null,
          fax: null,
          email: null,
        };
        return;
      }
      this.zone = PERSON;
      this.person = null;
      this.doc = null;
      this.error(
        seg,
        fieldOf(seg),
        `party function ${quoteRaw(seg.value(0))} is not a passenger or crew member (FL, FM, DDU, DDT)`,
      );
      return;
    }
    if (this.legs.length === 0)
      this.error(seg, fieldOf(seg), 'a passenger or crew member before any TDT (flight details)');
    this.zone = PERSON;
    this.doc = null;
    const name = seg.components(3);
    const family = name[0] ?? '';
    if (family === '') this.error(seg, fieldOf(seg), 'family name (C080 first component) is missing');
    const given = name.length > 1 ? joinComponents(name, 1) : null;
    let address: string | null = null;
    if (seg.elementCount > 4) {
      const parts: string[] = [];
      for (const part of [
        joinComponents(seg.components(4)),
        opt(seg, 5),
        joinComponents(seg.components(6)),
        opt(seg, 7),
        opt(seg, 8),
      ])
        if (part !== null) parts.push(part);
      if (parts.length > 0) address = parts.join(', ');
    }
    const crew = role === 'crew' || role === 'transit-crew';
    const person: Mutable<ManifestPerson> = {
      index: this.persons.length,
      role,
      crew,
      transit: role === 'transit-passenger' || role === 'transit-crew',
      familyNames: family === '' ? null : family,
      givenNames: given,
      sex: null,
      birthDate: null,
      birthPlace: null,
      nationality: null,
      residence: null,
      address,
      embarkation: null,
      debarkation: null,
      finalDestination: null,
      reservation: null,
      passengerRef: null,
      seat: null,
      otherRefs: [],
      verified: null,
      crewFunction: null,
      documents: [],
      position: seg.position,
    };
    this.persons.push(person);
    this.person = person;
  }

  private readSex(seg: Seg): void {
    const v = seg.value(2);
    let sex: Sex | null = null;
    if (v === 'M' || v === 'F' || v === 'X') sex = v;
    else if (v !== 'U' && v !== '') this.error(seg, 'ATT+2', `${quoteRaw(v)} is not a sex code (M, F, U, X)`);
    this.person!.sex = sex;
  }

  private readCom(seg: Seg): void {
    if (this.zone === PARTY) {
      const p = this.party!;
      for (let i = 0; i < seg.elementCount; i++) {
        const v = seg.value(i, 0);
        if (v === '') continue;
        const q = seg.code(i, 1);
        if (q === Q_TE) p.phone ??= v;
        else if (q === Q_FX) p.fax ??= v;
        else if (q === Q_EM) p.email ??= v;
      }
      return;
    }
    this.inPerson(seg);
  }

  private readTdt(seg: Seg): void {
    if (this.zone > TRANSPORT) {
      this.error(seg, 'TDT', 'flight details (TDT) after the first passenger or crew member');
      return;
    }
    this.zone = TRANSPORT;
    const stage = seg.code(0);
    const flight = seg.value(1);
    if (stage !== Q_20 && stage !== Q_34)
      this.error(
        seg,
        'TDT',
        `transport stage ${quoteRaw(seg.value(0))} is not 20 (main carriage) or 34 (overflight)`,
      );
    if (flight === '') this.error(seg, 'TDT', 'journey identifier (8028, the flight number) is missing');
    const modeCode = opt(seg, 2);
    let mode: TransportMode = 'air';
    if (modeCode === '1' || modeCode === '8') mode = 'sea';
    else if (modeCode === '2' || modeCode === '3') mode = 'land';
    else if (modeCode !== null && modeCode !== '4')
      this.error(
        seg,
        'TDT',
        `mode of transport ${quoteRaw(modeCode)} is not 1 (sea), 2 (rail), 3 (road), 4 (air) or 8 (inland water)`,
      );
    const leg: Mutable<ManifestLeg> = {
      flight,
      carrier: opt(seg, 4) ?? carrierOf(flight),
      overflight: stage === Q_34,
      mode,
      modeCode,
      vessel: opt(seg, 7, 3),
      departurePort: null,
      departureQualifier: null,
      departureAt: null,
      arrivalPort: null,
      arrivalQualifier: null,
      arrivalAt: null,
      position: seg.position,
    };
    this.legs.push(leg);
    this.leg = leg;
  }

  private readDoc(seg: Seg): void {
    if (!this.inPerson(seg) || this.person === null) return;
    this.zone = DOCUMENT;
    const code = seg.value(0);
    const number = seg.value(1);
    if (code === '') this.error(seg, 'DOC', 'document name code (1001) is missing');
    if (number === '') this.error(seg, 'DOC', 'document number (1004) is missing');
    const doc: Mutable<PersonDocument> = {
      code,
      type: documentType(code),
      number,
      issuingCountry: null,
      expiry: null,
      issued: null,
    };
    (this.person.documents as PersonDocument[]).push(doc);
    this.doc = doc;
  }

  private readCnt(seg: Seg): void {
    if (this.zone < TRANSPORT) {
      this.outOfPlace(seg);
      return;
    }
    this.zone = TRAILER;
    const q = seg.code(0);
    if (q !== Q_41 && q !== Q_42) return;
    const v = seg.value(0, 1);
    if (!/^\d{1,9}$/.test(v)) {
      this.error(seg, fieldOf(seg), `control total ${quoteRaw(v)} is not a number`);
      return;
    }
    this.cnt = ref(seg);
    if (q === Q_42) this.cntPassengers = Number(v);
    else this.cntCrew = Number(v);
  }

  private result(position: PaxlstPosition, end: number): PaxlstResult {
    // In file order; errors without a place (none so far) go last.
    this.errors.sort((a, b) => (a.position?.offset ?? Infinity) - (b.position?.offset ?? Infinity));
    if (this.dropped > 0) this.errors.push(err(null, '*', `${this.dropped} more errors not shown`, position));
    return {
      ok: false,
      scope: 'message',
      messageRef: this.ref === '' ? null : this.ref,
      controlRef: this.interchange?.controlRef ?? null,
      errors: this.errors,
      position: this.unh.position,
      raw: this.rawText(end),
    };
  }

  /** The message ended without UNT, at absolute offset `end`. */
  abort(reason: string, at: SegRef | null, position: PaxlstPosition, end: number): PaxlstResult {
    this.errors.push(err(at, 'UNT', reason, position));
    return this.result(position, end);
  }

  finish(unt: Seg): PaxlstResult {
    this.segmentCount++;
    if (unt.problem !== null) this.error(unt, 'UNT', unt.problem);
    const count = unt.value(0);
    if (!/^\d{1,10}$/.test(count)) this.error(unt, 'UNT', `segment count ${quoteRaw(count)} is not a number`);
    else if (Number(count) !== this.segmentCount)
      this.error(
        unt,
        'UNT',
        `segment count ${count} does not match the ${this.segmentCount} segments of message ${quoteRaw(this.ref)} (UNH to UNT)`,
      );
    const unhRef = unt.value(1);
    if (unhRef !== this.ref)
      this.error(
        unt,
        'UNT',
        `message reference ${quoteRaw(unhRef)} does not match UNH ${quoteRaw(this.ref)}`,
      );
    if (!this.bgmSeen) this.error(null, 'BGM', 'no BGM (beginning of message)', this.unh.position);
    if (this.legs.length === 0)
      this.error(null, 'TDT', 'no TDT: the message names no flight', this.unh.position);
    for (const leg of this.legs) {
      if (leg.departurePort === null)
        this.error(
          null,
          'LOC+125',
          `leg ${leg.flight} has no departure location (LOC+125 or LOC+92)`,
          leg.position,
        );
      if (leg.arrivalPort === null)
        this.error(
          null,
          'LOC+87',
          `leg ${leg.flight} has no arrival location (LOC+87 or LOC+92)`,
          leg.position,
        );
    }
    let passengers = 0;
    let crew = 0;
    for (const p of this.persons) {
      if (p.crew) crew++;
      else passengers++;
    }
    const code = this.documentCode;
    const listType: ListType =
      code === '250' || (code === '266' && crew > 0 && passengers === 0) ? 'crew' : 'passenger';
    const at = this.cnt?.position ?? unt.position;
    if (this.cntPassengers !== null && this.cntPassengers !== passengers)
      this.error(
        this.cnt,
        'CNT+42',
        `control total says ${this.cntPassengers} passengers, the message lists ${passengers}`,
        at,
      );
    if (this.cntCrew !== null && this.cntCrew !== crew)
      this.error(
        this.cnt,
        'CNT+41',
        `control total says ${this.cntCrew} crew members, the message lists ${crew}`,
        at,
      );
    if (this.persons.length > 0) {
      if (listType === 'passenger' && this.cntPassengers === null)
        this.error(null, 'CNT+42', 'control total of passengers (CNT+42) is missing', at);
      if (listType === 'crew' && this.cntCrew === null)
        this.error(null, 'CNT+41', 'control total of crew members (CNT+41) is missing', at);
    }
    if (this.errors.length > 0 || this.dropped > 0) return this.result(this.unh.position, unt.end);

    const { status, fn } = this.statusOf(this.documentId, this.messageFunctionCode);
    const manifest: Manifest = {
      interchange: this.interchange!.info!,
      group: this.group?.info ?? null,
      messageRef: this.ref,
      commonAccessRef: this.commonAccessRef,
      part: this.part,
      directory: this.directory,
      association: this.association,
      documentCode: code,
      documentId: this.documentId,
      messageFunctionCode: this.messageFunctionCode,
      listType,
      status,
      function: fn,
      transactionRef: this.transactionRef,
      reportingParty: this.party,
      legs: this.legs,
      persons: this.persons,
      totals: { passengers: this.cntPassengers, crew: this.cntCrew },
      notes: this.notes,
      position: this.unh.position,
    };
    return { ok: true, message: manifest };
  }

  private statusOf(
    id: string | null,
    fnCode: string | null,
  ): { status: ManifestStatus; fn: ManifestFunction } {
    let status: ManifestStatus = 'booked';
    let fn: ManifestFunction = 'original';
    switch (id) {
      case null:
      case 'C': // crew lists: regular scheduled crew of a passenger flight
      case 'B': // ... of a cargo flight
      case 'A': // overflight of a passenger flight
      case 'D': // overflight of a cargo flight
      case 'E': // domestic continuance, passenger flight
      case 'F': // domestic continuance, cargo flight
        break;
      case 'CP': // change passenger data
      case 'RP': // reduction in party
      case 'CF': // change flight
      case 'CC': // crew change (passenger flight)
      case 'BC': // crew change (cargo flight)
      case 'EC':
      case 'FC':
        fn = 'change';
        break;
      case 'XR': // cancel reservation
      case 'XF': // cancel flight
        fn = 'cancel';
        break;
      case 'CL': // flight close-out
      case 'CLOB': // close-out, passengers on board
        status = 'closeout';
        break;
      case 'CLNB': // close-out, passengers not on board
        status = 'not-boarded';
        break;
      default:
        this.notes.push(`BGM document identifier ${quoteRaw(id)} is not known: read as a booked list`);
    }
    if (fn === 'original' && fnCode !== null) {
      if (fnCode === '1' || fnCode === '3') fn = 'cancel';
      else if (fnCode === '4' || fnCode === '5') fn = 'change';
      else if (fnCode !== '9' && fnCode !== '7')
        this.notes.push(`BGM message function ${quoteRaw(fnCode)} is not known: read as original`);
    }
    return { status, fn };
  }
}

/** The streaming reader: `push` text chunks, `end` the input; each returns the results completed. */
export class PaxlstParser {
  private readonly tokenizer: PaxlstTokenizer;
  private readonly sink: SegmentSink = (seg) => this.handle(seg);
  private results: PaxlstResult[] = [];
  private ic: InterchangeState | null = null;
  private group: GroupState | null = null;
  private msg: MessageBuilder | null = null;
  private una = false;
  private garbage: { first: SegRef; problem: string | null; count: number } | null = null;
  private sawUnb = false;
  private reported = false;
  /** The last segment read: where the input ended, for errors about what is missing at the end. */
  private lastNumber = 0;
  private lastLine = 1;
  private lastEnd = 0;
  private readonly maxRaw: number;
  private readonly maxErrors: number;

  constructor(options: ParsePaxlstOptions = {}) {
    this.tokenizer = new PaxlstTokenizer(options);
    this.maxRaw = options.maxRawLength ?? 1_000_000;
    this.maxErrors = Math.max(1, options.maxErrorsPerMessage ?? 50);
  }

  push(chunk: string): PaxlstResult[] {
    this.tokenizer.push(chunk, this.sink);
    return this.take();
  }

  end(): PaxlstResult[] {
    this.tokenizer.end(this.sink);
    const at = this.endPosition();
    if (this.msg !== null) {
      this.emit(
        this.msg.abort(
          `input ends inside message ${quoteRaw(this.msg.ref)} (no UNT): the file is truncated`,
          null,
          at,
          at.offset,
        ),
      );
      this.msg = null;
      this.tokenizer.release();
    }
    if (this.group !== null) {
      this.envelopeError(
        [err(null, 'UNE', `input ends inside group ${quoteRaw(this.group.ref)} (no UNE)`, at)],
        this.group.position,
      );
      this.group = null;
    }
    if (this.ic !== null) {
      this.envelopeError(
        [
          err(
            null,
            'UNZ',
            `input ends inside interchange ${quoteRaw(this.ic.controlRef)} (no UNZ): the file is truncated`,
            at,
          ),
        ],
        this.ic.position,
      );
      this.ic = null;
    }
    this.flushGarbage();
    if (!this.sawUnb && !this.reported) {
      this.emit({
        ok: false,
        scope: 'input',
        messageRef: null,
        controlRef: null,
        errors: [err(null, 'UNB', 'no UNB interchange header in the input', at)],
        position: at,
        raw: null,
      });
    }
    return this.take();
  }

  private endPosition(): PaxlstPosition {
    return { segment: this.lastNumber + 1, offset: this.lastEnd, line: this.lastLine };
  }

  private take(): PaxlstResult[] {
    const r = this.results;
    this.results = [];
    return r;
  }

  private emit(r: PaxlstResult): void {
    this.reported = true;
    this.results.push(r);
  }

  private handle(seg: Seg): void {
    const tag = seg.tag;
    this.lastNumber = seg.number;
    this.lastLine = seg.line;
    this.lastEnd = seg.offset + (seg.to - seg.from);
    const msg = this.msg;
    if (msg !== null) {
      if (tag === 'UNT') {
        this.emit(msg.finish(seg));
        this.msg = null;
        this.tokenizer.release();
        return;
      }
      if (
        tag !== 'UNH' &&
        tag !== 'UNB' &&
        tag !== 'UNZ' &&
        tag !== 'UNG' &&
        tag !== 'UNE' &&
        tag !== 'UNA'
      ) {
        msg.add(seg);
        return;
      }
      this.emit(
        msg.abort(
          `message ${quoteRaw(msg.ref)} has no UNT: ${tag} comes before it`,
          ref(seg),
          seg.position,
          seg.offset,
        ),
      );
      this.msg = null;
      this.tokenizer.release();
    }
    this.envelope(seg);
  }

  /** A segment outside any message. */
  private envelope(seg: Seg): void {
    switch (seg.tag) {
      case 'UNA':
        if (seg.problem !== null) this.stray(seg);
        else {
          this.flushGarbage();
          this.una = true;
        }
        return;
      case 'UNB':
        this.flushGarbage();
        this.closeOpenInterchange(seg);
        this.openInterchange(seg);
        return;
      case 'UNG':
        if (this.ic === null) return this.stray(seg);
        this.flushGarbage();
        if (this.group !== null) {
          this.envelopeError(
            [err(seg, 'UNE', `group ${quoteRaw(this.group.ref)} has no UNE: UNG comes before it`)],
            this.group.position,
          );
        }
        this.openGroup(seg);
        return;
      case 'UNH': {
        this.flushGarbage();
        const ic = this.ic;
        if (ic !== null) {
          ic.messages++;
          if (this.group !== null) this.group.messages++;
          else ic.bareMessages++;
        }
        const from = seg.offset;
        this.tokenizer.keep(from, this.maxRaw);
        this.msg = new MessageBuilder(
          seg,
          ic,
          this.group,
          (to) => this.tokenizer.text(from, to),
          this.maxErrors,
        );
        return;
      }
      case 'UNE':
        if (this.group === null) return this.stray(seg);
        this.flushGarbage();
        this.closeGroup(seg);
        return;
      case 'UNZ':
        if (this.ic === null) return this.stray(seg);
        this.flushGarbage();
        if (this.group !== null) {
          this.envelopeError(
            [err(seg, 'UNE', `group ${quoteRaw(this.group.ref)} has no UNE: UNZ comes before it`)],
            this.group.position,
          );
          this.group = null;
        }
        this.closeInterchange(seg);
        return;
      default:
        this.stray(seg);
    }
  }

  /** A segment outside any message: runs of them are reported once. */
  private stray(seg: Seg): void {
    if (this.garbage === null) this.garbage = { first: ref(seg), problem: seg.problem, count: 1 };
    else this.garbage.count++;
  }

  private flushGarbage(): void {
    const g = this.garbage;
    if (g === null) return;
    this.garbage = null;
    const first = g.first;
    const what =
      g.problem !== null
        ? g.problem
        : first.tag === 'UNT'
          ? 'UNT without a UNH'
          : first.tag === 'UNE'
            ? 'UNE without a UNG'
            : first.tag === 'UNZ'
              ? 'UNZ without a UNB'
              : first.tag === 'UNG'
                ? 'UNG outside an interchange'
                : `segment ${first.tag} outside any message`;
    const more = g.count > 1 ? ` (and ${g.count - 1} more segments up to the next envelope segment)` : '';
    this.emit({
      ok: false,
      scope: this.ic !== null ? 'interchange' : 'input',
      messageRef: null,
      controlRef: this.ic?.controlRef ?? null,
      errors: [err(first, first.tag, `${what}${more}`)],
      position: first.position,
      raw: null,
    });
  }

  private envelopeError(errors: PaxlstError[], position: PaxlstPosition): void {
    this.emit({
      ok: false,
      scope: 'interchange',
      messageRef: null,
      controlRef: this.ic?.controlRef ?? null,
      errors,
      position,
      raw: null,
    });
  }

  private closeOpenInterchange(next: Seg): void {
    if (this.group !== null) {
      this.envelopeError(
        [err(next, 'UNE', `group ${quoteRaw(this.group.ref)} has no UNE: a new UNB comes before it`)],
        this.group.position,
      );
      this.group = null;
    }
    if (this.ic !== null) {
      this.envelopeError(
        [
          err(
            next,
            'UNZ',
            `interchange ${quoteRaw(this.ic.controlRef)} has no UNZ: a new UNB comes before it`,
          ),
        ],
        this.ic.position,
      );
      this.ic = null;
    }
  }

  private openInterchange(unb: Seg): void {
    this.sawUnb = true;
    const errors: PaxlstError[] = [];
    const una = this.una;
    this.una = false;
    if (unb.problem !== null) errors.push(err(unb, 'UNB', unb.problem));
    const check = errors.length === 0;
    const syntax = unb.value(0);
    const version = unb.value(0, 1);
    const sender = unb.value(1);
    const recipient = unb.value(2);
    const preparedAt = readEnvelopeDate(unb.value(3), unb.value(3, 1));
    const controlRef = unb.value(4);
    if (check) {
      if (!SYNTAX_IDENTIFIER.test(syntax))
        errors.push(err(unb, 'UNB', `syntax identifier ${quoteRaw(syntax)} is not UNOA..UNOY`));
      if (!/^[1-4]$/.test(version))
        errors.push(err(unb, 'UNB', `syntax version ${quoteRaw(version)} is not 1 to 4`));
      if (sender === '') errors.push(err(unb, 'UNB', 'interchange sender (0004) is missing'));
      if (recipient === '') errors.push(err(unb, 'UNB', 'interchange recipient (0010) is missing'));
      if (preparedAt === null)
        errors.push(
          err(
            unb,
            'UNB',
            `date and time of preparation ${quoteRaw(`${unb.value(3)}:${unb.value(3, 1)}`)} is not YYMMDD:HHMM`,
          ),
        );
      if (controlRef === '') errors.push(err(unb, 'UNB', 'interchange control reference (0020) is missing'));
    }
    const separators: PaxlstSeparators = una ? this.tokenizer.separators : DEFAULT_SEPARATORS;
    const info: PaxlstInterchange | null =
      errors.length > 0
        ? null
        : {
            sender,
            senderQualifier: opt(unb, 1, 1),
            recipient,
            recipientQualifier: opt(unb, 2, 1),
            preparedAt: preparedAt!,
            controlRef,
            applicationRef: opt(unb, 6),
            test: unb.value(10) === '1',
            syntax: { identifier: syntax, version },
            separators,
            una,
            position: unb.position,
          };
    this.ic = {
      info,
      controlRef,
      broken: errors.length > 0 ? errors.map((e) => e.reason).join('; ') : null,
      position: unb.position,
      messages: 0,
      groups: 0,
      bareMessages: 0,
    };
    if (errors.length > 0) this.envelopeError(errors, unb.position);
  }

  private closeInterchange(unz: Seg): void {
    const ic = this.ic!;
    const errors: PaxlstError[] = [];
    if (unz.problem !== null) errors.push(err(unz, 'UNZ', unz.problem));
    const count = unz.value(0);
    const expected = ic.groups > 0 ? ic.groups : ic.messages;
    const what = ic.groups > 0 ? 'groups' : 'messages';
    if (ic.groups > 0 && ic.bareMessages > 0)
      errors.push(
        err(
          unz,
          'UNZ',
          `interchange mixes ${ic.bareMessages} messages outside groups with ${ic.groups} groups`,
        ),
      );
    if (!/^\d{1,6}$/.test(count))
      errors.push(err(unz, 'UNZ', `interchange control count ${quoteRaw(count)} is not a number`));
    else if (Number(count) !== expected)
      errors.push(
        err(
          unz,
          'UNZ',
          `interchange control count ${count} does not match the ${expected} ${what} of interchange ${quoteRaw(ic.controlRef)}`,
        ),
      );
    const controlRef = unz.value(1);
    if (controlRef !== ic.controlRef)
      errors.push(
        err(
          unz,
          'UNZ',
          `interchange control reference ${quoteRaw(controlRef)} does not match UNB ${quoteRaw(ic.controlRef)}`,
        ),
      );
    if (errors.length > 0) this.envelopeError(errors, unz.position);
    this.ic = null;
  }

  private openGroup(ung: Seg): void {
    const errors: PaxlstError[] = [];
    if (ung.problem !== null) errors.push(err(ung, 'UNG', ung.problem));
    const id = ung.value(0);
    if (id !== 'PAXLST')
      errors.push(err(ung, 'UNG', `message group identification ${quoteRaw(id)} is not PAXLST`));
    const groupRef = ung.value(4);
    if (groupRef === '') errors.push(err(ung, 'UNG', 'group reference number (0048) is missing'));
    const version = ung.value(6);
    const release = ung.value(6, 1);
    const info: PaxlstGroup | null =
      errors.length > 0
        ? null
        : {
            ref: groupRef,
            sender: ung.value(1),
            recipient: ung.value(2),
            preparedAt: readEnvelopeDate(ung.value(3), ung.value(3, 1)),
            directory: version === '' && release === '' ? null : `${version}${release}`,
            position: ung.position,
          };
    this.group = {
      info,
      ref: groupRef,
      broken: errors.length > 0 ? errors.map((e) => e.reason).join('; ') : null,
      position: ung.position,
      messages: 0,
    };
    if (errors.length > 0) this.envelopeError(errors, ung.position);
  }

  private closeGroup(une: Seg): void {
    const g = this.group!;
    const errors: PaxlstError[] = [];
    if (une.problem !== null) errors.push(err(une, 'UNE', une.problem));
    const count = une.value(0);
    if (!/^\d{1,6}$/.test(count))
      errors.push(err(une, 'UNE', `group control count ${quoteRaw(count)} is not a number`));
    else if (Number(count) !== g.messages)
      errors.push(
        err(
          une,
          'UNE',
          `group control count ${count} does not match the ${g.messages} messages of group ${quoteRaw(g.ref)}`,
        ),
      );
    const groupRef = une.value(1);
    if (groupRef !== g.ref)
      errors.push(
        err(une, 'UNE', `group reference ${quoteRaw(groupRef)} does not match UNG ${quoteRaw(g.ref)}`),
      );
    if (errors.length > 0) this.envelopeError(errors, une.position);
    this.ic!.groups++;
    this.group = null;
  }
}

/**
 * Reads PAXLST interchanges from an async (or sync) iterable of chunks, yielding one result per
 * message in file order, plus envelope and stray-text errors where they are found. Chunks of bytes (a
 * file stream without an encoding) are decoded in each interchange's character set, by its UNB syntax
 * identifier (decode-paxlst.ts); chunks of text are read as they are.
 */
export async function* parsePaxlst(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: ParsePaxlstOptions = {},
): AsyncGenerator<PaxlstResult> {
  const parser = new PaxlstParser(options);
  for await (const chunk of decodePaxlstBytes(chunks)) yield* parser.push(chunk);
  yield* parser.end();
}

/** `parsePaxlst` for synchronous input: a whole text, or an iterable of chunks. */
export function* parsePaxlstSync(
  input: string | Uint8Array | Iterable<string | Uint8Array>,
  options: ParsePaxlstOptions = {},
): Generator<PaxlstResult> {
  const parser = new PaxlstParser(options);
  const chunks = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
  for (const chunk of decodePaxlstBytesSync(chunks)) yield* parser.push(chunk);
  yield* parser.end();
}

/** Reads a whole text into its results. */
export function parsePaxlstText(text: string, options: ParsePaxlstOptions = {}): PaxlstResult[] {
  return [...parsePaxlstSync(text, options)];
}
