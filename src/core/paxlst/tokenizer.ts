/**
 * UN/EDIFACT syntax (ISO 9735) tokenizer for PAXLST interchanges: turns a stream of text chunks into
 * segments, one at a time, without holding more than the segment being read (and the chunk it sits in).
 *
 * - A UNA service string advice sets the six service characters; without one the defaults `:+.? '`
 *   apply. A UNA may open each interchange of a file.
 * - The release character takes the next character literally (`O?'NEIL` is `O'NEIL`, `??` is `?`).
 * - Spaces, tabs and line breaks between segments are skipped; inside a segment a line break or any
 *   other control character is a problem of that segment (most often a missing terminator).
 * - The syntax identifier of each UNB is noted: under UNOA and UNOB (ISO 646 subsets) a character
 *   outside printable ASCII is a problem; under the other character sets only control characters are,
 *   and U+FFFD, which stands for bytes the decoder could not read (decode-paxlst.ts).
 *
 * Nothing here throws on bad input: a segment that cannot be read is still emitted, with `problem`
 * saying why, so that the message parser can reject the message it belongs to and go on.
 * Pure: no I/O. See docs/paxlst.md.
 */

export interface PaxlstSeparators {
  readonly component: string;
  readonly element: string;
  /** Decimal mark (`.` or `,`); kept, not used in any field this reader interprets. */
  readonly decimal: string;
  /** Release (escape) character; null when the UNA gives a space (no release character). */
  readonly release: string | null;
  /** UNA position 5: reserved (syntax version 3) or repetition separator (version 4); not interpreted. */
  readonly reserved: string;
  readonly terminator: string;
}

export const DEFAULT_SEPARATORS: PaxlstSeparators = {
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  reserved: ' ',
  terminator: "'",
};

/** Where a segment starts. */
export interface PaxlstPosition {
  /**
   * 1-based number of the segment within its interchange: UNB is 1, and the count starts again at each
   * UNB (segments before the first UNB are numbered from the start of the input). UNA is 0.
   */
  readonly segment: number;
  /** Offset of the segment's first character from the start of the input, in characters (UTF-16 units). */
  readonly offset: number;
  /** 1-based line of the segment's first character. */
  readonly line: number;
}

/** The number `SegmentView.code` gives for a qualifier of up to 3 characters (`''` is 0). */
export function qualifierCode(s: string): number {
  let x = s.length;
  for (let k = 0; k < s.length; k++) x = (x << 8) | s.charCodeAt(k);
  return x;
}

/** Read access to one segment: what the message parser uses. */
export interface SegmentReader {
  /** The segment tag (`UNB`, `NAD`, ...): the first component of the first element. */
  readonly tag: string;
  /** Why the segment cannot be trusted (control character, no terminator, bad tag ...), or null. */
  readonly problem: string | null;
  readonly position: PaxlstPosition;
  /** The segment exactly as received, terminator included. */
  readonly raw: string;
  /** Offset just after the segment (after its terminator), from the start of the input. */
  readonly end: number;
  /** Number of data elements after the tag. */
  readonly elementCount: number;
  /** Component `j` of data element `i` (0-based, after the tag), release characters removed; `''` when absent. */
  value(i: number, j?: number): string;
  /** The components of data element `i`; empty when absent. */
  components(i: number): string[];
}

export interface PaxlstSegment extends SegmentReader {
  /**
   * The data elements after the tag, each a list of components, release characters removed:
   * `ATT+2++M'` is `[['2'], [''], ['M']]`. A UNA is emitted with one element holding its six characters.
   */
  readonly elements: readonly (readonly string[])[];
}

/** A segment with its elements built: what `paxlstSegments` yields. */
class Segment implements PaxlstSegment {
  constructor(
    readonly tag: string,
    readonly elements: readonly (readonly string[])[],
    readonly raw: string,
    readonly position: PaxlstPosition,
    readonly problem: string | null,
  ) {}

  get end(): number {
    return this.position.offset + this.raw.length;
  }

