/**
 * Writes manifests as a well-formed PAXLST interchange (UNA?, UNB, [UNG], UNH..UNT, [UNE], UNZ), the
 * inverse of `parsePaxlst` for everything it reads: counts and references are computed, data is
 * escaped with the release character. Used by tests and by the benchmark generator. Pure.
 */
import { writeDtm } from './edifact-dates.js';
import {
  ROLE_CODES,
  type Manifest,
  type ManifestLeg,
  type ManifestPerson,
  type PaxlstGroup,
  type PaxlstInterchange,
  type PersonDocument,
} from './manifest.js';
import { DEFAULT_SEPARATORS, type PaxlstSeparators } from './tokenizer.js';

/** What the writer needs of a manifest; a parsed `Manifest` is one. */
export interface ManifestDraft {
  readonly interchange: Pick<
    PaxlstInterchange,
    | 'sender'
    | 'senderQualifier'
    | 'recipient'
    | 'recipientQualifier'
    | 'preparedAt'
    | 'controlRef'
    | 'applicationRef'
    | 'test'
    | 'syntax'
  >;
  readonly group: Pick<PaxlstGroup, 'ref' | 'sender' | 'recipient' | 'preparedAt' | 'directory'> | null;
  readonly messageRef: string;
  readonly commonAccessRef: string | null;
  readonly part: Manifest['part'];
  readonly directory: string;
  readonly association: string | null;
  readonly documentCode: string;
  readonly documentId: string | null;
  readonly messageFunctionCode: string | null;
  readonly transactionRef: string | null;
  readonly reportingParty: Manifest['reportingParty'];
  readonly legs: readonly Omit<ManifestLeg, 'position' | 'mode'>[];
  readonly persons: readonly (Omit<
    ManifestPerson,
    'position' | 'index' | 'crew' | 'transit' | 'documents'
  > & {
    readonly documents: readonly Omit<PersonDocument, 'type'>[];
  })[];
  readonly totals: Manifest['totals'];
}

export interface WritePaxlstOptions {
  /**
   * Write a UNA: `true` for the default separators, or the separators to use (missing ones default).
   * Without it no UNA is written and the default separators `:+.? '` are used.
   */
  readonly una?: Partial<PaxlstSeparators> | boolean;
  /** A line break after each segment (allowed between segments). */
  readonly lineBreaks?: boolean;
  /** DTM dates with four-digit years (formats 102/203) instead of the guide's two-digit ones. */
  readonly fourDigitYears?: boolean;
}

class Writer {
  private readonly out: string[] = [];
  private readonly comp: string;
  private readonly elem: string;
  private readonly term: string;
  private readonly rel: string | null;
  private readonly special: RegExp;
  count = 0;

  constructor(
    readonly sep: PaxlstSeparators,
    private readonly nl: string,
  ) {
    this.comp = sep.component;
    this.elem = sep.element;
    this.term = sep.terminator;
    this.rel = sep.release;
    const chars = [
      sep.component,
      sep.element,
      sep.terminator,
      ...(sep.release === null ? [] : [sep.release]),
    ];
    this.special = new RegExp(`[${chars.map((c) => `\\${c}`).join('')}]`, 'g');
  }

  private esc(v: string): string {
    this.special.lastIndex = 0;
    if (!this.special.test(v)) return v;
    if (this.rel === null)
      throw new Error(
        `cannot write ${JSON.stringify(v)}: it holds a separator and there is no release character`,
      );
    const rel = this.rel;
    this.special.lastIndex = 0;
    return v.replace(this.special, (c) => rel + c);
  }

  /** Writes a segment; each element is a string or a list of components. Trailing empties are dropped. */
  seg(tag: string, ...elements: (string | null | readonly (string | null)[])[]): void {
    let end = elements.length;
    while (end > 0 && isEmpty(elements[end - 1]!)) end--;
    let s = tag;
    for (let i = 0; i < end; i++) {
      const e = elements[i]!;
      s += this.elem;
      if (typeof e === 'string') s += this.esc(e);
      else if (e !== null) {
        let last = e.length;
        while (last > 0 && (e[last - 1] ?? '') === '') last--;
        for (let j = 0; j < last; j++) {
          if (j > 0) s += this.comp;
          s += this.esc(e[j] ?? '');
        }
      }
    }
    this.out.push(s + this.term + this.nl);
    this.count++;
  }

