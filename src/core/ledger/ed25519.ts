import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { err, ok, type Result } from '../result.ts';
import { sha256Hex } from './hash-hex.ts';
import type { LedgerSigner } from './ledger-signer.ts';

/** A fresh Ed25519 key pair as PKCS#8 (private) and SPKI (public) PEM. Randomness comes from node:crypto. */
export function generateEd25519KeyPair(): { readonly privateKeyPem: string; readonly publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: spkiPem(publicKey),
  };
}

/**
 * A LedgerSigner over an Ed25519 private key in PKCS#8 PEM.
 * @throws Error when the PEM is not an Ed25519 private key.
 */
export function createEd25519Signer(privateKeyPem: string): LedgerSigner {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('createEd25519Signer: the key is not an Ed25519 private key');
  const publicKeyPem = spkiPem(createPublicKey(privateKey));
  return {
    keyId: ed25519KeyId(publicKeyPem),
    publicKeyPem,
    sign: (data) => sign(null, data, privateKey),
  };
}

/** The one PEM text of an Ed25519 public key (SPKI, LF line ends), or a reason why `pem` is not one. */
export function canonicalPublicKeyPem(pem: string): Result<string, string> {
  const key = publicKeyOf(pem);
  return key === undefined ? err('not an Ed25519 public key in PEM') : ok(spkiPem(key));
}

/** Key id: the first 16 hex digits of SHA-256 over the key's SPKI DER bytes. */
export function ed25519KeyId(publicKeyPem: string): string {
  const key = publicKeyOf(publicKeyPem);
  if (key === undefined) throw new Error('ed25519KeyId: not an Ed25519 public key in PEM');
  return sha256Hex(key.export({ type: 'spki', format: 'der' })).slice(0, 16);
}

/** Whether `signature` is a valid Ed25519 signature of `data` by the public key `publicKeyPem`; false for a bad key. */
export function verifyEd25519(data: Uint8Array, signature: Uint8Array, publicKeyPem: string): boolean {
  const key = publicKeyOf(publicKeyPem);
  if (key === undefined || signature.length !== 64) return false;
  return verify(null, data, key, signature);
}

function publicKeyOf(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

function spkiPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}
