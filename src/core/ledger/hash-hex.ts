import { hash } from 'node:crypto';

/** 64 zeros: the `prevHash` of entry 1 and the `prevCheckpointHash` of an organisation's first checkpoint. */
export const ZERO_HASH = '0'.repeat(64);

const hashHexPattern = /^[0-9a-f]{64}$/;

/** Lowercase hex SHA-256 of a UTF-8 string or of raw bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** Whether `value` is a SHA-256 digest written as exactly 64 lowercase hex digits. */
export function isHashHex(value: unknown): value is string {
  return typeof value === 'string' && hashHexPattern.test(value);
}
