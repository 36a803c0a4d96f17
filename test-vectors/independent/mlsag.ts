/**
 * MLSAG ("MLSAG simple", two rows), docs/crypto.md §5. Verification with every rejection of
 * the spec, and a deterministic signer (randomness supplied by the caller) used by the
 * self-tests.
 *
 * Sources: Noether, "Ring Confidential Transactions", Ledger 2016, §4 and §4.4; Zero to
 * Monero 2.0 §3.5 and §6.2.2.
 *
 * @module
 */
import {
  concat, toHex, decodePoint, decodeScalar, encodePoint, encodeScalar, expectLength, modL,
  mul, mulBase, u32le, type Point,
} from "./encoding.ts";
import { CryptoError } from "./errors.ts";
import { h64, hs, TAGS } from "./hash.ts";
import { hashToKeyImageBase } from "./keyimage.ts";

/** Smallest ring accepted by this primitive (§5; the chain's minimum of 11 is enforced elsewhere). */
export const MIN_RING = 1;
/** Largest ring accepted (§5). */
export const MAX_RING = 256;

/** One ring member, as 32-byte encodings. */
export interface RingMemberBytes {
  /** `enc(P_j)`, 32 bytes. */
  readonly key: Uint8Array;
  /** `enc(C_j)`, 32 bytes. */
  readonly commitment: Uint8Array;
}

/**
 * Signature length for a ring of `n`: `32 + 64·n` bytes (736 for n = 11).
 *
 * @param n - ring size.
 */
export function signatureLength(n: number): number {
  return 32 + 64 * n;
}

/**
 * `μ = H64("BAIOS/v1/mlsag-ring", m ‖ u32le(n) ‖ enc(P_0..P_{n−1}) ‖ enc(C_0..C_{n−1}) ‖ enc(C') ‖ enc(I))`.
 *
 * @returns 64 bytes.
 */
function ringDigest(m: Uint8Array, ring: readonly RingMemberBytes[], pseudoOut: Uint8Array, keyImage: Uint8Array): Uint8Array {
  return h64(TAGS.mlsagRing, concat(
    m, u32le(ring.length), ...ring.map((r) => r.key), ...ring.map((r) => r.commitment), pseudoOut, keyImage,
  ));
}

/** `c(L1, R1, L2) = Hs("BAIOS/v1/mlsag-challenge", μ ‖ enc(L1) ‖ enc(R1) ‖ enc(L2))`. */
function challenge(mu: Uint8Array, l1: Point, r1: Point, l2: Point): bigint {
  return hs(TAGS.mlsagChallenge, concat(mu, encodePoint(l1), encodePoint(r1), encodePoint(l2)));
}

/**
 * Verifies an MLSAG signature (docs/crypto.md §5). Before any curve arithmetic it rejects,
 * in this order: ring size outside `1..=256` (`RING_SIZE`); a message that is not 32 bytes, a
 * signature that is not `32 + 64·n` bytes, or a ring member, commitment, pseudo-output or
 * key image that is not 32 bytes (`INVALID_LENGTH`); a scalar `≥ ℓ` (`NON_CANONICAL_SCALAR`);
 * an undecodable point (`INVALID_POINT`) or the identity (`IDENTITY_POINT`) among ring keys,
 * ring commitments, the pseudo-output and the key image; two equal ring keys `P_j`
 * (`DUPLICATE_RING_MEMBER`). Then it recomputes the challenge chain from `c_0` and accepts
 * iff it returns to `c_0`.
 *
 * @param message - `m`, 32 bytes (the transaction signing hash).
 * @param ring - `n` members `(enc(P_j), enc(C_j))`.
 * @param pseudoOut - `enc(C')`, 32 bytes.
 * @param keyImage - `enc(I)`, 32 bytes.
 * @param signature - `enc(c_0) ‖ enc(s1_0) ‖ enc(s2_0) ‖ … ‖ enc(s1_{n−1}) ‖ enc(s2_{n−1})`.
 * @throws {@link CryptoError} the codes above, or `INVALID_SIGNATURE` if the chain does not close.
 */
export function verifyMlsag(
  message: Uint8Array, ring: readonly RingMemberBytes[], pseudoOut: Uint8Array, keyImage: Uint8Array, signature: Uint8Array,
): void {
  const n = ring.length;
  if (n < MIN_RING || n > MAX_RING) throw new CryptoError("RING_SIZE", `ring size ${n} outside 1..=256`);
  expectLength(message, 32, "message");
  expectLength(signature, signatureLength(n), "signature");
  ring.forEach((r, j) => {
    expectLength(r.key, 32, `ring[${j}].key`);
    expectLength(r.commitment, 32, `ring[${j}].commitment`);
  });
  expectLength(pseudoOut, 32, "pseudoOut");
  expectLength(keyImage, 32, "keyImage");

  const c0 = decodeScalar(signature.subarray(0, 32), "c_0");
  const s1: bigint[] = [];
  const s2: bigint[] = [];
  for (let j = 0; j < n; j++) {
    s1.push(decodeScalar(signature.subarray(32 + 64 * j, 64 + 64 * j), `s1_${j}`));
    s2.push(decodeScalar(signature.subarray(64 + 64 * j, 96 + 64 * j), `s2_${j}`));
  }

  const P = ring.map((r, j) => decodePoint(r.key, `ring[${j}].key`));
  const C = ring.map((r, j) => decodePoint(r.commitment, `ring[${j}].commitment`));
  const Cp = decodePoint(pseudoOut, "pseudoOut");
  const I = decodePoint(keyImage, "keyImage");

  // Canonical encodings: byte equality is point equality.
  const seen = new Set<string>();
  for (const r of ring) {
    const k = toHex(r.key);
    if (seen.has(k)) throw new CryptoError("DUPLICATE_RING_MEMBER", `ring key ${k} appears twice`);
    seen.add(k);
  }

  const mu = ringDigest(message, ring, pseudoOut, keyImage);
  let c = c0;
  for (let j = 0; j < n; j++) {
    const Pj = P[j] as Point;
    const Zj = (C[j] as Point).subtract(Cp);
    const l1 = mulBase(s1[j] as bigint).add(mul(Pj, c));
    const r1 = mul(hashToKeyImageBase(Pj), s1[j] as bigint).add(mul(I, c));
    const l2 = mulBase(s2[j] as bigint).add(mul(Zj, c));
    c = challenge(mu, l1, r1, l2);
  }
  if (c !== c0) throw new CryptoError("INVALID_SIGNATURE", "MLSAG challenge chain does not close");
}

