/**
 * The typed result of reading a PAXLST message: one passenger or crew manifest of one flight (or
 * voyage), with the interchange it came in. Field by field mapping: docs/paxlst.md.
 */
import type { DocumentType, IsoDate, Sex } from '../observation/observation.js';
import type { FieldError } from '../result/result.js';
import type { PaxlstPosition, PaxlstSeparators } from './tokenizer.js';

/** UNB syntax identifiers accepted: UNOA to UNOY (ISO 9735 character repertoires). */
export const SYNTAX_IDENTIFIER = /^UNO[A-Y]$/;

export interface PaxlstInterchange {
  /** UNB 0004 sender identification and its qualifier (0007). */
  readonly sender: string;
  readonly senderQualifier: string | null;
  readonly recipient: string;
  readonly recipientQualifier: string | null;
  /** UNB date and time of preparation, `YYYY-MM-DDTHH:MM` (no zone: as the sender wrote it). */
  readonly preparedAt: string;
  /** UNB 0020 interchange control reference; UNZ must repeat it. */
  readonly controlRef: string;
  /** UNB 0026 application reference (`APIS`, `IAPI`, ...). */
  readonly applicationRef: string | null;
  /** UNB 0035 test indicator (`1`). */
  readonly test: boolean;
  /** UNB S001: character repertoire `UNOA`..`UNOY` and syntax version (`4`). */
  readonly syntax: { readonly identifier: string; readonly version: string };
  /** The separators the interchange was written with, and whether a UNA declared them. */
  readonly separators: PaxlstSeparators;
  readonly una: boolean;
  readonly position: PaxlstPosition;
}

export interface PaxlstGroup {
  /** UNG 0048 group reference; UNE must repeat it. */
  readonly ref: string;
  readonly sender: string;
  readonly recipient: string;
  readonly preparedAt: string | null;
  /** UNG S008 message version, e.g. `D:05B` as `D05B`; null when absent. */
  readonly directory: string | null;
  readonly position: PaxlstPosition;
}

export const LIST_TYPES = ['passenger', 'crew'] as const;
export type ListType = (typeof LIST_TYPES)[number];

/**
 * - `booked`: a list sent before departure (who is expected to travel): not departure evidence.
 * - `closeout`: flight close-out, the persons listed are on board (BGM 1004 `CL` or `CLOB`).
 * - `not-boarded`: close-out naming the persons who did NOT board (BGM 1004 `CLNB`).
 */
export const MANIFEST_STATUSES = ['booked', 'closeout', 'not-boarded'] as const;
export type ManifestStatus = (typeof MANIFEST_STATUSES)[number];

/** `change` replaces earlier data (CP, RP, CF, crew changes, 1225 4/5); `cancel` withdraws it (XR, XF, 1225 1/3). */
export const MANIFEST_FUNCTIONS = ['original', 'change', 'cancel'] as const;
export type ManifestFunction = (typeof MANIFEST_FUNCTIONS)[number];