  raw(s: string): void {
    this.out.push(s);
  }

  text(): string {
    return this.out.join('');
  }
}

function isEmpty(e: string | null | readonly (string | null)[]): boolean {
  if (e === null || e === '') return true;
  if (typeof e === 'string') return false;
  return e.every((c) => c === null || c === '');
}

/** `2025-07-01T09:30` as `250701` and `0930`. */
function envelopeDate(at: string | null): [string, string] | null {
  if (at === null) return null;
  return [at.slice(2, 4) + at.slice(5, 7) + at.slice(8, 10), at.slice(11, 13) + at.slice(14, 16)];
}

function dtm(w: Writer, qualifier: string, at: string | null, fourDigitYears: boolean): void {
  if (at === null) return;
  const [value, format] = writeDtm(at.slice(0, 10), at.length > 10 ? at.slice(11, 16) : null, fourDigitYears);
  // The guide writes plain dates without a format code and date-times with 201.
  w.seg('DTM', [qualifier, value, format === '101' ? null : format]);
}

function writeMessage(w: Writer, m: ManifestDraft, fourDigitYears: boolean): void {
  const start = w.count;
  const part = m.part === null ? null : [String(m.part.sequence).padStart(2, '0'), m.part.final ? 'F' : 'C'];
  w.seg(
    'UNH',
    m.messageRef,
    ['PAXLST', m.directory.slice(0, 1), m.directory.slice(1), 'UN', m.association],
    m.commonAccessRef,
    part,
  );
  w.seg('BGM', m.documentCode, m.documentId, m.messageFunctionCode);
  if (m.transactionRef !== null) w.seg('RFF', ['TN', m.transactionRef]);
  const party = m.reportingParty;
  if (party !== null) {
    w.seg('NAD', 'MS', party.id ?? '', null, party.name);
    if (party.phone !== null || party.fax !== null || party.email !== null) {
      const coms: (readonly string[])[] = [];
      if (party.phone !== null) coms.push([party.phone, 'TE']);
      if (party.fax !== null) coms.push([party.fax, 'FX']);
      if (party.email !== null) coms.push([party.email, 'EM']);
      w.seg('COM', ...coms);
    }
  }
  for (const leg of m.legs) {
    w.seg(
      'TDT',
      leg.overflight ? '34' : '20',
      leg.flight,
      leg.modeCode,
      null,
      leg.carrier,
      null,
      null,
      leg.vessel === null ? null : ['', '', '', leg.vessel],
    );
    if (leg.departurePort !== null) w.seg('LOC', leg.departureQualifier ?? '125', leg.departurePort);
    dtm(w, '189', leg.departureAt, fourDigitYears);
    if (leg.arrivalPort !== null) w.seg('LOC', leg.arrivalQualifier ?? '87', leg.arrivalPort);
    dtm(w, '232', leg.arrivalAt, fourDigitYears);
  }
  for (const p of m.persons) {
    const name = [p.familyNames ?? '', ...(p.givenNames === null ? [] : [p.givenNames])];
    w.seg('NAD', ROLE_CODES[p.role], null, null, name, p.address);
    if (p.sex !== null) w.seg('ATT', '2', null, p.sex);
    dtm(w, '329', p.birthDate, fourDigitYears);
    if (p.verified !== null) w.seg('GEI', '4', p.verified ? '173' : '174');
    if (p.finalDestination !== null) w.seg('LOC', '22', p.finalDestination);
    if (p.residence !== null) w.seg('LOC', '174', p.residence);
    if (p.embarkation !== null) w.seg('LOC', '178', p.embarkation);
    if (p.debarkation !== null) w.seg('LOC', '179', p.debarkation);
    if (p.birthPlace !== null) w.seg('LOC', '180', p.birthPlace);
    if (p.crewFunction !== null) w.seg('EMP', '1', p.crewFunction);
    if (p.nationality !== null) w.seg('NAT', '2', p.nationality);
    if (p.reservation !== null) w.seg('RFF', ['AVF', p.reservation]);
    if (p.passengerRef !== null) w.seg('RFF', ['ABO', p.passengerRef]);
    if (p.seat !== null) w.seg('RFF', ['SEA', p.seat]);
    for (const r of p.otherRefs) w.seg('RFF', [r.qualifier, r.value]);
    for (const d of p.documents) {
      w.seg('DOC', d.code, d.number);
      dtm(w, '36', d.expiry, fourDigitYears);
      dtm(w, '182', d.issued, fourDigitYears);
      if (d.issuingCountry !== null) w.seg('LOC', '91', d.issuingCountry);
    }
  }
  if (m.totals.passengers !== null) w.seg('CNT', ['42', String(m.totals.passengers)]);
  if (m.totals.crew !== null) w.seg('CNT', ['41', String(m.totals.crew)]);
  w.seg('UNT', String(w.count - start + 1), m.messageRef);
}

