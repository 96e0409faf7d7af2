import { blake2b } from '@noble/hashes/blake2.js';

/** Crockford's base32 alphabet: 0-9 and A-Z without I, L, O and U. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The digits of `bytes` read as one big-endian number, most significant digit first, without
 * padding (as the old sender's services/hash.py writes them).
 */
export function crockfordBase32(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  if (value === 0n) return '0';
  let text = '';
  while (value > 0n) {
    text = CROCKFORD_ALPHABET[Number(value & 31n)] + text;
    value >>= 5n;
  }
  return text;
}

/**
 * HASH7 of a folder: the first 7 Crockford base32 digits of BLAKE2b with an 8-byte digest of
 * the folder's name. Node's crypto cannot do it: OpenSSL 3's blake2b512 refuses an
 * outputLength of 8, and BLAKE2b-8 is not a truncated BLAKE2b-512 (the length is hashed in).
 */
export function hash7(folderName: string): string {
  const digest = blake2b(new TextEncoder().encode(folderName), { dkLen: 8 });
  return crockfordBase32(digest).slice(0, 7);
}
