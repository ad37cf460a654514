import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRulePack, type RulePack } from '../core/stays/rule-pack.js';

export const RULE_PACK_IDS = ['us', 'schengen'] as const;

/** Loads a rule pack from rules/<id>.json (or a path), validated; a bad pack stops the start with its errors. */
export function loadRulePack(idOrPath: string): RulePack {
  const path = idOrPath.endsWith('.json')
    ? idOrPath
    : fileURLToPath(new URL(`../../rules/${idOrPath}.json`, import.meta.url));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`rule pack "${idOrPath}" could not be read (${path}): ${(err as Error).message}`);
  }
  const r = parseRulePack(json);
  if (!r.ok) throw new Error(`rule pack "${idOrPath}" is invalid: ${r.errors.join('; ')}`);
  return r.pack;
}
