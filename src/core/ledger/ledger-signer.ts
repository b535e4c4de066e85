/**
 * Port: signs checkpoint bodies. The core never sees where the private key lives (a file, an HSM, a KMS);
 * `createEd25519Signer` is the node:crypto adapter.
 */
export interface LedgerSigner {
  /** Identifies the key: `ed25519KeyId(publicKeyPem)` for the adapters here. */
  readonly keyId: string;
  /** The public key as SPKI PEM, exactly as `canonicalPublicKeyPem` writes it. */
  readonly publicKeyPem: string;
  /** Ed25519 signature (64 bytes) over `data`. */
  sign(data: Uint8Array): Uint8Array;
}
