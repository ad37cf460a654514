/**
 * Hand-written PAXLST messages for the tests (fictional people and flights). Segments are written one
 * a line with the default separators; `message` adds UNH and a UNT with the right count, `interchange`
 * adds the envelope with the right counts, so a test can break exactly one thing.
 */
import { expect } from 'vitest';
import type { Manifest, PaxlstResult } from './manifest.js';

/** UNH + segments + UNT (count right unless `untCount` is given). */
export function message(
  ref: string,
  segments: readonly string[],
  options: { version?: string; untCount?: number; untRef?: string; unhExtra?: string } = {},
): string[] {
  const version = options.version ?? 'D:05B';
  const unh = `UNH+${ref}+PAXLST:${version}:UN:IATA${options.unhExtra ?? ''}`;
  const count = options.untCount ?? segments.length + 2;
  return [unh, ...segments, `UNT+${count}+${options.untRef ?? ref}`];
}

export interface InterchangeOptions {
  readonly una?: boolean;
  readonly syntax?: string;
  readonly controlRef?: string;
  readonly prepared?: string;
  /** Wrap the messages in one UNG..UNE group with this reference. */
  readonly group?: string;
  readonly unzCount?: number;
  readonly unzRef?: string;
  readonly uneCount?: number;
}

/** The segments of an interchange around the given messages, one segment a line. */
export function interchange(messages: readonly (readonly string[])[], o: InterchangeOptions = {}): string {
  const controlRef = o.controlRef ?? 'IC0001';
  const prepared = o.prepared ?? '250701:0930';
  const lines: string[] = [];
  lines.push(`UNB+${o.syntax ?? 'UNOA:4'}+XYZAIR:ZZ+USCBP:ZZ+${prepared}+${controlRef}++APIS`);
  if (o.group !== undefined) lines.push(`UNG+PAXLST+XYZAIR+USCBP+${prepared}+${o.group}+UN+D:05B`);
  for (const m of messages) lines.push(...m);
  if (o.group !== undefined) lines.push(`UNE+${o.uneCount ?? messages.length}+${o.group}`);
  lines.push(`UNZ+${o.unzCount ?? (o.group !== undefined ? 1 : messages.length)}+${o.unzRef ?? controlRef}`);
  return (o.una ? "UNA:+.? '\n" : '') + lines.map((l) => `${l}'\n`).join('');
}

/** The reporting party and a single-sector flight JFK → LHR on 2025-07-01. */
export const FLIGHT_OUT = [
  'NAD+MS+++XYZ OPS DESK',
  'COM+1 555 0100:TE+1 555 0101:FX+OPS.AT.XYZ:EM',
  'TDT+20+XY100+++XY',
  'LOC+125+JFK',
  'DTM+189:2507011015:201',
  'LOC+87+LHR',
  'DTM+232:2507012205:201',
];

/** A passenger with every group 4 and group 5 segment the guide describes. */
export const PASSENGER_ANA = [
  'NAD+FL+++EXAMPLETON:ANA:LUCIA+1 MAIN ST+SPRINGFIELD+:::IL+62701+USA',
  'ATT+2++F',
  'DTM+329:900401',
  'MEA+CT++:1',
  'GEI+4+173',
  'FTX+BAG+++XY123456:1',
  'LOC+22+LHR',
  'LOC+174+MEX',
  'LOC+178+JFK',
  'LOC+179+LHR',
  'LOC+180+:::GUADALAJARA',
  'COM+1 555 0199:TE',
  'NAT+2+MEX',
  'RFF+AVF:ABC123',
  'RFF+ABO:XY100001',
  'RFF+SEA:12A',
  'RFF+CR:FF998877',
  'DOC+P:110:111+X12345678',
  'DTM+36:300101',
  'DTM+182:200102',
  'LOC+91+MEX',
  'DOC+V+V0000001',
  'DTM+36:270101',
  'LOC+91+USA',
];

/** A passenger whose name needs the release character, born 2005 (two-digit year). */
export const PASSENGER_SEAN = [
  "NAD+FL+++O?'NEIL:SEAN",
  'ATT+2++M',
  'DTM+329:051231',
  'NAT+2+IRL',
  'DOC+P+PA0000002',
  'DTM+36:290615',
  'LOC+91+IRL',
];

/** A booked passenger list (BGM 745) with two passengers. */
export function passengerList(ref = 'M1', bgm = 'BGM+745', extra: readonly string[] = []): string[] {
  return message(ref, [
    bgm,
    'RFF+TN:XY100TX1',
    ...FLIGHT_OUT,
    ...PASSENGER_ANA,
    ...PASSENGER_SEAN,
    ...extra,
    'CNT+42:2',
  ]);
}

/** A crew list (BGM 250) on the same flight, D02B. */
export function crewList(ref = 'C1'): string[] {
  return message(
    ref,
    [
      'BGM+250+C',
      ...FLIGHT_OUT,
      'NAD+FM+++PILOTSON:PAT',
      'ATT+2++X',
      'DTM+329:750315',
      'LOC+174+USA',
      'EMP+1+CR1:110:111',
      'NAT+2+USA',
      'DOC+P+C0000001',
      'DTM+36:310101',
      'LOC+91+USA',
      'NAD+DDT+++RIDERS:ROBIN',
      'ATT+2++F',
      'DTM+329:800229',
      'NAT+2+D',
      'DOC+P+C0000002',
      'DTM+36:280808',
      'LOC+91+D',
      'CNT+41:2',
    ],
    { version: 'D:02B' },
  );
}

/** The one manifest of a text that must parse cleanly. */
export function onlyManifest(results: readonly PaxlstResult[]): Manifest {
  const bad = results.filter((r) => !r.ok);
  expect(bad).toEqual([]);
  expect(results).toHaveLength(1);
  const r = results[0]!;
  if (!r.ok) throw new Error('unreachable');
  return r.message;
}

/** The errors of the results, as `field: reason` lines. */
export function errorLines(results: readonly PaxlstResult[]): string[] {
  return results.flatMap((r) => (r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.reason}`)));
}
