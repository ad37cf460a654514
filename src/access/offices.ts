import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A field office and the ports it is responsible for (config/offices.json). */
export interface Office {
  readonly id: string;
  readonly name: string;
  readonly ports: readonly string[];
}

export interface Offices {
  readonly list: readonly Office[];
  /** The office responsible for a port, or null when none is. */
  officeOfPort(port: string | null): string | null;
}

const DEFAULT_FILE = fileURLToPath(new URL('../../config/offices.json', import.meta.url));

/** Reads and checks the office list: a port belongs to at most one office. */
export function loadOffices(path = DEFAULT_FILE): Offices {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { offices?: unknown };
  if (!Array.isArray(json.offices)) throw new Error(`${path}: "offices" must be a list`);
  const byPort = new Map<string, string>();
  const list = json.offices.map((x: unknown, i) => {
    const o = x as Partial<Office>;
    if (typeof o.id !== 'string' || !/^[A-Z0-9-]{2,20}$/.test(o.id))
      throw new Error(`${path}: offices[${i}].id must be an upper-case code`);
    const ports: unknown = o.ports;
    if (!Array.isArray(ports) || !ports.every((p): p is string => typeof p === 'string'))
      throw new Error(`${path}: offices[${i}].ports must be a list of port codes`);
    for (const port of ports) {
      if (byPort.has(port))
        throw new Error(`${path}: port ${port} belongs to ${byPort.get(port)} and ${o.id}`);
      byPort.set(port, o.id);
    }
    return { id: o.id, name: typeof o.name === 'string' ? o.name : o.id, ports };
  });
  return { list, officeOfPort: (port) => (port === null ? null : (byPort.get(port) ?? null)) };
}
