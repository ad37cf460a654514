/**
 * Self-reports waiting to be placed (docs/departures.md). The public request only stores the report
 * here and answers, the same work whoever the person is, so its timing cannot tell whether they are on
 * record; placing it (the import and identity resolution) runs after the answer. A row lives until its
 * report is imported: a process that dies first leaves it for the next start (or another process).
 */
export const up = /* sql */ `
create table self_report_pending (
  -- The confirmation number given to the person: the record's id under the source self-report.
  confirmation text primary key,
  -- As received (kept as the raw record once placed) and its canonical fields.
  content text not null,
  fields jsonb not null,
  received_at timestamptz not null default now(),
  -- Placing tries, and the last one's error: a report that keeps failing is visible, never dropped.
  attempts integer not null default 0,
  last_error text,
  -- A process placing it holds it until then (a lease); after a failure, the next try is not before.
  not_before timestamptz
);
`;
