import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createEd25519Signer, generateEd25519KeyPair } from '../core/ledger/ed25519.ts';
import type { LedgerSigner } from '../core/ledger/ledger-signer.ts';

/**
 * The Ed25519 key that signs ledger checkpoints, from `file`; created (mode 0600) on first start.
 * Keep it outside the database: whoever holds both could re-sign a rewritten history.
 */
export function loadLedgerSigner(file: string): LedgerSigner {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, generateEd25519KeyPair().privateKeyPem, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return createEd25519Signer(readFileSync(file, 'utf8'));
}
