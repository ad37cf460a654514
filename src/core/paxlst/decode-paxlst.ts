/**
 * Turns the bytes of a PAXLST file into text, each interchange in the character set its UNB syntax
 * identifier names (ISO 9735 data element 0001): a manifest sent as UNOY (UTF-8) must not be read as
 * Latin-1, nor a UNOC one as UTF-8, and one file may hold interchanges of both.
 *
 * The service characters (UNA, separators, tags, the syntax identifier) are ASCII in every one of these
 * sets, and in UTF-8 and the ISO 8859 parts an ASCII byte is always that character, never part of
 * another. So the bytes are scanned for segment boundaries (terminator, release character, the UNA's
 * separators) without being decoded; at each UNB the decoder switches to that interchange's set. Each
 * decoder is streaming: a character whose bytes are split across two chunks comes out whole.
 * Pure: no I/O. See docs/paxlst.md.
 */
import { unaProblem } from './tokenizer.js';

/** How the bytes of an interchange are read. */
export type PaxlstCharset =
  | 'ascii'
  | 'iso-8859-1'
  | 'iso-8859-2'
  | 'iso-8859-3'
  | 'iso-8859-4'
  | 'iso-8859-5'
  | 'iso-8859-6'
  | 'iso-8859-7'
  | 'iso-8859-8'
  | 'iso-8859-9'
  | 'iso-8859-15'
  | 'utf-8';

/**
 * The character set of a syntax identifier (0001 code list, syntax version 4): UNOA/UNOB are ISO 646
 * (ASCII; the tokenizer rejects anything else), UNOC..UNOK and UNOL the ISO 8859 parts, UNOW and UNOY
 * ISO 10646 as UTF-8. UNOX (ISO 2022 code extension) and unknown identifiers are read byte for byte as
 * Latin-1: nothing is lost, an ISO 2022 escape is a control character the tokenizer rejects, and an
 * unknown identifier is an error of its UNB.
 */
export function paxlstCharset(identifier: string): PaxlstCharset {
  switch (identifier) {
    case 'UNOA':
    case 'UNOB':
      return 'ascii';
    case 'UNOD':
      return 'iso-8859-2';
    case 'UNOE':
      return 'iso-8859-5';
    case 'UNOF':
      return 'iso-8859-7';
    case 'UNOG':
      return 'iso-8859-3';
    case 'UNOH':
      return 'iso-8859-4';
    case 'UNOI':
      return 'iso-8859-6';
    case 'UNOJ':
      return 'iso-8859-8';
    case 'UNOK':
      return 'iso-8859-9';
    case 'UNOL':
      return 'iso-8859-15';
    case 'UNOW':
    case 'UNOY':
      return 'utf-8';
    default:
      return 'iso-8859-1';
  }
}

/** A streaming decoder for one character set. */
interface TextDecoding {
  decode(bytes: Uint8Array): string;
  /** The end of its part of the input: an unfinished character becomes U+FFFD. */
  end(): string;
}

const latin1: TextDecoding = {
  decode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'),
  end: () => '',
};

const utf16 = new TextDecoder('utf-16le');
const tables = new Map<PaxlstCharset, Uint16Array>();

/**
 * An ISO 8859 part as a table of 256 code units. The WHATWG decoders behind TextDecoder read
 * ISO 8859-1 and -9 as the Windows code pages, which put letters at 0x80-0x9F; ISO 8859 has the C1
 * controls there (which the tokenizer rejects), so that range is set back. A byte the part leaves
 * unassigned is U+FFFD, which the tokenizer rejects too.
 */
function tableOf(charset: PaxlstCharset): Uint16Array {
  let table = tables.get(charset);
  if (table === undefined) {
    const all = new TextDecoder(charset).decode(Uint8Array.from({ length: 256 }, (_, i) => i));
    table = new Uint16Array(256);
    for (let i = 0; i < 256; i++) table[i] = i >= 0x80 && i <= 0x9f ? i : all.charCodeAt(i);
    tables.set(charset, table);
  }
  return table;
}

function decodingFor(charset: PaxlstCharset): TextDecoding {
  if (charset === 'ascii' || charset === 'iso-8859-1') return latin1;
  if (charset === 'utf-8') {
    // Not fatal: a byte sequence that is not UTF-8 becomes U+FFFD, which the tokenizer reports where it is.
    const d = new TextDecoder('utf-8');
    return { decode: (bytes) => d.decode(bytes, { stream: true }), end: () => d.decode() };
  }
  const table = tableOf(charset);
  return {
    decode: (bytes) => {
      const units = new Uint16Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) units[i] = table[bytes[i]!]!;
      return utf16.decode(units);
    },
    end: () => '',
  };
}

const U = 0x55;
const N = 0x4e;
const A = 0x41;
const B = 0x42;
const Z = 0x5a;
const DEFAULT_TERMINATOR = 0x27; // '
const DEFAULT_RELEASE = 0x3f; // ?
const DEFAULT_ELEMENT = 0x2b; // +
/** UNA and its six characters; UNB, a separator, four letters and the separator after them. */
const SERVICE_HEAD = 9;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The streaming byte decoder: `decode` each chunk of bytes, then `end`; the text comes out in order.
 * Before the first UNB, text (a UNA, or stray bytes) is read as Latin-1, or as UTF-8 after a UTF-8 byte
 * order mark. Keeps at most a few bytes between calls (a segment head split across chunks).
 */
export class PaxlstByteDecoder {
  private decoding: TextDecoding = latin1;
  private carry: Uint8Array | null = null;
  private atStart = true;
  private inSegment = false;
  /** Inside a segment at the end of the last chunk: whether its last byte releases the next one. */
  private releasing = false;
  private terminator = DEFAULT_TERMINATOR;
  private release = DEFAULT_RELEASE;
  private element = DEFAULT_ELEMENT;
  /** The segment being scanned is a UNZ: the default service characters are back after it. */
  private closesInterchange = false;
  /** The character set of the last UNB (null before the first). */
  charset: PaxlstCharset | null = null;

