import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Signs audit checkpoints with Ed25519; the public key travels with every checkpoint and export. */
export interface AuditSigner {
  /** The public key, SPKI DER in base64: what an inspector is given to check checkpoints. */
  readonly publicKey: string;
  sign(message: string): string;
}

export function signerFromKey(privateKey: KeyObject): AuditSigner {
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    publicKey,
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
  };
}

/** A key that lives as long as the process (tests, an in-memory store). */
export function ephemeralSigner(): AuditSigner {
  return signerFromKey(generateKeyPairSync('ed25519').privateKey);
}

/**
 * The deployment's signing key from a PEM file, created (mode 0600) on first use. Production keeps it
 * outside the data folder, in a secret store mounted as a file (IMOS_AUDIT_KEY_FILE).
 */
export function fileSigner(path: string): AuditSigner {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const key = createPrivateKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is not an Ed25519 private key`);
  return signerFromKey(key);
}

/** The message a checkpoint signs: the chain position and its hash. */
export const checkpointMessage = (seq: string, hash: string) => `imos-audit-checkpoint:${seq}:${hash}`;

export function verifyCheckpointSignature(
  publicKey: string,
  seq: string,
  hash: string,
  signature: string,
): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(checkpointMessage(seq, hash)), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
