import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEFAULT_FILE = fileURLToPath(new URL('../../config/ports.json', import.meta.url));

export interface PortCountries {
  /** The platform's country (ISO 3166-1 alpha-3). */
  readonly country: string;
  readonly portCountry: (code: string) => string | null;
}

/** Reads config/ports.json: the platform's country and the country of each port code. */
export function loadPortCountries(file = DEFAULT_FILE): PortCountries {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { country?: unknown; ports?: unknown };
  if (typeof json.country !== 'string' || !/^[A-Z]{3}$/.test(json.country))
    throw new Error(`${file}: "country" must be an ISO 3166-1 alpha-3 code`);
  if (json.ports === null || typeof json.ports !== 'object')
    throw new Error(`${file}: "ports" must be an object`);
  const ports = new Map(Object.entries(json.ports as Record<string, string>));
  return { country: json.country, portCountry: (code) => ports.get(code.toUpperCase()) ?? null };
}