/** NAD party function: FL passenger, FM crew, DDU in-transit passenger, DDT in-transit crew. */
export const PERSON_ROLES = ['passenger', 'crew', 'transit-passenger', 'transit-crew'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export const ROLE_CODES: Readonly<Record<PersonRole, string>> = {
  passenger: 'FL',
  crew: 'FM',
  'transit-passenger': 'DDU',
  'transit-crew': 'DDT',
};

/** How the means of transport moves (TDT C220 8067: 1 maritime, 4 air, 2 rail, 3 road, 8 inland water). */
export const TRANSPORT_MODES = ['air', 'sea', 'land'] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

export interface ManifestLeg {
  /** TDT 8028 as sent: carrier and flight number (`UA123`), or a voyage number. */
  readonly flight: string;
  /** TDT C040 3127, or the airline designator at the start of the flight when C040 is empty. */
  readonly carrier: string | null;
  /** TDT 8051 `34`: the aircraft only overflies the country. */
  readonly overflight: boolean;
  /** From TDT C220; `air` when absent (the WCO/IATA guide is the air-mode profile). */
  readonly mode: TransportMode;
  /** TDT C220 8067 as sent, or null. */
  readonly modeCode: string | null;
  /** TDT C222 8212 vessel or means-of-transport name (sea), or null. */
  readonly vessel: string | null;
  /** IATA airport (or UN/LOCODE port) code of LOC+125 or the first LOC+92. */
  readonly departurePort: string | null;
  readonly departureQualifier: string | null;
  /** DTM+189: local `YYYY-MM-DDTHH:MM`, or `YYYY-MM-DD` when only the date is sent. */
  readonly departureAt: string | null;
  /** LOC+87, the second LOC+92, or LOC+130. */
  readonly arrivalPort: string | null;
  readonly arrivalQualifier: string | null;
  /** DTM+232, as `departureAt`. */
  readonly arrivalAt: string | null;
  readonly position: PaxlstPosition;
}

export interface PersonDocument {
  /** DOC C002 1001 as sent: `P`, `V`, `I`, `A`, `C`, `AC`, `IP`, `F`, `M` ... */
  readonly code: string;
  /** The ICAO document type (first letter of the code) when it is one we know, else null. */
  readonly type: DocumentType | null;
  /** DOC C503 1004. */
  readonly number: string;
  /** LOC+91 (ICAO code as sent; `D` is kept, the flat-record reader maps it to `DEU`). */
  readonly issuingCountry: string | null;
  /** DTM+36. */
  readonly expiry: IsoDate | null;
  /** DTM+182. */
  readonly issued: IsoDate | null;
}

export interface ManifestReference {
  readonly qualifier: string;
  readonly value: string;
}

export interface ManifestPerson {
  /** 0-based place of the person in the message. */
  readonly index: number;
  readonly role: PersonRole;
  readonly crew: boolean;
  readonly transit: boolean;
  /** NAD C080 first component. */
  readonly familyNames: string | null;
  /** NAD C080 further components, joined with a space. */
  readonly givenNames: string | null;
  /** ATT+2: `M`, `F`, `X`; `U` (unknown) is read as null. */
  readonly sex: Sex | null;
  /** DTM+329, two-digit years resolved so that the birth is not after the flight date. */
  readonly birthDate: IsoDate | null;
  /** LOC+180 (code or name). */
  readonly birthPlace: string | null;
  /** NAT+2 (ICAO code as sent). */
  readonly nationality: string | null;
  /** LOC+174. */
  readonly residence: string | null;
  /** NAD street, city, sub-entity, postcode, country joined with ", ", or null. */
  readonly address: string | null;
  /** LOC+178: port of embarkation. */
  readonly embarkation: string | null;
  /** LOC+179: port of debarkation. */
  readonly debarkation: string | null;
  /** LOC+22: final destination (airport of final clearance). */
  readonly finalDestination: string | null;
  /** RFF+AVF: reservation (PNR) locator. */
  readonly reservation: string | null;
  /** RFF+ABO: the carrier's unique passenger reference. */
  readonly passengerRef: string | null;
  /** RFF+SEA. */
  readonly seat: string | null;
  /** Other RFF qualifiers (AEA, CR, YZY ...). */
  readonly otherRefs: readonly ManifestReference[];
  /** GEI+4: 173 document verified, 174 not verified; null when not sent. */
  readonly verified: boolean | null;
  /** EMP C948 first component: the crew function (`CR1` ...), or null. */
  readonly crewFunction: string | null;
  readonly documents: readonly PersonDocument[];
  readonly position: PaxlstPosition;
}

export interface ReportingParty {
  /** NAD+MS C082 party identifier. */
  readonly id: string | null;
  /** NAD+MS C080 name components, joined with a space. */
  readonly name: string | null;
  readonly phone: string | null;
  readonly fax: string | null;
  readonly email: string | null;
}

export interface Manifest {
  readonly interchange: PaxlstInterchange;
  readonly group: PaxlstGroup | null;
  /** UNH 0062; UNT must repeat it. */
  readonly messageRef: string;
  /** UNH 0068 common access reference (links the parts of a split manifest), or null. */
  readonly commonAccessRef: string | null;
  /** UNH S010: sequence number and whether this is the final (`F`) part; null when absent. */
  readonly part: { readonly sequence: number; readonly final: boolean } | null;
  /** UNH S009 directory: `D02B`, `D05B` ... */
  readonly directory: string;
  /** UNH S009 association assigned code (`IATA`), or null. */
  readonly association: string | null;
  /** BGM C002 1001: 745 passenger list, 250 crew list, 266 flight status update. */
  readonly documentCode: string;
  /** BGM 1004 document identifier as sent (`CP`, `XR`, `CLOB` ...), or null. */
  readonly documentId: string | null;
  /** BGM 1225 message function code as sent, or null. */
  readonly messageFunctionCode: string | null;
  readonly listType: ListType;
  readonly status: ManifestStatus;
  readonly function: ManifestFunction;
  /** RFF+TN transaction reference, or null. */
  readonly transactionRef: string | null;
  readonly reportingParty: ReportingParty | null;
  readonly legs: readonly ManifestLeg[];
  readonly persons: readonly ManifestPerson[];
  /** CNT+42 (passengers) and CNT+41 (crew) as sent; null when absent. */
  readonly totals: { readonly passengers: number | null; readonly crew: number | null };
  /** Things read but not fully understood (an unknown BGM 1004 code, a directory not tested ...). */
  readonly notes: readonly string[];
  readonly position: PaxlstPosition;
}

/** A reason a message (or interchange) was rejected, with the segment at fault and where it is. */
export interface PaxlstError extends FieldError {
  /** The segment tag at fault (`UNT`, `DTM`, ...), or `*` when no one segment is. */
  readonly segment: string;
  readonly position: PaxlstPosition | null;
}

export type PaxlstResult =
  | { readonly ok: true; readonly message: Manifest }
  | {
      readonly ok: false;
      /** `message`: one message is rejected; `interchange`: an envelope problem (UNB/UNG/UNE/UNZ); `input`: text outside any interchange. */
      readonly scope: 'message' | 'interchange' | 'input';
      readonly messageRef: string | null;
      readonly controlRef: string | null;
      readonly errors: readonly PaxlstError[];
      /** Where the rejected message (or the problem) starts. */
      readonly position: PaxlstPosition;
      /** The rejected message as received (segments, without the whitespace between them); null for envelope errors. */
      readonly raw: string | null;
    };

/** One line per error: `UNT (segment 42, line 42, offset 1234): ...`. */
export function formatPaxlstError(e: PaxlstError): string {
  const where = e.position
    ? ` (segment ${e.position.segment}, line ${e.position.line}, offset ${e.position.offset})`
    : '';
  return `${e.field}${where}: ${e.reason}`;
}