  decode(bytes: Uint8Array): string {
    let data = bytes;
    if (this.carry !== null) {
      data = new Uint8Array(this.carry.length + bytes.length);
      data.set(this.carry);
      data.set(bytes, this.carry.length);
      this.carry = null;
    }
    return this.scan(data, false);
  }

  end(): string {
    const rest = this.carry;
    this.carry = null;
    return (rest !== null ? this.scan(rest, true) : '') + this.decoding.end();
  }

  private scan(data: Uint8Array, final: boolean): string {
    const n = data.length;
    let out = '';
    let from = 0;
    let i = 0;
    if (this.atStart) {
      const bom = [0xef, 0xbb, 0xbf];
      const matched = bom.findIndex((b, k) => k >= n || data[k] !== b);
      if (matched === -1) {
        this.decoding = decodingFor('utf-8'); // it drops the mark itself
        i = bom.length;
      } else if (matched >= n && !final) {
        this.carry = data;
        return '';
      }
      this.atStart = false;
    }
    while (i < n) {
      if (!this.inSegment) {
        while (i < n && isSpace(data[i]!)) i++;
        if (i >= n) break;
        if (!final && n - i < SERVICE_HEAD && this.mayBeServiceHead(data, i)) {
          // Too few bytes to tell a UNA, UNB or UNZ apart: wait for the next chunk.
          this.carry = data.slice(i);
          out += this.decoding.decode(data.subarray(from, i));
          return out;
        }
        if (this.isTag(data, i, A) && n - i >= SERVICE_HEAD) {
          this.readUna(data, i);
          i += SERVICE_HEAD;
          continue;
        }
        if (this.isTag(data, i, B)) {
          const charset = paxlstCharset(this.identifierAt(data, i + 3));
          out += this.decoding.decode(data.subarray(from, i)) + this.decoding.end();
          from = i;
          this.charset = charset;
          this.decoding = decodingFor(charset);
        }
        this.closesInterchange = this.isTag(data, i, Z);
        this.inSegment = true;
        this.releasing = false;
      }
      const t = this.terminatorFrom(data, i);
      if (t < 0) {
        this.releasing = this.endsReleasing(data, i);
        i = n;
        break;
      }
      i = t + 1;
      this.inSegment = false;
      this.releasing = false;
      if (this.closesInterchange) {
        // A UNA governs its own interchange (as the tokenizer reads it).
        this.terminator = DEFAULT_TERMINATOR;
        this.release = DEFAULT_RELEASE;
        this.element = DEFAULT_ELEMENT;
        this.closesInterchange = false;
      }
    }
    return out + this.decoding.decode(data.subarray(from, n));
  }

  private isTag(data: Uint8Array, i: number, third: number): boolean {
    return data[i] === U && data[i + 1] === N && data[i + 2] === third;
  }

  /** Whether the bytes from i (fewer than a service head) may be the start of UNA, UNB or UNZ. */
  private mayBeServiceHead(data: Uint8Array, i: number): boolean {
    const n = data.length;
    return (
      data[i] === U &&
      (i + 1 >= n || data[i + 1] === N) &&
      (i + 2 >= n || data[i + 2] === A || data[i + 2] === B || data[i + 2] === Z)
    );
  }

  /** A UNA's separators, when the tokenizer accepts them (else it keeps the ones it had, and so do we). */
  private readUna(data: Uint8Array, i: number): void {
    const chars = String.fromCharCode(...data.subarray(i + 3, i + SERVICE_HEAD));
    if (unaProblem(chars) !== null) return;
    this.element = chars.charCodeAt(1);
    this.release = chars[3] === ' ' ? -1 : chars.charCodeAt(3);
    this.terminator = chars.charCodeAt(5);
  }

  /** The syntax identifier after a UNB tag: the first component of its first element. */
  private identifierAt(data: Uint8Array, i: number): string {
    if (data[i] !== this.element) return '';
    let s = '';
    for (let k = i + 1; k < data.length && k <= i + 4; k++) {
      const c = data[k]!;
      if (c < A || c > Z) break;
      s += String.fromCharCode(c);
    }
    return s;
  }

  /** The first terminator from i that is not released, or -1. */
  private terminatorFrom(data: Uint8Array, i: number): number {
    const scanFrom = i;
    for (let t = data.indexOf(this.terminator, i); t >= 0; t = data.indexOf(this.terminator, t + 1)) {
      if (!this.releasedAt(data, scanFrom, t)) return t;
    }
    return -1;
  }

  /** An odd run of release characters before it releases a character (the run may begin in the last chunk). */
  private releasedAt(data: Uint8Array, scanFrom: number, t: number): boolean {
    if (this.release < 0) return false;
    let k = 0;
    let j = t - 1;
    while (j >= scanFrom && data[j] === this.release) {
      k++;
      j--;
    }
    if (j < scanFrom && this.releasing) k++;
    return k % 2 === 1;
  }

  private endsReleasing(data: Uint8Array, scanFrom: number): boolean {
    return this.releasedAt(data, scanFrom, data.length);
  }
}

/** Decodes an async (or sync) iterable of byte chunks; text chunks pass through as they are. */
export async function* decodePaxlstBytes(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const decoder = new PaxlstByteDecoder();
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk);
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

/** `decodePaxlstBytes` for synchronous input. */
export function* decodePaxlstBytesSync(chunks: Iterable<Uint8Array | string>): Generator<string> {
  const decoder = new PaxlstByteDecoder();
  for (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk);
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}
