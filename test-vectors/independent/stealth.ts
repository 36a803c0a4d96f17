/**
 * CryptoNote dual-key stealth addresses, docs/crypto.md §4: wallet keys from a seed, the
 * shared derivation `D`, per-output derivation scalar, one-time key, view tag, amount
 * encryption, commitment mask, one-time secret, and view-only scanning with `(a, B)`.
 *
 * @module
 */
import {
  concat, decodePoint, encodePoint, encodeScalar, expectLength, leToBigint, modL, mul, mulBase,
  u64le, type Point,
} from "./encoding.ts";
import { h64, hs, TAGS } from "./hash.ts";
import { commit } from "./pedersen.ts";

/** A wallet's four keys (docs/crypto.md §4). */
export interface WalletKeys {
  /** Spend secret `b = Hs("BAIOS/v1/spend-key", seed32)`. */
  readonly spendSecret: bigint;
  /** View secret `a = Hs("BAIOS/v1/view-key", enc(b))`. */
  readonly viewSecret: bigint;
  /** Spend public `B = b·G`. */
  readonly spendPublic: Point;
  /** View public `A = a·G`. */
  readonly viewPublic: Point;
}

/**
 * Seed → keys (docs/crypto.md §4).
 *
 * @param seed - 32 bytes.
 * @throws {@link CryptoError} `INVALID_LENGTH` if the seed is not 32 bytes.
 */
export function walletFromSeed(seed: Uint8Array): WalletKeys {
  expectLength(seed, 32, "seed");
  const b = hs(TAGS.spendKey, seed);
  const a = hs(TAGS.viewKey, encodeScalar(b));
  return { spendSecret: b, viewSecret: a, spendPublic: mulBase(b), viewPublic: mulBase(a) };
}

/**
 * Sender side shared point `D = r·A` (docs/crypto.md §4).
 *
 * @param txSecret - tx secret key `r` (scalar).
 * @param viewPublic - recipient view public key `A`.
 */
export function senderDerivation(txSecret: bigint, viewPublic: Point): Point {
  return mul(viewPublic, txSecret);
}

/**
 * Receiver side shared point `D = a·R` (docs/crypto.md §4).
 *
 * @param viewSecret - view secret `a`.
 * @param txPublic - tx public key `R`.
 */
export function receiverDerivation(viewSecret: bigint, txPublic: Point): Point {
  return mul(txPublic, viewSecret);
}

/**
 * `s_i = Hs("BAIOS/v1/derive", enc(D) ‖ u64le(i))` (docs/crypto.md §4).
 *
 * @param derivation - `D`.
 * @param index - output index `i`, a u64.
 */
export function derivationScalar(derivation: Point, index: bigint): bigint {
  return hs(TAGS.derive, concat(encodePoint(derivation), u64le(index)));
}

/**
 * One-time address `P_i = s_i·G + B` (docs/crypto.md §4).
 *
 * @param s - derivation scalar `s_i`.
 * @param spendPublic - `B`.
 */
export function oneTimeKey(s: bigint, spendPublic: Point): Point {
  return mulBase(s).add(spendPublic);
}

/**
 * View tag `t_i = H64("BAIOS/v1/view-tag", enc(D) ‖ u64le(i))[0]` (docs/crypto.md §4).
 *
 * @param derivation - `D`.
 * @param index - output index `i`.
 * @returns one byte, 0..255.
 */
export function viewTag(derivation: Point, index: bigint): number {
  return h64(TAGS.viewTag, concat(encodePoint(derivation), u64le(index)))[0] as number;
}

/**
 * `e_i = u64le(v) XOR H64("BAIOS/v1/amount", enc(s_i))[0..8]` (docs/crypto.md §4). The same
 * function decrypts (XOR is an involution).
 *
 * @param amount8 - 8 bytes (`u64le(v)` or `e_i`).
 * @param s - derivation scalar `s_i`.
 * @returns 8 bytes.
 * @throws {@link CryptoError} `INVALID_LENGTH` unless `amount8` is 8 bytes.
 */
export function xorAmount(amount8: Uint8Array, s: bigint): Uint8Array {
  expectLength(amount8, 8, "encrypted amount");
  const pad = h64(TAGS.amount, encodeScalar(s));
  const out = new Uint8Array(8);
  for (let k = 0; k < 8; k++) out[k] = (amount8[k] as number) ^ (pad[k] as number);
  return out;
}

/**
 * Encrypts amount `v` for output scalar `s_i` (docs/crypto.md §4).
 *
 * @param amount - u64 atomic units.
 * @param s - derivation scalar.
 * @returns `e_i`, 8 bytes.
 */
export function encryptAmount(amount: bigint, s: bigint): Uint8Array {
  return xorAmount(u64le(amount), s);
}

/**
 * Decrypts `e_i` to the amount (docs/crypto.md §4).
 *
 * @param encrypted - 8 bytes.
 * @param s - derivation scalar.
 * @returns the u64 amount.
 * @throws {@link CryptoError} `INVALID_LENGTH`.
 */
