/** Encodes rows in PostgreSQL's COPY text format: tab-separated, `\N` for null, backslash escapes. */
export function encodeCopyText(rows: readonly (readonly unknown[])[]): string[] {
  const out: string[] = [];
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) line += '\t';
      line += copyField(row[i]);
    }
    out.push(line);
  }
  return out;
}

/** One value as a COPY text field. */
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v))
    return escape(
      `{${v.map((x) => (x === null ? 'NULL' : `"${String(x as string | number).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`,
    );
  if (typeof v === 'object') return escape(JSON.stringify(v));
  return escape(typeof v === 'string' ? v : JSON.stringify(v));
}

const SPECIAL = /[\\\t\n\r]/;

function escape(s: string): string {
  return SPECIAL.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}
