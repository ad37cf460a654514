import { AuditLog, type AuditSink } from '../audit/audit-log.js';
import { ephemeralSigner, fileSigner, type AuditSigner } from '../audit/audit-signer.js';
import { linkageResolver } from '../identity/linkage-resolver.js';
import { ChangeFeed } from './change-feed.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import { acquireDataFolder } from '../store/data-folder-lock.js';
import { openDatabase } from '../store/open-database.js';
import { todayUtc, type AppContext } from './app-context.js';
import type { Config } from './config.js';

export interface OpenedContext extends AppContext {
  readonly audit: AuditSink;
  /** Signs the audit log's checkpoints. */
  readonly auditSigner: AuditSigner;
  /** For a server on PGlite: record its URL in the lock so other commands can point the user to it. */
  announce(url: string): void;
  close(): Promise<void>;
}

/** Opens the store (taking the PGlite data folder's lock), the rule pack and the resolver. */
export async function openContext(config: Config, role: string): Promise<OpenedContext> {
  const pack = loadRulePack(config.rulePack);
  const lock = !config.databaseUrl && !config.ephemeral ? acquireDataFolder(config.dataDir, { role }) : null;
  try {
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      ephemeral: config.ephemeral,
    });
    const asOf = config.asOf;
    const auditSigner = config.ephemeral ? ephemeralSigner() : fileSigner(config.auditKeyFile);
    return {
      audit: new AuditLog(db, auditSigner),
      auditSigner,
      db,
      resolver: linkageResolver(),
      changes: new ChangeFeed(),
      pack,
      asOf: () => asOf ?? todayUtc(),
      announce: (url) => lock?.update(url),
      async close() {
        await db.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
