/**
 * An arrival the linkage model alone placed on a person corroborates nothing until a person confirms it
 * (docs/rules.md, arrival records): it is queued for that, as a departure is, under its own reason.
 */
export const up = /* sql */ `
alter table identity_review drop constraint identity_review_reason_check;
alter table identity_review add constraint identity_review_reason_check
  check (reason in ('uncertain', 'quality-sample', 'departure-identity', 'arrival-identity'));
`;