export function decryptAmount(encrypted: Uint8Array, s: bigint): bigint {
  return leToBigint(xorAmount(encrypted, s));
}

/**
 * Commitment mask `y_i = Hs("BAIOS/v1/commitment-mask", enc(s_i))` (docs/crypto.md §4).
 *
 * @param s - derivation scalar.
 */
export function commitmentMask(s: bigint): bigint {
  return hs(TAGS.commitmentMask, encodeScalar(s));
}

/**
 * One-time secret `x_i = s_i + b mod ℓ` (docs/crypto.md §4).
 *
 * @param s - derivation scalar.
 * @param spendSecret - `b`.
 */
export function oneTimeSecret(s: bigint, spendSecret: bigint): bigint {
  return modL(s + spendSecret);
}

/** Everything the sender derives for one output (docs/crypto.md §4). */
export interface StealthOutput {
  /** Tx public key `R = r·G`. */
  readonly txPublic: Point;
  /** `D = r·A`. */
  readonly derivation: Point;
  /** `s_i`. */
  readonly derivationScalar: bigint;
  /** `P_i`. */
  readonly oneTimeKey: Point;
  /** `t_i` (0..255). */
  readonly viewTag: number;
  /** `e_i` (8 bytes). */
  readonly encryptedAmount: Uint8Array;
  /** `y_i`. */
  readonly commitmentMask: bigint;
  /** `C_i = y_i·G + v·H`. */
  readonly commitment: Point;
}

/**
 * Sender: builds output `i` paying `amount` to address `(A, B)` with tx secret `r`.
 *
 * @param txSecret - `r`.
 * @param viewPublic - `A`.
 * @param spendPublic - `B`.
 * @param index - output index `i` (u64).
 * @param amount - u64 atomic units.
 */
export function makeOutput(txSecret: bigint, viewPublic: Point, spendPublic: Point, index: bigint, amount: bigint): StealthOutput {
  const D = senderDerivation(txSecret, viewPublic);
  const s = derivationScalar(D, index);
  const y = commitmentMask(s);
  return {
    txPublic: mulBase(txSecret),
    derivation: D,
    derivationScalar: s,
    oneTimeKey: oneTimeKey(s, spendPublic),
    viewTag: viewTag(D, index),
    encryptedAmount: encryptAmount(amount, s),
    commitmentMask: y,
    commitment: commit(amount, y),
  };
}

/** Outcome of {@link scanOutput}. */
export type ScanResult =
  | { readonly status: "ours"; readonly amount: bigint; readonly derivationScalar: bigint; readonly commitmentMask: bigint }
  | { readonly status: "view-tag-mismatch" }
  | { readonly status: "not-ours" }
  | { readonly status: "commitment-mismatch"; readonly amount: bigint };

/**
 * View-only scan (docs/crypto.md §4): with `(a, B)` compute `D = a·R`, compare the view tag,
 * compute `s_i`, check `P_i − s_i·G == B`, decrypt `v` and check `C_i == y_i·G + v·H`.
 * It cannot compute `x_i` or key images.
 *
 * Point arguments are 32-byte encodings and are decoded strictly (identity rejected).
 *
 * @param viewSecret - `a`.
 * @param spendPublic - `enc(B)`, 32 bytes.
 * @param txPublic - `enc(R)`, 32 bytes.
 * @param index - output index (u64).
 * @param oneTimeKeyBytes - `enc(P_i)`, 32 bytes.
 * @param tag - view tag byte `t_i`.
 * @param encrypted - `e_i`, 8 bytes.
 * @param commitmentBytes - `enc(C_i)`, 32 bytes.
 * @throws {@link CryptoError} `INVALID_LENGTH`, `INVALID_POINT`, `IDENTITY_POINT` on undecodable input.
 */
export function scanOutput(
  viewSecret: bigint, spendPublic: Uint8Array, txPublic: Uint8Array, index: bigint,
  oneTimeKeyBytes: Uint8Array, tag: number, encrypted: Uint8Array, commitmentBytes: Uint8Array,
): ScanResult {
  const B = decodePoint(spendPublic, "spendPublic");
  const R = decodePoint(txPublic, "txPublic");
  const P = decodePoint(oneTimeKeyBytes, "oneTimeKey");
  const C = decodePoint(commitmentBytes, "commitment");
  expectLength(encrypted, 8, "encryptedAmount");
  const D = receiverDerivation(viewSecret, R);
  if (viewTag(D, index) !== tag) return { status: "view-tag-mismatch" };
  const s = derivationScalar(D, index);
  if (!P.subtract(mulBase(s)).equals(B)) return { status: "not-ours" };
  const amount = decryptAmount(encrypted, s);
  const y = commitmentMask(s);
  if (!commit(amount, y).equals(C)) return { status: "commitment-mismatch", amount };
  return { status: "ours", amount, derivationScalar: s, commitmentMask: y };
}