  get elementCount(): number {
    return this.elements.length;
  }

  value(i: number, j = 0): string {
    return this.elements[i]?.[j] ?? '';
  }

  components(i: number): string[] {
    return [...(this.elements[i] ?? [])];
  }
}

/**
 * The segment being read, as a view over the input text: component boundaries are kept in typed
 * arrays and strings are cut only when asked for, so the parser reads millions of segments without
 * allocating what it only compares (qualifiers, tags). Valid only until the next segment is read.
 */
export class SegmentView implements SegmentReader {
  tag = '';
  problem: string | null = null;
  /** Number of elements including the tag element. */
  elements = 0;
  src = '';
  from = 0;
  to = 0;
  number = 0;
  offset = 0;
  line = 1;
  rel = -1;
  compFrom = new Int32Array(256);
  compTo = new Int32Array(256);
  compEsc = new Uint8Array(256);
  /** elemFirst[e] is the first component of element e; elemFirst[elements] is the component count. */
  elemFirst = new Int32Array(64);

  get position(): PaxlstPosition {
    return { segment: this.number, offset: this.offset, line: this.line };
  }

  get raw(): string {
    return this.src.slice(this.from, this.to);
  }

  get end(): number {
    return this.offset + (this.to - this.from);
  }

  get elementCount(): number {
    return this.elements - 1;
  }

  private comp(c: number): string {
    const a = this.compFrom[c]!;
    const b = this.compTo[c]!;
    return this.compEsc[c] === 0 ? this.src.slice(a, b) : unescape(this.src, a, b, this.rel);
  }

  value(i: number, j = 0): string {
    const e = i + 1;
    if (e >= this.elements) return '';
    const c = this.elemFirst[e]! + j;
    if (c >= this.elemFirst[e + 1]!) return '';
    return this.compFrom[c] === this.compTo[c] ? '' : this.comp(c);
  }

  /**
   * Component `j` of data element `i` as a number (see `qualifierCode`) when it is at most 3 plain
   * characters: a qualifier compared without cutting a string. 0 when empty, -1 when longer.
   */
  code(i: number, j = 0): number {
    const e = i + 1;
    if (e >= this.elements) return 0;
    const c = this.elemFirst[e]! + j;
    if (c >= this.elemFirst[e + 1]!) return 0;
    const a = this.compFrom[c]!;
    const len = this.compTo[c]! - a;
    if (len > 3 || this.compEsc[c] !== 0) return -1;
    let x = len;
    for (let k = 0; k < len; k++) {
      const ch = this.src.charCodeAt(a + k);
      if (ch > 255) return -1;
      x = (x << 8) | ch;
    }
    return x;
  }

  /** Whether component `j` of data element `i` is exactly `s`, without cutting a string. */
  is(i: number, j: number, s: string): boolean {
    const e = i + 1;
    if (e >= this.elements) return s === '';
    const c = this.elemFirst[e]! + j;
    if (c >= this.elemFirst[e + 1]!) return s === '';
    if (this.compEsc[c] !== 0) return this.comp(c) === s;
    const a = this.compFrom[c]!;
    if (this.compTo[c]! - a !== s.length) return false;
    for (let k = 0; k < s.length; k++) if (this.src.charCodeAt(a + k) !== s.charCodeAt(k)) return false;
    return true;
  }

  components(i: number): string[] {
    const e = i + 1;
    if (e >= this.elements) return [];
    const out: string[] = [];
    for (let c = this.elemFirst[e]!; c < this.elemFirst[e + 1]!; c++) out.push(this.comp(c));
    return out;
  }

  /** A lasting copy, with its elements built. */
  materialize(): PaxlstSegment {
    const elements: string[][] = [];
    for (let e = 1; e < this.elements; e++) {
      const comps: string[] = [];
      for (let c = this.elemFirst[e]!; c < this.elemFirst[e + 1]!; c++) comps.push(this.comp(c));
      elements.push(comps);
    }
    return new Segment(this.tag, elements, this.raw, this.position, this.problem);
  }

