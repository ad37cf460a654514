import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';

/** RFC 4180 quoting: a cell with a comma, a quote or a line break is quoted, quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line, newline-terminated. */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]!);
  }
  return line + '\n';
}

/** A flat record as a line in FLAT_COLUMNS order; absent cells are empty. */
export function flatRecordLine(record: FlatRecord): string {
  let line = '';
  for (let i = 0; i < FLAT_COLUMNS.length; i++) {
    if (i > 0) line += ',';
    const v = record[FLAT_COLUMNS[i]!];
    if (v !== undefined && v !== '') line += csvCell(v);
  }
  return line + '\n';
}
