import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite allows one process per data folder. The holder writes its pid (and URL, for a server) here;
 * a second process refuses with a message naming the holder instead of corrupting the folder.
 */
export interface LockHolder {
  readonly pid: number;
  readonly role: string;
  readonly url?: string;
}

export class DataFolderBusyError extends Error {
  readonly code = 'DATA_FOLDER_BUSY';
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data folder ${dir} is held by another ImmigrationOS process (${holder.role}, pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}).\n` +
        `Embedded PGlite allows one process. Use the running server's API${holder.url ? ` (${holder.url}/docs)` : ''}, stop it first, ` +
        'or point both at a PostgreSQL server with DATABASE_URL.',
    );
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function acquireDataFolder(
  dir: string,
  holder: Omit<LockHolder, 'pid'>,
): { update(url: string): void; release(): void } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'imos.lock');
  try {
    const current = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    if (current.pid !== process.pid && alive(current.pid)) throw new DataFolderBusyError(dir, current);
  } catch (err) {
    if (err instanceof DataFolderBusyError) throw err;
  }
  const write = (h: LockHolder) => writeFileSync(path, JSON.stringify(h));
  write({ pid: process.pid, ...holder });
  const release = () => rmSync(path, { force: true });
  process.once('exit', release);
  return { update: (url) => write({ pid: process.pid, ...holder, url }), release };
}
