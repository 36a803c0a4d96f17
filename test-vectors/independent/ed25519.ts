/**
 * Ed25519 strict verification for validator votes, docs/crypto.md §8 (RFC 8032 §5.1 with the
 * `verify_strict` rules): canonical encodings of `A` and `R` (`y < p`, no "negative zero"
 * `x`), `S < ℓ`, `A` and `R` not of small order, and the cofactorless equation
 * `R == [S]B − [k]A` checked on encodings, `k = SHA-512(R ‖ A ‖ M) mod ℓ`.
 *
 * noble's own `ed25519.verify(…, { zip215: false })` is RFC 8032-strict on encodings, `S` and
 * small-order `A`, but it uses the *cofactored* equation and accepts a small-order `R`; both
 * differ from `verify_strict`, so the verdict is computed here from noble's point arithmetic.
 *
 * @module
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { bytesEqual, concat, expectLength, leToBigint, L, modL } from "./encoding.ts";
import { CryptoError } from "./errors.ts";

const EdPoint = ed25519.Point;
type EdPoint = InstanceType<typeof ed25519.Point>;

/**
 * Decodes an Edwards point per RFC 8032 §5.1.3 strictly (noble `fromBytes(…, zip215=false)`:
 * rejects `y ≥ p`, non-square `x²`, and `x = 0` with the sign bit set).
 *
 * @returns the point, or undefined if the encoding is not canonical / not on the curve.
 */
function decodeEdStrict(bytes: Uint8Array): EdPoint | undefined {
  try {
    return EdPoint.fromBytes(bytes, false);
  } catch {
    return undefined;
  }
}

/**
 * Public key from a 32-byte seed (RFC 8032 §5.1.5), via noble.
 *
 * @param seed - 32 bytes.
 * @returns the 32-byte public key.
 * @throws {@link CryptoError} `INVALID_LENGTH`.
 */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  expectLength(seed, 32, "seed");
  return ed25519.getPublicKey(seed);
}

/**
 * Deterministic RFC 8032 §5.1.6 signature, via noble.
 *
 * @param seed - 32 bytes.
 * @param msg - any message.
 * @returns 64 bytes `R ‖ S`.
 * @throws {@link CryptoError} `INVALID_LENGTH`.
 */
export function ed25519Sign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  expectLength(seed, 32, "seed");
  return ed25519.sign(msg, seed);
}

/**
 * Strict Ed25519 verification (docs/crypto.md §8).
 *
 * @param publicKey - 32 bytes.
 * @param msg - any message.
 * @param sig - 64 bytes `R ‖ S`.
 * @throws {@link CryptoError} `INVALID_LENGTH` (key not 32 or signature not 64 bytes);
 *   `INVALID_POINT` (public key not a canonical curve point); `WEAK_KEY` (small-order public
 *   key); `INVALID_SIGNATURE` (non-canonical or small-order `R`, `S ≥ ℓ`, or the equation fails).
 */
export function ed25519VerifyStrict(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): void {
  expectLength(publicKey, 32, "publicKey");
  expectLength(sig, 64, "signature");
  const A = decodeEdStrict(publicKey);
  if (A === undefined) throw new CryptoError("INVALID_POINT", "public key is not a canonical Edwards point");
  if (A.isSmallOrder()) throw new CryptoError("WEAK_KEY", "small-order public key");
  const rBytes = sig.subarray(0, 32);
  const R = decodeEdStrict(rBytes);
  if (R === undefined) throw new CryptoError("INVALID_SIGNATURE", "R is not a canonical Edwards point");
  if (R.isSmallOrder()) throw new CryptoError("INVALID_SIGNATURE", "small-order R");
  const S = leToBigint(sig.subarray(32, 64));
  if (S >= L) throw new CryptoError("INVALID_SIGNATURE", "S ≥ ℓ");
  const k = modL(leToBigint(sha512(concat(rBytes, publicKey, msg))));
  const expectedR = EdPoint.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(k));
  if (!bytesEqual(expectedR.toBytes(), rBytes)) throw new CryptoError("INVALID_SIGNATURE", "R ≠ [S]B − [k]A");
}

/**
 * noble's own verdict with `zip215: false` (cofactored, RFC 8032-strict encodings), for
 * cross-checking {@link ed25519VerifyStrict}.
 *
 * @param publicKey - 32 bytes.
 * @param msg - any message.
 * @param sig - 64 bytes.
 * @returns true iff noble accepts (false also on malformed lengths).
 */
export function nobleVerifyRfc8032(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  try {
    return ed25519.verify(sig, msg, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
