/**
 * Key images, docs/crypto.md §5: `Hp(P) = hash_to_point(DST_KeyImage, enc(P))` and
 * `I = x·Hp(P)`.
 *
 * @module
 */
import { decodePoint, decodeScalar, encodePoint, mul, mulBase, type Point } from "./encoding.ts";
import { CryptoError } from "./errors.ts";
import { hashToPoint, TAGS } from "./hash.ts";

/**
 * `Hp(P) = hash_to_point("BAIOS-v1-KeyImage_ristretto255_XMD:SHA-512_R255MAP_RO_", enc(P))`
 * (docs/crypto.md §5).
 *
 * @param p - a one-time key.
 */
export function hashToKeyImageBase(p: Point): Point {
  return hashToPoint(TAGS.keyImage, encodePoint(p));
}

/**
 * `I = x·Hp(P)` (docs/crypto.md §5), with `P = x·G` recomputed from `x`.
 *
 * @param x - one-time secret (scalar).
 * @returns the key image.
 */
export function keyImage(x: bigint): Point {
  return mul(hashToKeyImageBase(mulBase(x)), x);
}

/**
 * Checks a (secret, one-time key) pair and returns its key image, from encodings.
 *
 * @param secret - `enc(x)`, 32 bytes, canonical.
 * @param oneTimeKey - `enc(P)`, 32 bytes, not the identity.
 * @returns `I = x·Hp(P)`.
 * @throws {@link CryptoError} `INVALID_LENGTH`, `NON_CANONICAL_SCALAR`, `INVALID_POINT`,
 *   `IDENTITY_POINT`; `SIGNER_MISMATCH` if `x·G ≠ P`.
 */
export function keyImageFromEncodings(secret: Uint8Array, oneTimeKey: Uint8Array): Point {
  const x = decodeScalar(secret, "oneTimeSecret");
  const P = decodePoint(oneTimeKey, "oneTimeKey");
  if (!mulBase(x).equals(P)) throw new CryptoError("SIGNER_MISMATCH", "x·G ≠ P");
  return mul(hashToKeyImageBase(P), x);
}
