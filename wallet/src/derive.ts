/**
 * Output derivation from the receiver's and from the sender's side (docs/crypto.md §4), built on
 * the crypto primitives. Used where the one-call `scanOutputs` does not fit: coinbase outputs
 * (public amount, no encrypted amount), transactions with one tx public key per output, and the
 * tx-key payment proof (the checker knows `D = r·A`, not `a`).
 * @module
 */
import { checkPoint, commit, h64, hashToScalar, pointSub, scalarMult, scalarMultBase } from "@baios/crypto";
import { bytesEqual } from "./hex.ts";

const u64le = (i: number | bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(i), true);
  return b;
};
const cat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
};

/** The scalar 1 (coinbase commitments are `1·G + amount·H`). */
export const ONE_SCALAR: Uint8Array = (() => {
  const s = new Uint8Array(32);
  s[0] = 1;
  return s;
})();

/** Shared point `D = k·P` (`a·R` for the receiver, `r·A` for the sender). */
export const sharedPoint = (k: Uint8Array, p: Uint8Array): Uint8Array => scalarMult(k, p);

export const viewTagOf = (d: Uint8Array, i: number): number => h64("BAIOS/v1/view-tag", cat(d, u64le(i)))[0]!;
export const derivationScalar = (d: Uint8Array, i: number): Uint8Array => hashToScalar("BAIOS/v1/derive", cat(d, u64le(i)));

/** Does output `i` with one-time key `P` belong to spend key `B`, given the shared point `D`? Returns `s_i` or undefined. */
export function matchOutput(d: Uint8Array, i: number, oneTimeKey: Uint8Array, viewTag: number | undefined, spendPublic: Uint8Array): Uint8Array | undefined {
  if (viewTag !== undefined && viewTagOf(d, i) !== viewTag) return undefined;
  const s = derivationScalar(d, i);
  try {
    return bytesEqual(pointSub(oneTimeKey, scalarMultBase(s)), spendPublic) ? s : undefined;
  } catch {
    return undefined; // identity difference etc.: not ours
  }
}

/** Decrypts an amount and opens the commitment; undefined when it does not open. */
export function openAmount(s: Uint8Array, encryptedAmount: Uint8Array, commitment: Uint8Array): { amount: bigint; mask: Uint8Array } | undefined {
  const pad = h64("BAIOS/v1/amount", s);
  const plain = new Uint8Array(8);
  for (let k = 0; k < 8; k++) plain[k] = encryptedAmount[k]! ^ pad[k]!;
  const amount = new DataView(plain.buffer).getBigUint64(0, true);
  const mask = hashToScalar("BAIOS/v1/commitment-mask", s);
  return bytesEqual(commit(amount, mask), commitment) ? { amount, mask } : undefined;
}

/** True when `p` decodes as a valid non-identity point. */
export function isPoint(p: Uint8Array): boolean {
  try {
    checkPoint(p);
    return true;
  } catch {
    return false;
  }
}
