import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A purpose of use from the configured list (config/purposes.json). */
export interface Purpose {
  readonly code: string;
  readonly label: string;
  /** The purpose needs a reference (a case or ticket number) sent with it. */
  readonly needsReference: boolean;
}

const DEFAULT_FILE = fileURLToPath(new URL('../../config/purposes.json', import.meta.url));

/** Reads and checks the purpose list; a malformed list stops the start with what is wrong. */
export function loadPurposes(path = DEFAULT_FILE): readonly Purpose[] {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { purposes?: unknown };
  if (!Array.isArray(json.purposes) || json.purposes.length === 0)
    throw new Error(`${path}: "purposes" must be a non-empty list`);
  return json.purposes.map((p: unknown, i) => {
    const o = p as Partial<Purpose>;
    if (typeof o.code !== 'string' || !/^[a-z][a-z0-9-]{1,39}$/.test(o.code))
      throw new Error(`${path}: purposes[${i}].code must be a lower-case code`);
    if (typeof o.label !== 'string' || o.label === '')
      throw new Error(`${path}: purposes[${i}].label is required`);
    return { code: o.code, label: o.label, needsReference: o.needsReference === true };
  });
}
