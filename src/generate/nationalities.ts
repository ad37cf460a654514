import {
  cs_CZ,
  de,
  de_AT,
  de_CH,
  en,
  en_AU,
  en_GH,
  en_IN,
  en_NG,
  es,
  es_MX,
  fr,
  fr_SN,
  id_ID,
  it,
  nl,
  pl,
  pt_BR,
  pt_PT,
  ru,
  sv,
  tr,
  uk,
  vi,
  type LocaleDefinition,
} from '@faker-js/faker';
import { CHINESE, EGYPTIAN, JAPANESE, KOREAN, SAUDI, type NameLists } from './romanised-names.js';
import { latinFromCyrillic, type Romanisation } from './transliteration.js';

/**
 * The nationalities of the synthetic population, with the name lists that go with each one, so a
 * Mexican national has a Mexican name and a Mexican passport. Weights roughly follow the mix of
 * I-94 arrivals; they are for realism, not statistics.
 */
export interface NationalityProfile {
  /** ISO 3166-1 alpha-3: the nationality and the passport's issuing country. */
  readonly code: string;
  readonly weight: number;
  /** Where the names come from: a faker locale, or a romanised list for non-Latin scripts. */
  readonly nameSource: string;
  readonly names: NameLists;
  readonly romanisation: Romanisation;
  /** Visa Waiver Program member: travels as WT (tourist) or WB (business) for up to 90 days. */
  readonly visaWaiver: boolean;
  /** A land neighbour: arrives by land often, and may be admitted as TN (USMCA professionals). */
  readonly border: 'south' | 'north' | null;
  /** Share of persons with two family names (Spanish and Portuguese naming custom). */
  readonly twoFamilyNames: number;
  /** Home-country airlines (IATA codes), flown on some of the trips. */
  readonly carriers: readonly string[];
}