  growComponents(): void {
    const n = this.compFrom.length * 2;
    const f = new Int32Array(n);
    f.set(this.compFrom);
    this.compFrom = f;
    const t = new Int32Array(n);
    t.set(this.compTo);
    this.compTo = t;
    const x = new Uint8Array(n);
    x.set(this.compEsc);
    this.compEsc = x;
  }

  growElements(): void {
    const f = new Int32Array(this.elemFirst.length * 2);
    f.set(this.elemFirst);
    this.elemFirst = f;
  }
}

/** Segment tags of PAXLST and its envelope, so that a tag read is the same (internalized) string. */
const KNOWN_TAGS = new Map<number, string>();
for (const t of [
  'UNA',
  'UNB',
  'UNG',
  'UNH',
  'UNT',
  'UNE',
  'UNZ',
  'UNS',
  'BGM',
  'RFF',
  'DTM',
  'LOC',
  'NAD',
  'CTA',
  'COM',
  'TDT',
  'ATT',
  'MEA',
  'GEI',
  'FTX',
  'EMP',
  'NAT',
  'QTY',
  'DOC',
  'CNT',
]) {
  KNOWN_TAGS.set((t.charCodeAt(0) << 16) | (t.charCodeAt(1) << 8) | t.charCodeAt(2), t);
}

function readTag(buf: string, from: number, to: number): string {
  if (to - from === 3) {
    const t = KNOWN_TAGS.get(
      (buf.charCodeAt(from) << 16) | (buf.charCodeAt(from + 1) << 8) | buf.charCodeAt(from + 2),
    );
    if (t !== undefined) return t;
  }
  return buf.slice(from, to);
}

export interface TokenizerOptions {
  /** A segment longer than this (no terminator found) is a problem; the reader skips to the next terminator. */
  readonly maxSegmentLength?: number;
}

export const DEFAULT_MAX_SEGMENT_LENGTH = 100_000;

// Character classes of the hot loop (ASCII only; everything from U+0080 up is HIGH).
const NORMAL = 0;
const COMPONENT = 1;
const ELEMENT = 2;
const TERMINATOR = 3;
const RELEASE = 4;
const CONTROL = 5;
const HIGH = 6;

const U = 85;
const N = 78;
const A = 65;

/** Describes a character for an error message: printable as itself, the rest as U+XXXX. */
export function describeChar(c: number): string {
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === 10) return `line break (${hex})`;
  if (c === 13) return `carriage return (${hex})`;
  if (c === 9) return `tab (${hex})`;
  if (c < 32 || c === 127 || (c >= 0x80 && c <= 0x9f)) return `control character ${hex}`;
  return `"${String.fromCharCode(c)}" (${hex})`;
}

/** Shows a piece of raw input in an error message: quoted, control characters escaped, cut at 40. */
export function quoteRaw(s: string): string {
  const cut = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return JSON.stringify(cut);
}

function isTagChar(c: number, first: boolean): boolean {
  return (c >= 65 && c <= 90) || (!first && c >= 48 && c <= 57);
}

function isTag(s: string): boolean {
  return (
    s.length === 3 &&
    isTagChar(s.charCodeAt(0), true) &&
    isTagChar(s.charCodeAt(1), false) &&
    isTagChar(s.charCodeAt(2), false)
  );
}

/** Checks the six UNA characters; returns why they are unusable, or null. */
export function unaProblem(chars: string): string | null {
  const [component, element, , release, , terminator] = [...chars];
  const functional = [component!, element!, terminator!];
  if (release !== ' ') functional.push(release!);
  for (const ch of chars) {
    const c = ch.charCodeAt(0);
    if (c < 32 || c > 126) return `UNA service characters must be printable ASCII, not ${describeChar(c)}`;
  }
  for (const ch of functional) {
    if (/[A-Za-z0-9 ]/.test(ch))
      return `UNA service character ${JSON.stringify(ch)} is a letter, digit or space`;
  }
  if (new Set(functional).size !== functional.length)
    return `UNA uses one character for two separators in ${JSON.stringify(chars)}`;
  return null;
}

