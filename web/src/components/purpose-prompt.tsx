import type { ReactNode } from 'react';
import { setPurpose, usePurpose } from '../purpose.js';

/**
 * Work that reads personal data names a purpose. Without one nothing is asked of the server (a refused
 * read would itself be an audit entry); the page offers the purpose its work is for, one click away.
 * Under another purpose the reads go ahead, and the page says so and offers to switch.
 */
export function WithPurpose({
  code,
  label,
  why,
  testIdPrefix,
  children,
}: {
  /** The purpose's code (config/purposes.json). */
  code: string;
  /** Its label, as the picker shows it. */
  label: string;
  /** Why a purpose is asked for here, one sentence. */
  why: string;
  /** `<prefix>-purpose-prompt`, `<prefix>-purpose-other`, `<prefix>-purpose-use`. */
  testIdPrefix: string;
  children: ReactNode;
}) {
  const purpose = usePurpose();
  const use = (
    <button
      type="button"
      onClick={() => setPurpose({ code, reference: '' })}
      data-testid={`${testIdPrefix}-purpose-use`}
    >
      {purpose ? `Switch to ${label}` : `Work under the purpose ${label}`}
    </button>
  );
  if (!purpose)
    return (
      <div className="status purpose-prompt" role="status" data-testid={`${testIdPrefix}-purpose-prompt`}>
        <p>
          <strong>Choose a purpose of use first.</strong> {why} Choose <em>{label}</em> in the Purpose list at
          the top of the page, or:
        </p>
        {use}
      </div>
    );
  return (
    <>
      {purpose.code !== code ? (
        <p className="status" role="status" data-testid={`${testIdPrefix}-purpose-other`}>
          You are working under the purpose <strong>{purpose.code}</strong>; these reads are recorded with it.{' '}
          {use}
        </p>
      ) : null}
      {children}
    </>
  );
}
