import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRetentionRules, type RetentionRules } from '../core/retention/retention-rules.js';

export const RETENTION_RULES_FILE = fileURLToPath(new URL('../../config/retention.json', import.meta.url));

/** Reads and checks the retention rules (config/retention.json); a malformed file says what is wrong. */
export function loadRetentionRules(path = RETENTION_RULES_FILE): RetentionRules {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
  return parseRetentionRules(json, path);
}
