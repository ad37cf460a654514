/**
 * An array as the text of a PostgreSQL array literal, to send as one parameter (`= any($1::bigint[])`,
 * `unnest($1::text[])`). The driver converts a JavaScript array itself, but quotes and escapes every
 * element on the way; an import batch's key lookups send about 200,000 elements, and that conversion was
 * more than a second of an import's main thread. Plain elements (ids, hashes, most keys) are written as
 * they are; only an element that needs it is quoted. Null is SQL null.
 */
export function arrayParam(values: readonly (string | number | bigint | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v !== 'string') out += String(v);
    else out += PLAIN.test(v) && !NULL_WORD.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`;
  }
  return out + '}';
}

/** What an array literal reads as written: no quote, backslash, brace, comma or white space. */
const PLAIN = /^[^"\\{},\s]+$/;
const NULL_WORD = /^null$/i;
