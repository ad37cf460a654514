import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';
import { splitCsvLine } from './csv-lines.js';
import { flattenJson } from './flatten-json.js';

/**
 * Reads a raw record's fields as kept: JSON lines (and resubmissions) as JSON, CSV lines by their import's
 * header. Invalid content reads as the fields that could be read, so a fix can start from them.
 */
export function fieldsOf(format: string, content: string, header: string | null): FlatRecord {
  if (format !== 'csv') {
    try {
      const obj: unknown = JSON.parse(content);
      return obj && typeof obj === 'object' && !Array.isArray(obj)
        ? flattenJson(obj as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }
  const cols = splitCsvLine(header ?? FLAT_COLUMNS.join(',')).map((c) => c.trim().toLowerCase());
  const cells = splitCsvLine(content);
  const out: FlatRecord = {};
  cols.forEach((c, i) => {
    if ((FLAT_COLUMNS as readonly string[]).includes(c) && cells[i] !== undefined)
      out[c as keyof FlatRecord] = cells[i];
  });
  return out;
}
