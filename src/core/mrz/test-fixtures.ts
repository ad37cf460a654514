/**
 * Test helpers: the ICAO Doc 9303 specimen zones (the fictional Utopia documents of Anna Maria
 * Eriksson) and builders that compute check digits independently of the `mrz` library.
 */

/** ICAO Doc 9303 part 4 (TD3 passport). */
export const TD3_SPECIMEN = [
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
] as const;

/** ICAO Doc 9303 part 5 (TD1 card). */
export const TD1_SPECIMEN = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
] as const;

/** ICAO Doc 9303 part 6 (TD2 card). */
export const TD2_SPECIMEN = [
  'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<',
  'D231458907UTO7408122F1204159<<<<<<<6',
] as const;

/** ICAO Doc 9303 part 7 (visas): MRV-A and MRV-B. */
export const MRVA_SPECIMEN = [
  'V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L8988901C4XXX4009078F96121096ZE184226B<<<<<<',
] as const;
export const MRVB_SPECIMEN = [
  'V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<',
  'L8988901C4XXX4009078F9612109<<<<<<<<',
] as const;

/** ICAO 9303 part 3 check digit: weights 7, 3, 1; A-Z = 10-35; < = 0. */
export function checkDigit(s: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const v = c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * weights[i % 3]!;
  }
  return String(sum % 10);
}

const fit = (s: string, n: number): string => s.padEnd(n, '<').slice(0, n);

export interface Td3Fields {
  code?: string;
  state?: string;
  name?: string;
  number?: string;
  nationality?: string;
  birth?: string;
  sex?: string;
  expiry?: string;
  personal?: string;
}

/** A TD3 zone with correct check digits (defaults: the specimen). */
export function td3(f: Td3Fields = {}): [string, string] {
  const number = fit(f.number ?? 'L898902C3', 9);
  const birth = f.birth ?? '740812';
  const expiry = f.expiry ?? '120415';
  const personal = fit(f.personal ?? 'ZE184226B', 14);
  const personalCheck = /^<+$/.test(personal) ? '<' : checkDigit(personal);
  const line1 = fit(
    `${fit(f.code ?? 'P<', 2)}${fit(f.state ?? 'UTO', 3)}${f.name ?? 'ERIKSSON<<ANNA<MARIA'}`,
    44,
  );
  const a = `${number}${checkDigit(number)}`;
  const b = `${birth}${checkDigit(birth)}`;
  const c = `${expiry}${checkDigit(expiry)}${personal}${personalCheck}`;
  const line2 = `${a}${fit(f.nationality ?? 'UTO', 3)}${b}${f.sex ?? 'F'}${c}${checkDigit(a + b + c)}`;
  return [line1, line2];
}

/** A TD1 zone with correct check digits; `number` may be longer than 9 characters. */
export function td1(
  f: {
    number?: string;
    birth?: string;
    sex?: string;
    expiry?: string;
    optional?: string;
    optional2?: string;
  } = {},
): [string, string, string] {
  const number = f.number ?? 'D23145890';
  const optional = f.optional ?? '';
  const head =
    number.length <= 9
      ? `${fit(number, 9)}${checkDigit(fit(number, 9))}${fit(optional, 15)}`
      : `${number.slice(0, 9)}<${fit(`${number.slice(9)}${checkDigit(number)}<${optional}`, 15)}`;
  const line1 = `I<UTO${head}`;
  const birth = f.birth ?? '740812';
  const expiry = f.expiry ?? '120415';
  const optional2 = fit(f.optional2 ?? '', 11);
  const body = `${birth}${checkDigit(birth)}${f.sex ?? 'F'}${expiry}${checkDigit(expiry)}UTO${optional2}`;
  const composite = checkDigit(`${head}${body.slice(0, 7)}${body.slice(8, 15)}${optional2}`);
  return [line1, `${body}${composite}`, fit('ERIKSSON<<ANNA<MARIA', 30)];
}

/** Replaces the character at `col` of line `line`. */
export function withChar(lines: readonly string[], line: number, col: number, c: string): string[] {
  return lines.map((l, i) => (i === line ? `${l.slice(0, col)}${c}${l.slice(col + 1)}` : l));
}
