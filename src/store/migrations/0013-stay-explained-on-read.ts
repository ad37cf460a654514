/**
 * A stay row keeps the decision that reports, queues and searches filter on, and the day it was judged
 * on; its explanation and departure evidence are derived again when a person is read, from the same facts
 * by the same pure function (ADR 16). The two columns were two thirds of every stay row. Stays already
 * stored are marked as judged on the stay clock's day (today before the first roll): a stay that day
 * would judge differently shows as being judged again until the next recompute.
 */
export const up = /* sql */ `
alter table stay drop column explanation, drop column departure_evidence, add column judged_on date;
update stay set judged_on = coalesce((select as_of from stay_clock), current_date);
alter table stay alter column judged_on set not null;
`;
