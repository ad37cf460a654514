/**
 * User admin: accounts can be disabled (and enabled again) instead of deleted, so the audit entries that
 * name them keep pointing at a row. A disabled account cannot sign in and has no live session.
 */
export const up = /* sql */ `
alter table app_user add column disabled_at timestamptz;
`;
