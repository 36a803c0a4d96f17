/**
 * Pedersen commitments, docs/crypto.md §3: generator `H`, `C = r·G + v·H`, balance check.
 *
 * @module
 */
import { encodePoint, G, mul, mulBase, type Point, IDENTITY, L } from "./encoding.ts";
import { hashToPoint, TAGS } from "./hash.ts";

/** Largest amount + 1: amounts are u64 atomic units (§3). */
export const AMOUNT_LIMIT = 1n << 64n;

let cachedH: Point | undefined;

/**
 * The value generator `H = hash_to_point("BAIOS-v1-PedersenH_ristretto255_XMD:SHA-512_R255MAP_RO_",
 * enc(G))` (docs/crypto.md §3). Computed once and cached.
 *
 * @returns the point `H` (encodes to 32 bytes; pinned in pedersen.json).
 */
export function pedersenH(): Point {
  cachedH ??= hashToPoint(TAGS.pedersenH, encodePoint(G));
  return cachedH;
}

/**
 * `C = r·G + v·H` (docs/crypto.md §3).
 *
 * @param value - amount `v` in atomic units, `[0, 2^64)`.
 * @param mask - blinding factor `r`, a scalar in `[0, ℓ)`.
 * @returns the commitment point (may be the identity only for `v = r = 0`).
 * @throws RangeError if `value` is not a u64 or `mask` not reduced (programming errors).
 */
export function commit(value: bigint, mask: bigint): Point {
  if (value < 0n || value >= AMOUNT_LIMIT) throw new RangeError("amount is not a u64");
  if (mask < 0n || mask >= L) throw new RangeError("mask not reduced mod ℓ");
  return mulBase(mask).add(mul(pedersenH(), value));
}

/**
 * Balance check `Σ C'_k == Σ C_j + f·H` (docs/crypto.md §3). Inputs must already be decoded
 * (decoding, with identity rejection, is the caller's job and throws the §9 codes).
 *
 * @param pseudoOuts - pseudo-output commitments `C'_k`.
 * @param outputs - output commitments `C_j`.
 * @param fee - plaintext fee `f`, a u64.
 * @returns true iff the equation holds.
 * @throws RangeError if `fee` is not a u64.
 */
export function balanceCheck(pseudoOuts: readonly Point[], outputs: readonly Point[], fee: bigint): boolean {
  if (fee < 0n || fee >= AMOUNT_LIMIT) throw new RangeError("fee is not a u64");
  let lhs = IDENTITY;
  for (const c of pseudoOuts) lhs = lhs.add(c);
  let rhs = mul(pedersenH(), fee);
  for (const c of outputs) rhs = rhs.add(c);
  return lhs.equals(rhs);
}