/** Receives each segment as it is read; the view is reused for the next segment. */
export type SegmentSink = (segment: SegmentView) => void;

/**
 * The streaming tokenizer. `push` each chunk, then `end`; both hand every segment completed so far to
 * the sink. Keeps only the unfinished tail of the text between calls (and, while a caller asks it to
 * with `keep`, the text of the message being read).
 */
export class PaxlstTokenizer {
  private buf = '';
  /** Index in `buf` where the next segment (or whitespace before it) starts. */
  private pos = 0;
  /** Absolute offset of buf[0]. */
  private base = 0;
  private line = 1;
  private segmentNumber = 0;
  /** After an over-long segment: discard text up to the next terminator. */
  private skipping = false;
  /** Where to go on looking for the terminator of the unfinished segment at `pos` (absolute). */
  private searchFrom = 0;
  private asciiOnly = false;
  private readonly maxSegmentLength: number;
  private readonly cls = new Uint8Array(128);
  private term = "'";
  private rel = 63;
  /** Above this code (and below U+007F) a character is never a service character: the fast path. */
  private hiService = 63;
  /** Chunks still needed: the one being read, and all from `keepFrom` on while a caller keeps text. */
  private readonly history: { base: number; text: string }[] = [];
  private keepFrom = -1;
  private keepMax = 0;
  private keepLost = false;
  private readonly view = new SegmentView();
  separators: PaxlstSeparators = DEFAULT_SEPARATORS;

  constructor(options: TokenizerOptions = {}) {
    this.maxSegmentLength = Math.max(16, options.maxSegmentLength ?? DEFAULT_MAX_SEGMENT_LENGTH);
    this.setSeparators(DEFAULT_SEPARATORS);
  }

  private setSeparators(s: PaxlstSeparators): void {
    this.separators = s;
    const cls = this.cls;
    cls.fill(NORMAL);
    for (let c = 0; c < 32; c++) cls[c] = CONTROL;
    cls[127] = CONTROL;
    this.term = s.terminator;
    this.rel = s.release === null ? -1 : s.release.charCodeAt(0);
    // Service characters are printable ASCII (checked in the UNA).
    cls[s.component.charCodeAt(0)] = COMPONENT;
    cls[s.element.charCodeAt(0)] = ELEMENT;
    cls[s.terminator.charCodeAt(0)] = TERMINATOR;
    if (this.rel >= 0) cls[this.rel] = RELEASE;
    this.hiService = Math.max(
      s.component.charCodeAt(0),
      s.element.charCodeAt(0),
      s.terminator.charCodeAt(0),
      this.rel,
    );
  }

  /**
   * Keeps the text from absolute offset `from` on (at most `max` characters), so that `text` can give
   * it back: a parser keeps a message's text until it knows whether the message is good.
   */
  keep(from: number, max: number): void {
    this.keepFrom = from;
    this.keepMax = max;
    this.keepLost = false;
  }

  /** Stops keeping text. */
  release(): void {
    this.keepFrom = -1;
  }

  /** The input text between two absolute offsets, if it is still kept; null when it was not (too long). */
  text(from: number, to: number): string | null {
    if (this.keepLost || to - from > this.keepMax) return null;
    let s = '';
    for (const h of this.history) {
      const a = Math.max(from, h.base);
      const b = Math.min(to, h.base + h.text.length);
      if (a < b) s += h.text.slice(a - h.base, b - h.base);
    }
    return s;
  }

