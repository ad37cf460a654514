import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, checkpointNow } from '../../src/audit/audit-log.js';
import { auditCheckpoints, auditEntries } from '../../src/audit/audit-reader.js';
import { ephemeralSigner } from '../../src/audit/audit-signer.js';
import { verifyAuditChain, verifyAuditStore } from '../../src/audit/verify-audit.js';
import { CANONICAL_SQL } from '../../src/audit/verify-in-store.js';
import { canonicalAuditText, type AuditRecord } from '../../src/core/audit/audit-chain.js';
import type { Database } from '../../src/store/database.js';

const record = (i: number, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  at: new Date(Date.UTC(2026, 10, 25, 12, 0, 0, i)),
  userId: String(1 + (i % 3)),
  username: `user.${i % 3}`,
  role: 'officer',
  action: 'person.read',
  route: 'GET /api/persons/:id',
  personIds: [String(100 + i)],
  recordRefs: i % 5 === 0 ? ['quarantine:7', 'import:3'] : [],
  purpose: 'case-work',
  purposeReference: `CASE-${i}`,
  breakGlassReason: i % 7 === 0 ? 'traveller at the counter, "urgent" | ünïcödé' : null,
  outcome: 'allowed',
  status: 200,
  requestId: `req-${i}`,
  ...extra,
});

/** The audit log on each store engine: concurrent writers, checkpoints, and tampering caught both ways. */
export function describeAuditContract(
  engine: string,
  open: () => Promise<Database>,
  close: (db: Database) => Promise<void>,
) {
  describe(`audit log on ${engine}`, () => {
    let db: Database;
    const signer = ephemeralSigner();
    const both = async () => {
      const inStore = await verifyAuditStore(db);
      const inNode = await verifyAuditChain(auditEntries(db), await auditCheckpoints(db));
      expect(inStore).toEqual(inNode);
      return inStore;
    };
    const tamper = (sql: string) =>
      db.session((s) =>
        s.exec(`alter table audit_entry disable trigger audit_entry_append_only; ${sql};
                alter table audit_entry enable trigger audit_entry_append_only;`),
      );

    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await close(db);
    });

    it('concurrent writers, in one process and in two, leave one contiguous chain', async () => {
      const a = new AuditLog(db, signer, 50);
      const b = new AuditLog(db, signer, 50); // a second process: its head goes stale
      await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? b : a).record(record(i))));
      for (let i = 120; i < 180; i++) await (i % 2 ? a : b).record(record(i));
      const r = await both();
      expect(r).toMatchObject({ ok: true, entries: 180, head: { seq: '180' }, firstBroken: null });
      expect(r.checkpoints).toBeGreaterThanOrEqual(2); // at the first write past each 50th entry
      expect(r.signedBy).toEqual([signer.publicKey]);
    });

    it('the store computes exactly the canonical text the writer hashed', async () => {
      const rows = await db.session((s) =>
        s.query<{ seq: string; text: string }>(
          `select seq::text as seq, ${CANONICAL_SQL} as text from audit_entry order by audit_entry.seq`,
        ),
      );
      const entries = [];
      for await (const e of auditEntries(db)) entries.push(canonicalAuditText(e.seq, e));
      expect(rows.map((r) => r.text)).toEqual(entries);
    });

    it('an altered entry is named by both verifiers; restored, the chain is whole again', async () => {
      const [{ ref }] = (await db.session((s) =>
        s.query<{ ref: string }>('select purpose_reference as ref from audit_entry where seq = 42'),
      )) as [{ ref: string }];
      await tamper("update audit_entry set purpose_reference = 'CASE-X' where seq = 42");
      expect((await both()).firstBroken).toEqual({
        seq: '42',
        reason: 'entry 42 was altered: its content does not give its hash',
      });
      await tamper(`update audit_entry set purpose_reference = '${ref}' where seq = 42`);
      expect((await both()).ok).toBe(true);
    });

    it('a deleted entry and a forged signature are caught', async () => {
      await checkpointNow(db, signer);
      await tamper(
        // A table, not a temporary one: the next statement may run on another pooled connection.
        'create table kept_entry as select * from audit_entry where seq = 77; delete from audit_entry where seq = 77',
      );
      expect((await both()).firstBroken).toEqual({
        seq: '77',
        reason: 'entry 77 is missing (the next entry is 78): deleted',
      });
      await tamper('insert into audit_entry select * from kept_entry; drop table kept_entry');
      await db.session((s) =>
        s.exec(`alter table audit_checkpoint disable trigger audit_checkpoint_append_only;
                update audit_checkpoint set hash = repeat('0', 64) where seq = (select min(seq) from audit_checkpoint);
                alter table audit_checkpoint enable trigger audit_checkpoint_append_only;`),
      );
      const [{ first }] = (await db.session((s) =>
        s.query<{ first: string }>('select min(seq)::text as first from audit_checkpoint'),
      )) as [{ first: string }];
      const r = await both();
      expect(r.firstBroken).toBeNull();
      expect(r.checkpointProblems).toEqual([{ seq: first, reason: 'the signature does not verify' }]);
    });

    it('refuses UPDATE, DELETE and TRUNCATE, whoever asks', async () => {
      for (const sql of [
        "update audit_entry set role = 'admin'",
        'delete from audit_entry',
        'truncate audit_entry',
      ])
        await expect(db.session((s) => s.exec(sql))).rejects.toThrow(/append-only/);
    });
  });
}
