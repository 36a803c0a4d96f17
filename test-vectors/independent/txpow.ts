/**
 * Transaction proof-of-work, docs/crypto.md §7: SHA3-256 over a tagged 40-byte header,
 * compared big-endian with a 256-bit target.
 *
 * @module
 */
import { sha3_256 } from "@noble/hashes/sha3.js";
import { ascii, beToBigint, concat, expectLength, u64le } from "./encoding.ts";
import { CryptoError } from "./errors.ts";
import { TAGS } from "./hash.ts";

/**
 * PoW header `txid (32) ‖ u64le(nonce)`, 40 bytes (§7).
 *
 * @param txid - 32 bytes.
 * @param nonce - u64.
 * @throws {@link CryptoError} `INVALID_LENGTH` if `txid` is not 32 bytes.
 */
export function powHeader(txid: Uint8Array, nonce: bigint): Uint8Array {
  expectLength(txid, 32, "txid");
  return concat(txid, u64le(nonce));
}

/**
 * `pow_hash = SHA3-256(u8(14) ‖ "BAIOS/v1/txpow" ‖ txid ‖ u64le(nonce))` (§7).
 *
 * @param txid - 32 bytes.
 * @param nonce - u64.
 * @returns 32 bytes.
 * @throws {@link CryptoError} `INVALID_LENGTH`.
 */
export function powHash(txid: Uint8Array, nonce: bigint): Uint8Array {
  const tag = ascii(TAGS.txpow);
  return sha3_256(concat(Uint8Array.of(tag.length), tag, powHeader(txid, nonce)));
}

/**
 * Verifies a Tx-PoW (§7): valid iff `pow_hash`, read as a 256-bit big-endian integer, is
 * `≤ target` (32-byte big-endian).
 *
 * @param txid - 32 bytes.
 * @param nonce - u64.
 * @param target - 32 bytes, big-endian.
 * @returns the 32-byte `pow_hash`.
 * @throws {@link CryptoError} `INVALID_LENGTH` (txid or target not 32 bytes), `POW_INSUFFICIENT`.
 */
export function verifyTxPow(txid: Uint8Array, nonce: bigint, target: Uint8Array): Uint8Array {
  expectLength(target, 32, "target");
  const h = powHash(txid, nonce);
  if (beToBigint(h) > beToBigint(target)) throw new CryptoError("POW_INSUFFICIENT", "pow_hash > target");
  return h;
}

/**
 * Expected number of hashes to meet `target`: `2^256 / (target + 1)` (§7), as a float
 * (informational).
 *
 * @param target - 32 bytes, big-endian.
 */
export function expectedWork(target: Uint8Array): number {
  return Number((1n << 256n) / (beToBigint(target) + 1n));
}
