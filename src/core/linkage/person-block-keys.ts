import { defaultBlockingRules } from './blocking.js';
import { metaphone } from './compare-fields.js';
import { linkRecordOf, PERSON_LINK_FIELDS, type PersonLink } from './person-link.js';

const GIVEN = 0;
const FAMILY = 1;

/** The store's blocking rules: the file tool's default rules for the person fields the store compares. */
export const PERSON_BLOCKING_RULES = defaultBlockingRules(PERSON_LINK_FIELDS);

/**
 * cyrb53: a fast 53-bit string hash (exact in a double, so it survives JSON and a bigint column). A
 * collision only adds a candidate to compare, never a link.
 */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The blocking keys of a person link, hashed with their rule: the person index in the store holds these,
 * and a new record's candidates are the persons that share one.
 */
export function personBlockKeys(link: PersonLink): number[] {
  const record = linkRecordOf('', link);
  const keys: number[] = [];
  PERSON_BLOCKING_RULES.forEach((rule, i) => {
    const key = rule.key(record);
    if (key !== null) keys.push(hash53(`${i}\u001f${key}`));
  });
  return keys;
}

/** The sound (double metaphone, primary code) of each name token: what a name search looks up. */
export function nameSounds(names: string): string[] {
  return [...new Set(names.split(' ').flatMap((t) => (t === '' ? [] : [metaphone(t)[0]])))].filter(
    (c) => c !== '',
  );
}

export const nameSoundKey = (sound: string) => hash53(`name\u001f${sound}`);

/**
 * Keys for finding a person by name alone, in any order: one per sound of each given and family name
 * token. Resolution never looks these up (its keys hold a birth date or a document); search does.
 */
export function personSearchKeys(link: PersonLink): number[] {
  const names = [link.values[GIVEN], link.values[FAMILY]].filter((v): v is string => !!v).join(' ');
  return nameSounds(names).map(nameSoundKey);
}

/** Every key the person index holds for a link: blocking keys and name-search keys. */
export const personIndexKeys = (link: PersonLink): number[] => [
  ...personBlockKeys(link),
  ...personSearchKeys(link),
];