const LATIN_NAME = /^[\p{Script=Latin}][\p{Script=Latin}' .-]*$/u;

function clean(names: readonly string[], singleWord: boolean): string[] {
  const kept = names.filter((n) => LATIN_NAME.test(n) && (!singleWord || !/[ -]/.test(n)));
  return [...new Set(kept)];
}

type Entries = Readonly<Record<string, readonly string[] | undefined>> | undefined;

/** Name lists from a faker locale's raw definitions (falling back to `en` where a locale has none). */
function fromFaker(
  locale: LocaleDefinition,
  options: { cyrillic?: 'ru' | 'uk'; singleFamily?: boolean } = {},
): NameLists {
  const person = locale.person ?? en.person!;
  const first = (person.first_name ?? en.person!.first_name) as Entries;
  const last = (person.last_name ?? en.person!.last_name) as Entries;
  const latin = (list: readonly string[] | undefined): string[] => {
    const names = list ?? [];
    return options.cyrillic ? names.map((n) => latinFromCyrillic(n, options.cyrillic!)) : [...names];
  };
  const generic = latin(first?.generic);
  const singleFamily = options.singleFamily ?? false;
  const lists: NameLists = {
    female: clean([...latin(first?.female), ...generic], false),
    male: clean([...latin(first?.male), ...generic], false),
    family: clean(latin(last?.generic ?? [...(last?.female ?? []), ...(last?.male ?? [])]), singleFamily),
    ...(last?.female ? { familyFemale: clean(latin(last.female), singleFamily) } : {}),
    ...(last?.male ? { familyMale: clean(latin(last.male), singleFamily) } : {}),
  };
  if (lists.female.length === 0 || lists.male.length === 0 || lists.family.length === 0) {
    throw new Error('a faker locale without usable Latin names');
  }
  return lists;
}

interface Row {
  code: string;
  weight: number;
  nameSource: string;
  names: NameLists;
  romanisation?: Romanisation;
  visaWaiver?: boolean;
  border?: 'south' | 'north';
  twoFamilyNames?: number;
  carriers?: readonly string[];
}

const ROWS: readonly Row[] = [
  {
    code: 'MEX',
    weight: 14,
    nameSource: 'faker es_MX',
    names: fromFaker(es_MX, { singleFamily: true }),
    border: 'south',
    twoFamilyNames: 0.85,
    carriers: ['AM', 'Y4', 'VB'],
  },
  {
    code: 'GBR',
    weight: 8,
    nameSource: 'faker en',
    names: fromFaker(en),
    visaWaiver: true,
    carriers: ['BA', 'VS'],
  },
  { code: 'IND', weight: 7, nameSource: 'faker en_IN', names: fromFaker(en_IN), carriers: ['AI'] },
  {
    code: 'CAN',
    weight: 5,
    nameSource: 'faker en (en_CA)',
    names: fromFaker(en),
    border: 'north',
    carriers: ['AC', 'WS'],
  },
  {
    code: 'CHN',
    weight: 5,
    nameSource: 'romanised (pinyin)',
    names: CHINESE,
    romanisation: 'chinese',
    carriers: ['CA', 'MU', 'CZ'],
  },
  {
    code: 'DEU',
    weight: 5,
    nameSource: 'faker de',
    names: fromFaker(de),
    visaWaiver: true,
    carriers: ['LH'],
  },
  {
    code: 'BRA',
    weight: 5,
    nameSource: 'faker pt_BR',
    names: fromFaker(pt_BR, { singleFamily: true }),
    twoFamilyNames: 0.4,
    carriers: ['LA', 'G3'],
  },
  {
    code: 'FRA',
    weight: 4,
    nameSource: 'faker fr',
    names: fromFaker(fr),
    visaWaiver: true,
    carriers: ['AF'],
  },
  {
    code: 'JPN',
    weight: 4,
    nameSource: 'romanised (Hepburn)',
    names: JAPANESE,
    romanisation: 'japanese',
    visaWaiver: true,
    carriers: ['JL', 'NH'],
  },
  {
    code: 'KOR',
    weight: 4,
    nameSource: 'romanised (Revised Romanisation)',
    names: KOREAN,
    romanisation: 'korean',
    visaWaiver: true,
    carriers: ['KE', 'OZ'],
  },
  {
    code: 'ESP',
    weight: 3,
    nameSource: 'faker es',
    names: fromFaker(es, { singleFamily: true }),
    visaWaiver: true,
    twoFamilyNames: 0.9,
    carriers: ['IB', 'UX'],
  },
  {
    code: 'ITA',
    weight: 3,
    nameSource: 'faker it',
    names: fromFaker(it),
    visaWaiver: true,
    carriers: ['AZ'],
  },
  {
    code: 'AUS',
    weight: 3,
    nameSource: 'faker en_AU',
    names: fromFaker(en_AU),
    visaWaiver: true,
    carriers: ['QF'],
  },
  {
    code: 'NLD',
    weight: 2,
    nameSource: 'faker nl',
    names: fromFaker(nl),
    visaWaiver: true,
    carriers: ['KL'],
  },
  { code: 'VNM', weight: 2, nameSource: 'faker vi', names: fromFaker(vi), carriers: ['VN'] },
  { code: 'NGA', weight: 2, nameSource: 'faker en_NG', names: fromFaker(en_NG) },
  {
    code: 'RUS',
    weight: 1.5,
    nameSource: 'faker ru, ICAO transliteration',
    names: fromFaker(ru, { cyrillic: 'ru' }),
    romanisation: 'cyrillic',
  },
  {
    code: 'UKR',
    weight: 1.5,
    nameSource: 'faker uk, ICAO transliteration',
    names: fromFaker(uk, { cyrillic: 'uk' }),
    romanisation: 'cyrillic',
  },
  {
    code: 'POL',
    weight: 1.5,
    nameSource: 'faker pl',
    names: fromFaker(pl),
    visaWaiver: true,
    carriers: ['LO'],
  },
  { code: 'TUR', weight: 1.5, nameSource: 'faker tr', names: fromFaker(tr), carriers: ['TK'] },
  {
    code: 'IRL',
    weight: 1.5,
    nameSource: 'faker en (en_IE)',
    names: fromFaker(en),
    visaWaiver: true,
    carriers: ['EI'],
  },
  {
    code: 'SWE',
    weight: 1,
    nameSource: 'faker sv',
    names: fromFaker(sv),
    visaWaiver: true,
    carriers: ['SK'],
  },
  {
    code: 'CHE',
    weight: 1,
    nameSource: 'faker de_CH',
    names: fromFaker(de_CH),
    visaWaiver: true,
    carriers: ['LX'],
  },
  {
    code: 'AUT',
    weight: 1,
    nameSource: 'faker de_AT',
    names: fromFaker(de_AT),
    visaWaiver: true,
    carriers: ['OS'],
  },
  {
    code: 'PRT',
    weight: 1,
    nameSource: 'faker pt_PT',
    names: fromFaker(pt_PT, { singleFamily: true }),
    visaWaiver: true,
    twoFamilyNames: 0.5,
    carriers: ['TP'],
  },
  { code: 'IDN', weight: 1, nameSource: 'faker id_ID', names: fromFaker(id_ID) },
  { code: 'GHA', weight: 1, nameSource: 'faker en_GH', names: fromFaker(en_GH) },
  {
    code: 'EGY',
    weight: 1,
    nameSource: 'romanised (Arabic)',
    names: EGYPTIAN,
    romanisation: 'arabic',
    carriers: ['MS'],
  },
  {
    code: 'SAU',
    weight: 1,
    nameSource: 'romanised (Arabic)',
    names: SAUDI,
    romanisation: 'arabic',
    carriers: ['SV'],
  },
  { code: 'CZE', weight: 0.5, nameSource: 'faker cs_CZ', names: fromFaker(cs_CZ), visaWaiver: true },
  { code: 'SEN', weight: 0.5, nameSource: 'faker fr_SN', names: fromFaker(fr_SN) },
];

export const NATIONALITIES: readonly NationalityProfile[] = ROWS.map((r) => ({
  code: r.code,
  weight: r.weight,
  nameSource: r.nameSource,
  names: r.names,
  romanisation: r.romanisation ?? 'latin',
  visaWaiver: r.visaWaiver ?? false,
  border: r.border ?? null,
  twoFamilyNames: r.twoFamilyNames ?? 0,
  carriers: r.carriers ?? [],
}));