  /** Adds a chunk of text; each complete segment goes to `sink`. */
  push(chunk: string, sink: SegmentSink): void {
    const chunkBase = this.base + this.buf.length;
    if (this.pos < this.buf.length) {
      this.base += this.pos;
      this.buf = this.buf.slice(this.pos) + chunk;
    } else {
      this.base += this.buf.length;
      this.buf = chunk;
    }
    this.pos = 0;
    let trim = this.base;
    if (this.keepFrom >= 0) {
      if (chunkBase + chunk.length - this.keepFrom > this.keepMax) {
        this.keepLost = true;
        this.keepFrom = -1;
      } else trim = Math.min(trim, this.keepFrom);
    }
    const h = this.history;
    while (h.length > 0 && h[0]!.base + h[0]!.text.length <= trim) h.shift();
    h.push({ base: chunkBase, text: chunk });
    this.run(sink, false);
  }

  /** Ends the input: an unfinished segment is emitted with a problem. */
  end(sink: SegmentSink): void {
    this.run(sink, true);
    this.base += this.buf.length;
    this.buf = '';
    this.pos = 0;
  }

  private run(sink: SegmentSink, final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;
    for (;;) {
      // Whitespace (and a byte order mark) between segments.
      while (pos < len) {
        const c = buf.charCodeAt(pos);
        if (c === 10) {
          this.line++;
          pos++;
        } else if (c === 32 || c === 13 || c === 9 || c === 0xfeff) pos++;
        else break;
      }
      if (pos >= len) break;

      if (this.skipping) {
        const t = buf.indexOf(this.term, pos);
        const stop = t < 0 ? len : t + 1;
        this.line += countLineBreaks(buf, pos, stop);
        pos = stop;
        if (t >= 0) this.skipping = false;
        continue;
      }

      // UNA service string advice: fixed format, 9 characters.
      if (buf.charCodeAt(pos) === U && buf.charCodeAt(pos + 1) === N && buf.charCodeAt(pos + 2) === A) {
        if (len - pos < 9) {
          if (!final) break;
          this.emitBroken(sink, buf, pos, len, 'input ends inside the UNA service string advice');
          pos = len;
          break;
        }
        const chars = buf.slice(pos + 3, pos + 9);
        const problem = unaProblem(chars);
        this.emitUna(sink, buf, pos, problem);
        if (problem === null) {
          this.setSeparators({
            component: chars[0]!,
            element: chars[1]!,
            decimal: chars[2]!,
            release: chars[3] === ' ' ? null : chars[3]!,
            reserved: chars[4]!,
            terminator: chars[5]!,
          });
        }
        this.line += countLineBreaks(buf, pos, pos + 9);
        pos += 9;
        this.searchFrom = 0;
        continue;
      }

      const end = this.findTerminator(buf, pos);
      if (end < 0) {
        if (len - pos > this.maxSegmentLength) {
          this.emitBroken(
            sink,
            buf,
            pos,
            pos + this.maxSegmentLength,
            `no segment terminator ${JSON.stringify(this.term)} within ${this.maxSegmentLength} characters`,
          );
          this.line += countLineBreaks(buf, pos, pos + this.maxSegmentLength);
          pos += this.maxSegmentLength;
          this.skipping = true;
          this.searchFrom = 0;
          continue;
        }
        if (final) {
          this.emitBroken(
            sink,
            buf,
            pos,
            len,
            `input ends inside a segment (no segment terminator ${JSON.stringify(this.term)})`,
          );
          this.line += countLineBreaks(buf, pos, len);
          pos = len;
          this.searchFrom = 0;
        }
        break;
      }
      this.segment(buf, pos, end, sink);
      pos = end + 1;
    }
    this.pos = pos;
  }

  /** Index of the terminator that ends the segment starting at `pos`, or -1 if it is not in `buf` yet. */
  private findTerminator(buf: string, pos: number): number {
    let from = Math.max(pos, this.searchFrom - this.base);
    const rel = this.rel;
    for (;;) {
      const t = buf.indexOf(this.term, from);
      if (t < 0) {
        this.searchFrom = this.base + buf.length;
        return -1;
      }
      if (rel < 0 || t === pos || buf.charCodeAt(t - 1) !== rel) {
        this.searchFrom = 0;
        return t;
      }
      // An odd run of release characters before it escapes the terminator.
      let k = t - 1;
      while (k >= pos && buf.charCodeAt(k) === rel) k--;
      if ((t - 1 - k) % 2 === 0) {
        this.searchFrom = 0;
        return t;
      }
      from = t + 1;
    }
  }

