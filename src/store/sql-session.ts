/**
 * The narrow SQL surface the bulk paths need, implemented once for PGlite and once for PostgreSQL.
 * Kysely serves the ordinary repository queries; this serves COPY and set-based statements.
 */
export interface SqlSession {
  /** `prepared`: a name under which PostgreSQL keeps the statement parsed and planned for the connection's life. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    prepared?: string,
  ): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Bulk-loads rows with COPY ... FROM STDIN (text format). */
  copyFrom(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
  /** Bulk-loads lines already in COPY text format (see copy-text.ts), one row each, without newlines. */
  copyLines(table: string, columns: readonly string[], lines: readonly string[]): Promise<void>;
}
