import { oneOcrConfusion } from './compare-fields.js';
import { DOCUMENT_AT, type PersonLink } from './person-link.js';

/** A passport is valid for ten years at most; without an issue date, its validity is the ten years to its expiry. */
const VALIDITY_YEARS = 10;

/**
 * Two records must not be linked when they hold two documents of the same type and issuer that differ by
 * more than one OCR confusion, valid at the same time: one person holds one passport of a country at a
 * time, twins hold one each. A renewed passport is a new number too; only a link record (an admission
 * number, a reviewer's decision) joins the two, never the names and birth date alone.
 */
export function documentsConflict(a: PersonLink, b: PersonLink): boolean {
  const da = a.values[DOCUMENT_AT];
  const db = b.values[DOCUMENT_AT];
  if (da === null || db === null || da === undefined || db === undefined || da === db) return false;
  const ca = da.slice(0, da.indexOf(':'));
  const cb = db.slice(0, db.indexOf(':'));
  if (ca === '' || ca !== cb) return false;
  if (a.documentType !== null && b.documentType !== null && a.documentType !== b.documentType) return false;
  if (oneOcrConfusion(da, db)) return false;
  return validityOverlaps(a.documentExpiry, b.documentExpiry);
}

/** Unknown expiry: the validity may overlap, so it is taken to. */
function validityOverlaps(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return true;
  const years = Math.abs(Date.parse(a) - Date.parse(b)) / (365.25 * 86_400_000);
  return !(years >= VALIDITY_YEARS);
}
