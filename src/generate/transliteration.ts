/**
 * Latin forms of names, and the variant spellings real records carry for the same name.
 * Passports print names in the Latin alphabet (ICAO Doc 9303 Part 3, section 6: transliteration of
 * national characters), so every generated name is Latin; diacritics are kept in the canonical form,
 * because many feeds do keep them, and the noise model produces the usual variants.
 */

/** ICAO Doc 9303 Part 3, table for Cyrillic (Russian values; Ukrainian overrides below). */
const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ie',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
  "'": '',
  ʼ: '',
  '’': '',
};
const UKRAINIAN: Readonly<Record<string, string>> = { г: 'h', и: 'y' };

/** Transliterates a Cyrillic name (Russian or Ukrainian) to Latin, keeping capitalisation. */
export function latinFromCyrillic(name: string, language: 'ru' | 'uk'): string {
  let out = '';
  for (const ch of name) {
    const lower = ch.toLowerCase();
    const mapped = (language === 'uk' ? UKRAINIAN[lower] : undefined) ?? CYRILLIC[lower];
    if (mapped === undefined) out += ch;
    else if (ch !== lower && mapped.length > 0) out += mapped[0]!.toUpperCase() + mapped.slice(1);
    else out += mapped;
  }
  return out;
}

/** Letters NFD cannot take apart. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'SS',
  ł: 'l',
  Ł: 'L',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  þ: 'th',
  Þ: 'Th',
  ð: 'd',
  Ð: 'D',
  ə: 'e',
  Ə: 'E',
};

/** Drops every accent and folds the special letters: Müller -> Muller, Łukasz -> Lukasz. */
export function withoutDiacritics(name: string): string {
  let out = '';
  for (const ch of name.normalize('NFD')) {
    if (/\p{M}/u.test(ch)) continue;
    out += SPECIAL_LETTERS[ch] ?? ch;
  }
  return out.normalize('NFC');
}

/** The German convention (ICAO too): ä ö ü -> ae oe ue, ß -> ss; other accents dropped. */
export function germanFolding(name: string): string {
  return withoutDiacritics(
    name
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .replace(/Ä/g, 'Ae')
      .replace(/Ö/g, 'Oe')
      .replace(/Ü/g, 'Ue'),
  );
}

/** How a nationality's names reach the Latin alphabet: decides which alternative spellings exist. */
export type Romanisation = 'latin' | 'cyrillic' | 'arabic' | 'korean' | 'japanese' | 'chinese';

/** Alternative romanisations of the same name: one older or national system instead of another. */
const ROMANISATION_RULES: Readonly<Record<Romanisation, readonly (readonly [RegExp, string])[]>> = {
  latin: [],
  // ICAO 2015 vs. the older or national systems (GOST, BGN/PCGN, passports issued before 2013).
  cyrillic: [
    [/ia/g, 'ya'],
    [/iu/g, 'yu'],
    [/Ia/g, 'Ya'],
    [/Iu/g, 'Yu'],
    [/kh/g, 'h'],
    [/Kh/g, 'H'],
    [/ii\b/g, 'iy'],
    [/ei\b/g, 'ey'],
    [/ks/g, 'x'],
  ],
  // The same Arabic name in the usual English and French spellings.
  arabic: [
    [/\bMohammed\b/g, 'Muhammad'],
    [/\bMohammed\b/g, 'Mohamed'],
    [/\bAhmed\b/g, 'Ahmad'],
    [/\bYoussef\b/g, 'Yusuf'],
    [/\bHussein\b/g, 'Husain'],
    [/\bMustafa\b/g, 'Moustafa'],
    [/\bKhaled\b/g, 'Khalid'],
    [/\bAbdullah\b/g, 'Abdallah'],
    [/\bSaeed\b/g, 'Said'],
    [/\bAl-/g, 'Al '],
    [/\bAl-/g, 'El-'],
    [/\bEl-/g, 'El '],
    [/\bAbdel-/g, 'Abdel '],
  ],
  // Revised Romanisation vs. McCune-Reischauer and family custom; given names split or joined.
  korean: [
    [/\bLee\b/g, 'Yi'],
    [/\bPark\b/g, 'Pak'],
    [/\bChoi\b/g, 'Choe'],
    [/\bJung\b/g, 'Jeong'],
    [/\bYoon\b/g, 'Yun'],
    [/\bKang\b/g, 'Gang'],
    [/-/g, ''],
    [/-/g, ' '],
  ],
  // Long vowels written out (Hepburn without macrons): Sato, Satoh, Satou.
  japanese: [
    [/(?<=[kstnhmrgzdby])o\b/g, 'oh'],
    [/(?<=[kstnhmrgzdby])o\b/g, 'ou'],
    [/uu/g, 'u'],
  ],
  // Wade-Giles (still on many older and Taiwanese documents) for common syllables.
  chinese: [
    [/\bZhang\b/g, 'Chang'],
    [/\bXu\b/g, 'Hsu'],
    [/\bZhou\b/g, 'Chou'],
    [/\bZhao\b/g, 'Chao'],
    [/\bHuang\b/g, 'Hwang'],
    [/\bXie\b/g, 'Hsieh'],
  ],
};

/**
 * The variant spellings of a name that a transliteration slip can produce (never the name itself).
 * Empty when the name has no such variant (plain ASCII names with no alternative romanisation).
 */
export function transliterationVariants(name: string, romanisation: Romanisation): string[] {
  const variants = new Set<string>();
  if (/[^\x20-\x7e]/.test(name)) {
    variants.add(withoutDiacritics(name));
    if (/[äöüÄÖÜß]/.test(name)) variants.add(germanFolding(name));
  }
  for (const [pattern, replacement] of ROMANISATION_RULES[romanisation]) {
    pattern.lastIndex = 0;
    const v = name.replace(pattern, replacement);
    if (v !== name) variants.add(v);
  }
  variants.delete(name);
  return [...variants];
}
