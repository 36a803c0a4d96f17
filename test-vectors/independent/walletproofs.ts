/**
 * Subaddresses (docs/crypto.md §11) and the two-base Schnorr (DLEQ) wallet proofs of §12: tx
 * proofs, signed key images and reserve-proof derivation proofs. Independent of the Rust crate:
 * built on `@noble/curves` through this directory's encoding and hashing modules only.
 *
 * @module
 */
import { concat, decodePoint, decodeScalar, encodePoint, encodeScalar, expectLength, G, modL, mul, mulBase, u32le, type Point } from "./encoding.ts";
import { CryptoError } from "./errors.ts";
import { hs } from "./hash.ts";
import { hashToKeyImageBase } from "./keyimage.ts";

/** The tags of §11–§12 (ASCII). */
export const WALLET_TAGS = {
  subaddress: "BAIOS/v1/subaddress",
  txProof: "BAIOS/v1/tx-proof",
  keyImageProof: "BAIOS/v1/key-image-proof",
  reserveProof: "BAIOS/v1/reserve-proof",
} as const;

/**
 * `m = Hs("BAIOS/v1/subaddress", enc(a) ‖ u32le(i) ‖ u32le(j))`, zero for (0, 0) (§11).
 *
 * @param a - view secret.
 * @param i - account (u32).
 * @param j - index (u32).
 */
export function subaddressScalar(a: bigint, i: number, j: number): bigint {
  if (i === 0 && j === 0) return 0n;
  return hs(WALLET_TAGS.subaddress, concat(encodeScalar(a), u32le(i), u32le(j)));
}

/**
 * The subaddress `(C, D)`: `D = B + m·G`, `C = a·D`; `(a·G, B)` for (0, 0) (§11).
 *
 * @param a - view secret.
 * @param B - spend public key.
 * @param i - account.
 * @param j - index.
 */
export function subaddress(a: bigint, B: Point, i: number, j: number): { view: Point; spend: Point } {
  if (i === 0 && j === 0) return { view: mulBase(a), spend: B };
  const D = B.add(mulBase(subaddressScalar(a, i, j)));
  return { view: mul(D, a), spend: D };
}

/**
 * Verifies a 64-byte DLEQ proof `enc(c) ‖ enc(s)` of `U = w·X`, `V = w·Y` over `ctx` (§12):
 * `T1 = s·X + c·U`, `T2 = s·Y + c·V`, `c == Hs(tag, X ‖ Y ‖ U ‖ V ‖ T1 ‖ T2 ‖ ctx)`.
 *
 * @throws {@link CryptoError} `INVALID_LENGTH`, `NON_CANONICAL_SCALAR`, `INVALID_SIGNATURE`.
 */
export function dleqVerify(tag: string, X: Point, Y: Point, U: Point, V: Point, ctx: Uint8Array, proof: Uint8Array, what: string): void {
  expectLength(proof, 64, what);
  const c = decodeScalar(proof.subarray(0, 32), "proof challenge");
  const s = decodeScalar(proof.subarray(32, 64), "proof response");
  const T1 = mul(X, s).add(mul(U, c));
  const T2 = mul(Y, s).add(mul(V, c));
  const e = hs(tag, concat(encodePoint(X), encodePoint(Y), encodePoint(U), encodePoint(V), encodePoint(T1), encodePoint(T2), ctx));
  if (e !== modL(c)) throw new CryptoError("INVALID_SIGNATURE", `${what} does not verify`);
}

/**
 * Checks a 96-byte tx proof `enc(K) ‖ c ‖ s` (§12.1) and returns `K`.
 *
 * @param R - the tx public key from the chain.
 * @param txid - 32 bytes.
 * @param address - 64 bytes `enc(A|C) ‖ enc(B|D)`.
 * @param isSub - whether the address is a subaddress (bases `D, C`) or not (`G, A`).
 * @param message - the signed message bytes.
 * @param proof - 96 bytes.
 */
export function checkTxProof(R: Point, txid: Uint8Array, address: Uint8Array, isSub: boolean, message: Uint8Array, proof: Uint8Array): Point {
  expectLength(address, 64, "address");
  expectLength(proof, 96, "tx proof");
  const view = decodePoint(address.subarray(0, 32), "view public key");
  const spend = decodePoint(address.subarray(32, 64), "spend public key");
  const K = decodePoint(proof.subarray(0, 32), "tx proof shared point");
  const [X, Y] = isSub ? [spend, view] : [G, view];
  const ctx = concat(txid, address, Uint8Array.of(isSub ? 1 : 0), message);
  dleqVerify(WALLET_TAGS.txProof, X, Y, R, K, ctx, proof.subarray(32), "tx proof");
  return K;
}

/** Checks a 96-byte signed key image `enc(I) ‖ c ‖ s` for `P` (§12.2); returns `I`. */
export function checkKeyImageProof(P: Point, ctx: Uint8Array, proof: Uint8Array): Point {
  expectLength(proof, 96, "key image proof");
  const I = decodePoint(proof.subarray(0, 32), "key image");
  dleqVerify(WALLET_TAGS.keyImageProof, G, hashToKeyImageBase(P), P, I, ctx, proof.subarray(32), "key image proof");
  return I;
}

/** Checks a 96-byte derivation proof `enc(K) ‖ c ‖ s` against `A`, `R` (§12.3); returns `K`. */
export function checkDerivationProof(A: Point, R: Point, ctx: Uint8Array, proof: Uint8Array): Point {
  expectLength(proof, 96, "derivation proof");
  const K = decodePoint(proof.subarray(0, 32), "derivation K");
  dleqVerify(WALLET_TAGS.reserveProof, G, R, A, K, ctx, proof.subarray(32), "derivation proof");
  return K;
}