/**
 * Writes one interchange holding the given manifests, with the interchange header of the first.
 * Consecutive manifests with the same group reference share one UNG..UNE group; with groups, every
 * manifest must have one. Throws only on input it cannot represent (a separator in data with no
 * release character, no manifest, groups mixed with bare messages).
 */
export function writePaxlst(
  manifests: ManifestDraft | readonly ManifestDraft[],
  options: WritePaxlstOptions = {},
): string {
  const list: readonly ManifestDraft[] = Array.isArray(manifests)
    ? (manifests as readonly ManifestDraft[])
    : [manifests as ManifestDraft];
  const first = list[0];
  if (first === undefined) throw new Error('writePaxlst needs at least one manifest');
  const una = options.una;
  const sep: PaxlstSeparators =
    una === undefined || una === false || una === true
      ? DEFAULT_SEPARATORS
      : { ...DEFAULT_SEPARATORS, ...una };
  const w = new Writer(sep, options.lineBreaks ? '\n' : '');
  const fourDigitYears = options.fourDigitYears ?? false;
  if (una !== undefined && una !== false) {
    w.raw(
      `UNA${sep.component}${sep.element}${sep.decimal}${sep.release ?? ' '}${sep.reserved}${sep.terminator}${options.lineBreaks ? '\n' : ''}`,
    );
  }
  const ic = first.interchange;
  const grouped = first.group !== null;
  if (list.some((m) => (m.group !== null) !== grouped))
    throw new Error('writePaxlst cannot mix grouped and ungrouped messages in one interchange');
  w.seg(
    'UNB',
    [ic.syntax.identifier, ic.syntax.version],
    [ic.sender, ic.senderQualifier],
    [ic.recipient, ic.recipientQualifier],
    envelopeDate(ic.preparedAt),
    ic.controlRef,
    null,
    ic.applicationRef,
    null,
    null,
    null,
    ic.test ? '1' : null,
  );
  let units = 0;
  for (let i = 0; i < list.length;) {
    const m = list[i]!;
    const g = m.group;
    if (g === null) {
      writeMessage(w, m, fourDigitYears);
      units++;
      i++;
      continue;
    }
    const directory = g.directory;
    w.seg(
      'UNG',
      'PAXLST',
      g.sender,
      g.recipient,
      envelopeDate(g.preparedAt),
      g.ref,
      'UN',
      directory === null ? null : [directory.slice(0, 1), directory.slice(1)],
    );
    let n = 0;
    while (i < list.length && list[i]!.group?.ref === g.ref) {
      writeMessage(w, list[i]!, fourDigitYears);
      n++;
      i++;
    }
    w.seg('UNE', String(n), g.ref);
    units++;
  }
  w.seg('UNZ', String(units), ic.controlRef);
  return w.text();
}
