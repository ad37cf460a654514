import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { ensureDemoAccounts, openSession } from '../../src/access/accounts.js';
import { ROLES, type Role } from '../../src/access/roles.js';
import type { AppContext } from '../../src/app/app-context.js';
import { importFeedFiles } from '../../src/app/import-feed.js';
import { buildApp, type AppOptions } from '../../src/api/build-app.js';
import { ChangeFeed } from '../../src/app/change-feed.js';
import { linkageResolver } from '../../src/identity/linkage-resolver.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SMALL_FEED } from '../contract/store-contract.js';

export const TEST_PASSWORD = 'correct horse battery';
/** Personal data is read for a purpose: requests name one unless a test says otherwise. */
export const PURPOSE = { 'x-purpose': 'data-quality-review' } as const;

export interface ApiHarness {
  readonly db: Database;
  readonly app: FastifyInstance;
  /** A bearer session per demo role (opened in the store: sign-in itself is tested on its own). */
  readonly tokens: ReadonlyMap<Role, string>;
  /** GET as a role (or anonymously), with a purpose unless headers override it. */
  get(
    url: string,
    role?: Role,
    headers?: Record<string, string | undefined>,
  ): Promise<LightMyRequestResponse>;
  inject(options: InjectOptions & { role?: Role }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * The API over an in-memory store holding the small fixture feed and one demo account per role. The
 * demo officer works for the MIA office (the fixture's out-of-country overstayer was admitted there).
 */
export async function startApi(options: AppOptions = {}): Promise<ApiHarness> {
  const db = await openDatabase({ ephemeral: true });
  const ctx: AppContext = {
    db,
    resolver: linkageResolver(),
    pack: loadRulePack('us'),
    asOf: () => '2026-11-01',
    changes: new ChangeFeed(),
  };
  await importFeedFiles(ctx, [SMALL_FEED], 'fixture');
  await ensureDemoAccounts(db, TEST_PASSWORD);
  await db.session((s) => s.query("update app_user set office = 'MIA' where username = 'demo.officer'"));
  const app = await buildApp(ctx, { serveWeb: false, ...options });
  await app.ready();
  const tokens = new Map<Role, string>();
  for (const role of ROLES) {
    const [user] = await db.session((s) =>
      s.query<{ id: string; username: string; role: Role }>(
        'select id::text as id, username, role from app_user where username = $1',
        [`demo.${role}`],
      ),
    );
    tokens.set(role, await openSession(db, user!));
  }
  const inject = ({
    role,
    headers,
    ...rest
  }: InjectOptions & { role?: Role }): Promise<LightMyRequestResponse> =>
    app.inject({
      ...rest,
      // A header given as undefined is left out (a test of a missing purpose).
      headers: Object.fromEntries(
        Object.entries({
          ...PURPOSE,
          ...(role ? { authorization: `Bearer ${tokens.get(role)}` } : {}),
          ...headers,
        }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>,
    });
  return {
    db,
    app,
    tokens,
    inject,
    get: (url, role, headers) =>
      inject({ method: 'GET', url, ...(role ? { role } : {}), ...(headers ? { headers } : {}) }),
    async close() {
      await app.close();
      await db.close();
    },
  };
}