/**
 * Boolean form of {@link verifyMlsag}: false on any {@link CryptoError}; same parameters.
 *
 * @returns true iff the signature verifies.
 */
export function isValidMlsag(
  message: Uint8Array, ring: readonly RingMemberBytes[], pseudoOut: Uint8Array, keyImage: Uint8Array, signature: Uint8Array,
): boolean {
  try {
    verifyMlsag(message, ring, pseudoOut, keyImage, signature);
    return true;
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
}

/** Output of {@link signMlsag}. */
export interface MlsagSignature {
  /** `enc(I)`, 32 bytes. */
  readonly keyImage: Uint8Array;
  /** `32 + 64·n` bytes. */
  readonly signature: Uint8Array;
}

/**
 * Signs per docs/crypto.md §5 (test helper: the randomness `α, β, s1_j, s2_j` comes from
 * `randomScalar`, so tests are reproducible; variable-time arithmetic, not for real keys).
 *
 * @param message - 32 bytes.
 * @param ring - ring members as encodings (decoded strictly).
 * @param pseudoOut - `enc(C')`.
 * @param index - secret index `π`.
 * @param x - `x` with `P_π = x·G`.
 * @param z - `z` with `C_π − C' = z·G`.
 * @param randomScalar - source of uniform scalars in `[0, ℓ)`.
 * @throws {@link CryptoError} `RING_SIZE`, `INVALID_LENGTH`, decoding codes, `SIGNER_INDEX`
 *   (π outside the ring), `SIGNER_MISMATCH` (x or z do not match member π).
 */
export function signMlsag(
  message: Uint8Array, ring: readonly RingMemberBytes[], pseudoOut: Uint8Array,
  index: number, x: bigint, z: bigint, randomScalar: () => bigint,
): MlsagSignature {
  const n = ring.length;
  if (n < MIN_RING || n > MAX_RING) throw new CryptoError("RING_SIZE", `ring size ${n} outside 1..=256`);
  expectLength(message, 32, "message");
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new CryptoError("SIGNER_INDEX", `index ${index} outside ring`);
  const P = ring.map((r, j) => decodePoint(r.key, `ring[${j}].key`));
  const C = ring.map((r, j) => decodePoint(r.commitment, `ring[${j}].commitment`));
  const Cp = decodePoint(pseudoOut, "pseudoOut");
  const Ppi = P[index] as Point;
  if (!mulBase(x).equals(Ppi) || !mulBase(z).equals((C[index] as Point).subtract(Cp))) {
    throw new CryptoError("SIGNER_MISMATCH", "secret keys do not match ring member π");
  }
  const I = mul(hashToKeyImageBase(Ppi), x);
  const Ienc = encodePoint(I);
  const mu = ringDigest(message, ring, pseudoOut, Ienc);
  const c: bigint[] = new Array<bigint>(n).fill(0n);
  const s1: bigint[] = new Array<bigint>(n).fill(0n);
  const s2: bigint[] = new Array<bigint>(n).fill(0n);
  const alpha = randomScalar();
  const beta = randomScalar();
  c[(index + 1) % n] = challenge(mu, mulBase(alpha), mul(hashToKeyImageBase(Ppi), alpha), mulBase(beta));
  for (let k = 1; k < n; k++) {
    const j = (index + k) % n;
    const Pj = P[j] as Point;
    const cj = c[j] as bigint;
    const a1 = randomScalar();
    const a2 = randomScalar();
    s1[j] = a1;
    s2[j] = a2;
    const l1 = mulBase(a1).add(mul(Pj, cj));
    const r1 = mul(hashToKeyImageBase(Pj), a1).add(mul(I, cj));
    const l2 = mulBase(a2).add(mul((C[j] as Point).subtract(Cp), cj));
    c[(j + 1) % n] = challenge(mu, l1, r1, l2);
  }
  const cpi = c[index] as bigint;
  s1[index] = modL(alpha - cpi * x);
  s2[index] = modL(beta - cpi * z);
  const parts: Uint8Array[] = [encodeScalar(c[0] as bigint)];
  for (let j = 0; j < n; j++) parts.push(encodeScalar(s1[j] as bigint), encodeScalar(s2[j] as bigint));
  const signature = concat(...parts);
  return { keyImage: Ienc, signature };
}