  private nextNumber(tag: string): number {
    if (tag === 'UNB') this.segmentNumber = 0;
    return ++this.segmentNumber;
  }

  private setView(v: SegmentView, buf: string, start: number, stop: number): void {
    v.src = buf;
    v.from = start;
    v.to = stop;
    v.offset = this.base + start;
    v.line = this.line;
    v.rel = this.rel;
  }

  /** Tokenizes buf[start, end) where buf[end] is the terminator. */
  private segment(buf: string, start: number, end: number, sink: SegmentSink): void {
    const v = this.view;
    const cls = this.cls;
    let cf = v.compFrom;
    let ct = v.compTo;
    let ce = v.compEsc;
    let ef = v.elemFirst;
    let n = 0;
    let e = 0;
    let from = start;
    let esc = 0;
    let problem: string | null = null;
    let lineBreaks = 0;
    const hi = this.hiService;
    ef[0] = 0;
    for (let i = start; i < end; i++) {
      const c = buf.charCodeAt(i);
      if (c > hi && c < 127) continue;
      const k = c < 128 ? cls[c]! : HIGH;
      if (k === NORMAL) continue;
      if (k === COMPONENT || k === ELEMENT) {
        if (n === cf.length) {
          v.growComponents();
          cf = v.compFrom;
          ct = v.compTo;
          ce = v.compEsc;
        }
        cf[n] = from;
        ct[n] = i;
        ce[n] = esc;
        n++;
        esc = 0;
        from = i + 1;
        if (k === ELEMENT) {
          if (e + 2 >= ef.length) {
            v.growElements();
            ef = v.elemFirst;
          }
          ef[++e] = n;
        }
      } else if (k === RELEASE) {
        esc = 1;
        i++;
        const r = buf.charCodeAt(i);
        if (r < 32 || r === 127) {
          problem ??= `${describeChar(r)} inside the segment`;
          if (r === 10) lineBreaks++;
        }
      } else if (k === CONTROL) {
        problem ??=
          c === 10 || c === 13
            ? `${describeChar(c)} inside the segment (missing segment terminator?)`
            : `${describeChar(c)} inside the segment`;
        if (c === 10) lineBreaks++;
      } else if (k === HIGH) {
        if (c <= 0x9f) problem ??= `${describeChar(c)} inside the segment`;
        else if (this.asciiOnly)
          problem ??= `${describeChar(c)} is not allowed by syntax identifier UNOA/UNOB (ISO 646)`;
        // What a decoder puts for bytes that are no character of the interchange's set (decode-paxlst.ts):
        // a name read with it would be silently wrong.
        else if (c === 0xfffd)
          problem ??= `U+FFFD: bytes that are not a character of the interchange's character set`;
      }
    }
    if (n === cf.length) {
      v.growComponents();
      cf = v.compFrom;
      ct = v.compTo;
      ce = v.compEsc;
    }
    cf[n] = from;
    ct[n] = end;
    ce[n] = esc;
    n++;
    if (e + 2 >= ef.length) {
      v.growElements();
      ef = v.elemFirst;
    }
    ef[++e] = n;
    v.elements = e;
    this.setView(v, buf, start, end + 1);
    const tagTo = ct[0]!;
    const tag = ce[0] === 0 ? readTag(buf, start, tagTo) : unescape(buf, start, tagTo, this.rel);
    if (problem === null && !isTag(tag)) {
      problem = tag === '' ? 'empty segment (no tag)' : `${quoteRaw(tag)} is not a segment tag`;
    }
    v.tag = tag;
    v.problem = problem;
    v.number = this.nextNumber(tag);
    if (tag === 'UNB' && problem === null) this.asciiOnly = v.is(0, 0, 'UNOA') || v.is(0, 0, 'UNOB');
    sink(v);
    this.line += lineBreaks;
    // A UNA governs its own interchange only: the next one declares its own or uses the defaults.
    if (tag === 'UNZ') {
      if (this.separators !== DEFAULT_SEPARATORS) this.setSeparators(DEFAULT_SEPARATORS);
      this.asciiOnly = false;
    }
  }

