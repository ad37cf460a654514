import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables (see migrations/ for the DDL and docs/adr/0003-store-layout.md). */
type Id = ColumnType<string, string | number | bigint, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;

export interface DB {
  import_run: {
    id: Generated<string>;
    source: string;
    file: string | null;
    format: string;
    header: string | null;
    started_at: Timestamp;
    finished_at: Timestamp | null;
    rows_read: number;
    rows_new: number;
    rows_unchanged: number;
    rows_superseded: number;
    rows_quarantined: number;
    status: string;
  };
  raw_record: {
    id: Id;
    source: string;
    source_record_id: string;
    record_key: string;
    content_hash: string;
    import_id: string | null;
    line: number | null;
    content: string;
    received_at: Timestamp;
    superseded_by: string | null;
  };
  observation: {
    id: Id;
    kind: string;
    person_id: string | null;
    event_date: DateCol;
    channel: string | null;
    facts: string;
    superseded: boolean;
  };
  person: { id: Id; created_at: Timestamp; merged_into: string | null };
  person_key: { key: string; person_id: string };
  stay: {
    person_id: string;
    seq: number;
    admission_id: string;
    admitted_on: DateCol;
    class_of_admission: string;
    port: string;
    nationality: string | null;
    authorized_until: DateCol | null;
    departed_on: DateCol | null;
    departure_channel: string | null;
    departure_inferred: boolean;
    departure_observation_id: string | null;
    outcome: string;
    days_overstay: number | null;
    rule: string;
    evidence: string[];
    judged_on: DateCol;
  };
  unmatched_departure: { observation_id: string; person_id: string };
  quarantine: {
    id: Generated<string>;
    import_id: string | null;
    source: string;
    file: string | null;
    line: number | null;
    source_record_id: string | null;
    content_hash: string;
    format: string;
    content: string;
    errors: unknown;
    status: string;
    created_at: Timestamp;
    resolved_at: Timestamp | null;
    resolution: string | null;
  };
  app_user: {
    id: Generated<string>;
    username: string;
    password_hash: string;
    role: string;
    created_at: Timestamp;
    totp_secret: string | null;
    totp_last_step: string | null;
    /** OpenID Connect link (migration 4): both set or both null, unique together. */
    oidc_issuer: string | null;
    oidc_subject: string | null;
    office: string | null;
    disabled_at: Timestamp | null;
  };
  app_session: {
    token_hash: string;
    user_id: string;
    created_at: Timestamp;
    expires_at: Timestamp;
    last_seen_at: Timestamp;
  };
  sign_in_failure: {
    username: string;
    attempts: number;
    window_started_at: Timestamp;
    locked_until: Timestamp | null;
  };
  sign_in_rate: { client_ip: string; window_started_at: Timestamp; attempts: number };
  /** Retention (migration 5): holds that block erasure; released, never deleted. */
  legal_hold: {
    id: Generated<string>;
    person_id: string | null;
    source: string | null;
    source_record_id: string | null;
    record_key: string | null;
    reason: string;
    created_by: string;
    created_at: Timestamp;
    released_at: Timestamp | null;
    released_by: string | null;
    release_reason: string | null;
  };
  /** Retention (migration 5): what an erased record leaves, so a re-delivery cannot bring it back. */
  retention_tombstone: {
    id: Generated<string>;
    category: string;
    source: string;
    source_record_id: string;
    record_key: string;
    content_hash: string;
    person_id: string | null;
    erased_at: Timestamp;
    rule: string;
  };
}
