/** Prints rows as an aligned text table (numbers right-aligned). */
export function printTable(rows: readonly Record<string, unknown>[]): void {
  if (rows.length === 0) return console.log('(no rows)');
  const cols = Object.keys(rows[0]!);
  const text = (v: unknown): string =>
    v === null || v === undefined
      ? ''
      : typeof v === 'string'
        ? v
        : typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : JSON.stringify(v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[], numeric: boolean[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const numeric = cols.map((c) =>
    rows.every((r) => r[c] === null || typeof r[c] === 'number' || /^-?\d+(\.\d+)?$/.test(text(r[c]))),
  );
  console.log(
    line(
      cols,
      numeric.map(() => false),
    ),
  );
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows)
    console.log(
      line(
        cols.map((c) => text(r[c])),
        numeric,
      ),
    );
}