  private emitUna(sink: SegmentSink, buf: string, pos: number, problem: string | null): void {
    const v = this.view;
    // Element 0 is the tag, element 1 holds the six service characters, one per component.
    v.compFrom[0] = pos;
    v.compTo[0] = pos + 3;
    v.compEsc[0] = 0;
    for (let k = 0; k < 6; k++) {
      v.compFrom[k + 1] = pos + 3 + k;
      v.compTo[k + 1] = pos + 4 + k;
      v.compEsc[k + 1] = 0;
    }
    v.elemFirst[0] = 0;
    v.elemFirst[1] = 1;
    v.elemFirst[2] = 7;
    v.elements = 2;
    this.setView(v, buf, pos, pos + 9);
    v.tag = 'UNA';
    v.problem = problem;
    v.number = 0;
    sink(v);
  }

  private emitBroken(sink: SegmentSink, buf: string, start: number, stop: number, problem: string): void {
    let t = start;
    while (t < stop && t - start < 3 && isTagChar(buf.charCodeAt(t), t === start)) t++;
    const v = this.view;
    v.compFrom[0] = start;
    v.compTo[0] = t;
    v.compEsc[0] = 0;
    v.elemFirst[0] = 0;
    v.elemFirst[1] = 1;
    v.elements = 1;
    this.setView(v, buf, start, stop);
    v.tag = buf.slice(start, t);
    v.problem = problem;
    v.number = this.nextNumber(v.tag);
    sink(v);
  }
}

function countLineBreaks(buf: string, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf('\n', from);
  while (i >= 0 && i < to) {
    n++;
    i = buf.indexOf('\n', i + 1);
  }
  return n;
}

/** buf[from, to) with each release character removed and the character after it kept literally. */
function unescape(buf: string, from: number, to: number, rel: number): string {
  let s = '';
  let start = from;
  for (let i = from; i < to; i++) {
    if (buf.charCodeAt(i) === rel) {
      s += buf.slice(start, i);
      i++;
      start = i;
    }
  }
  return s + buf.slice(start, to);
}

/**
 * The segments of an interchange (or of a file of interchanges), read from an async or sync iterable
 * of text chunks. Never throws on bad input: see `PaxlstSegment.problem`.
 */
export async function* paxlstSegments(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: TokenizerOptions = {},
): AsyncGenerator<PaxlstSegment> {
  const tokenizer = new PaxlstTokenizer(options);
  const out: PaxlstSegment[] = [];
  const sink: SegmentSink = (v) => {
    out.push(v.materialize());
  };
  for await (const chunk of chunks) {
    tokenizer.push(typeof chunk === 'string' ? chunk : String(chunk), sink);
    for (const s of out) yield s;
    out.length = 0;
  }
  tokenizer.end(sink);
  yield* out;
}

/** `paxlstSegments` for synchronous input (a string or an iterable of chunks). */
export function* paxlstSegmentsSync(
  chunks: string | Iterable<string>,
  options: TokenizerOptions = {},
): Generator<PaxlstSegment> {
  const tokenizer = new PaxlstTokenizer(options);
  const out: PaxlstSegment[] = [];
  const sink: SegmentSink = (v) => {
    out.push(v.materialize());
  };
  for (const chunk of typeof chunks === 'string' ? [chunks] : chunks) {
    tokenizer.push(typeof chunk === 'string' ? chunk : String(chunk), sink);
    yield* out;
    out.length = 0;
  }
  tokenizer.end(sink);
  yield* out;
}
