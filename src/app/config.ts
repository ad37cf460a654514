import { join } from 'node:path';
import { readOidcSettings, type OidcSettings } from '../access/oidc-settings.js';
import { RULE_PACK_IDS } from '../stays/load-rule-pack.js';

/** Settings from the environment, validated at start: a bad value stops the start with a clear message. */
export interface Config {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly ephemeral: boolean;
  readonly host: string;
  readonly port: number;
  readonly rulePack: string;
  readonly asOf: string | undefined;
  readonly demoPeople: number;
  readonly demoPassword: string | undefined;
  /** The Ed25519 key that signs audit checkpoints (PEM; created on first use). Default: <data>/audit-signing-key.pem. */
  readonly auditKeyFile: string;
  /** OpenID Connect sign-in (IMOS_OIDC_*); null: local accounts only. */
  readonly oidc: OidcSettings | null;
  /** NATS with JetStream (NATS_URL) for the observation stream; undefined: none (docs/streaming.md). */
  readonly natsUrl: string | undefined;
  /** Names the streams (IMOS_STREAM_PREFIX, default IMOS), so installations sharing a server do not meet. */
  readonly streamPrefix: string;
}

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const databaseUrl = env['DATABASE_URL'] || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT "${env['PORT']}" is not a port number`);
  const rulePack = env['IMOS_RULE_PACK'] ?? 'us';
  if (!(RULE_PACK_IDS as readonly string[]).includes(rulePack) && !rulePack.endsWith('.json')) {
    problems.push(`IMOS_RULE_PACK "${rulePack}" is not one of ${RULE_PACK_IDS.join(', ')} or a .json file`);
  }
  const asOf = env['IMOS_AS_OF'] || undefined;
  if (asOf && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    problems.push(`IMOS_AS_OF "${asOf}" must be a date YYYY-MM-DD`);
  const demoPeople = Number(env['IMOS_DEMO_PEOPLE'] ?? 10_000);
  if (!Number.isInteger(demoPeople) || demoPeople < 0)
    problems.push(`IMOS_DEMO_PEOPLE "${env['IMOS_DEMO_PEOPLE']}" must be a whole number`);
  const demoPassword = env['IMOS_DEMO_PASSWORD'] || undefined;
  if (demoPassword !== undefined && demoPassword.length < 12)
    problems.push('IMOS_DEMO_PASSWORD must have at least 12 characters');
  const natsUrl = env['NATS_URL'] || undefined;
  if (natsUrl && !/^(nats|tls):\/\/|^[\w.-]+:\d+$/.test(natsUrl))
    problems.push(`NATS_URL "${natsUrl}" must be nats://host:port (or host:port)`);
  const streamPrefix = env['IMOS_STREAM_PREFIX'] || 'IMOS';
  if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(streamPrefix))
    problems.push(`IMOS_STREAM_PREFIX "${streamPrefix}" must be upper-case letters, digits and _`);
  const oidc = readOidcSettings(env, { host: env['HOST'] ?? '127.0.0.1', port }, problems);
  if (problems.length > 0) throw new ConfigError(`Configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  return {
    databaseUrl,
    dataDir: env['IMOS_DATA_DIR'] ?? 'data',
    auditKeyFile: env['IMOS_AUDIT_KEY_FILE'] || join(env['IMOS_DATA_DIR'] ?? 'data', 'audit-signing-key.pem'),
    ephemeral: false,
    host: env['HOST'] ?? '127.0.0.1',
    port,
    rulePack,
    asOf,
    demoPeople,
    demoPassword,
    oidc,
    natsUrl,
    streamPrefix,
    ...overrides,
  };
}
