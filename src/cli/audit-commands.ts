import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { OpenedContext } from '../app/open-context.js';
import { checkpointNow } from '../audit/audit-log.js';
import { auditCheckpoints, auditEntries, type AuditCheckpoint } from '../audit/audit-reader.js';
import { verifyAuditChain, verifyAuditStore, type AuditVerification } from '../audit/verify-audit.js';
import type { ChainedAuditRecord } from '../core/audit/audit-chain.js';

type WithContext = <T>(fn: (ctx: OpenedContext) => Promise<T>) => Promise<T>;

/** `imos audit verify | checkpoint | export`. */
export function auditCommands(program: Command, withContext: WithContext): void {
  const audit = program.command('audit').description('the tamper-evident audit log');

  audit
    .command('verify')
    .description(
      'check the whole chain and every signed checkpoint; names the first broken entry (exit code 1 when broken)',
    )
    .option('--file <export>', 'verify an export (imos audit export, or the API) instead of the store')
    .option('--public-key <base64>', 'accept only checkpoints signed by this key (SPKI DER, base64)')
    .action(async (o: { file?: string; publicKey?: string }) => {
      const started = Date.now();
      const options = {
        ...(o.publicKey ? { trustedKey: o.publicKey } : {}),
        onProgress: (n: number) => process.stderr.write(`\r${n.toLocaleString('en-US')} entries checked`),
      };
      const result = o.file
        ? await verifyExport(o.file, options)
        : await withContext((ctx) => verifyAuditStore(ctx.db, options));
      process.stderr.write('\r');
      printVerification(result, Date.now() - started);
      if (!result.ok) process.exitCode = 1;
    });

  audit
    .command('checkpoint')
    .description(
      'sign the chain head now (Ed25519); the key is $IMOS_AUDIT_KEY_FILE or <data>/audit-signing-key.pem',
    )
    .action(async () => {
      await withContext(async (ctx) => {
        const head = await checkpointNow(ctx.db, ctx.auditSigner);
        console.log(
          head
            ? `checkpoint signed at entry ${head.seq} (hash ${head.hash})\npublic key ${ctx.auditSigner.publicKey}`
            : 'the audit log is empty: nothing to sign',
        );
      });
    });

  audit
    .command('export')
    .description('write the chain (from an entry on) with its checkpoints as NDJSON, for an inspector')
    .option('--from <seq>', 'first entry', '1')
    .requiredOption('--out <file>', 'where to write')
    .action(async (o: { from: string; out: string }) => {
      if (!/^\d{1,18}$/.test(o.from)) throw new Error('--from must be an entry number');
      await withContext(async (ctx) => {
        const head = await checkpointNow(ctx.db, ctx.auditSigner); // the export ends on a signed head
        const out = createWriteStream(o.out);
        let n = 0;
        for (const c of await auditCheckpoints(ctx.db))
          if (BigInt(c.seq) >= BigInt(o.from)) out.write(JSON.stringify({ type: 'checkpoint', ...c }) + '\n');
        for await (const e of auditEntries(ctx.db, o.from)) {
          n++;
          if (!out.write(JSON.stringify({ type: 'entry', ...e, at: e.at.toISOString() }) + '\n'))
            await new Promise<void>((r) => out.once('drain', () => r()));
        }
        await new Promise<void>((resolve, reject) =>
          out.end((err?: Error | null) => (err ? reject(err) : resolve())),
        );
        console.log(
          `${n} entries written to ${o.out}; signed head ${head?.seq ?? '(none)'}; public key ${ctx.auditSigner.publicKey}`,
        );
      });
    });
}

async function verifyExport(
  file: string,
  options: Parameters<typeof verifyAuditChain>[2],
): Promise<AuditVerification> {
  // Checkpoints come first in an export, so they are known before the entries stream past.
  const checkpoints: AuditCheckpoint[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  let pending: IteratorResult<string> | null = null;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const row = JSON.parse(next.value) as { type: string };
    if (row.type !== 'checkpoint') {
      pending = next;
      break;
    }
    checkpoints.push(row as unknown as AuditCheckpoint);
  }
  async function* entries(): AsyncGenerator<ChainedAuditRecord> {
    let current = pending;
    while (current && !current.done) {
      const {
        type: _t,
        at,
        ...e
      } = JSON.parse(current.value) as ChainedAuditRecord & { type: string; at: string };
      yield { ...e, at: new Date(at) };
      current = await iterator.next();
    }
  }
  return verifyAuditChain(entries(), checkpoints, options);
}

function printVerification(r: AuditVerification, ms: number): void {
  console.log(
    `${r.entries.toLocaleString('en-US')} entries, ${r.checkpoints} checkpoints checked in ${(ms / 1000).toFixed(1)} s`,
  );
  if (r.head) console.log(`head: entry ${r.head.seq}, hash ${r.head.hash}`);
  for (const k of r.signedBy) console.log(`checkpoints signed by ${k}`);
  if (r.firstBroken) console.log(`BROKEN at entry ${r.firstBroken.seq}: ${r.firstBroken.reason}`);
  for (const p of r.checkpointProblems) console.log(`checkpoint ${p.seq}: ${p.reason}`);
  console.log(r.ok ? 'audit chain intact' : 'audit chain NOT intact');
}
