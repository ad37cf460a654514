/**
 * The day the stored stays were last judged on as a whole (src/stays/roll-stays-forward.ts). Outcomes
 * depend on the as-of day (an overstay's days so far grow, a period ends, a self-report lapses), so a
 * running server judges again the stays time can change when the day moves on. One row, or none before
 * the first roll.
 */
export const up = /* sql */ `
create table stay_clock (
  singleton boolean primary key default true check (singleton),
  as_of date not null,
  rolled_at timestamptz not null default now()
);
`;
