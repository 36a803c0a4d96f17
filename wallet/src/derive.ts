/**
 * Output derivation from the receiver's and from the sender's side (docs/crypto.md §4), for the
 * cases the one-call `scanOutputs` does not fit: coinbase and premine outputs (public amount,
 * mask 1), transactions with one tx public key per output, and the tx-key payment proof (the
 * checker knows `D = r·A`, not `a`). All maths is in the crypto core; this adapts its API to the
 * wallet's "not ours → undefined" style.
 * @module
 */
import { CryptoError, matchOutput as coreMatch, openAmount as coreOpen, scalarMult, viewTag } from "@baios/crypto";

/** The scalar 1 (coinbase commitments are `1·G + amount·H`), 32 bytes little-endian. */
export const ONE_SCALAR: Uint8Array = (() => {
  const s = new Uint8Array(32);
  s[0] = 1;
  return s;
})();

/** Shared point `D = k·P` (`a·R` for the receiver, `r·A` for the sender), 32 bytes. */
export const sharedPoint = (k: Uint8Array, p: Uint8Array): Uint8Array => scalarMult(k, p);

/** Runs a core call, turning a rejected encoding (e.g. a malformed key on chain) into "not ours". */
function orUndefined<T>(f: () => T | undefined): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof CryptoError) return undefined;
    throw e;
  }
}

/**
 * Does output `i` with one-time key `P` belong to spend key `B`, given the shared point `D`?
 * Checks the view tag first when one is given (one hash instead of a scalar multiplication).
 * @returns the derivation scalar `s_i` (32 bytes), or undefined when not ours
 */
export function matchOutput(d: Uint8Array, i: number, oneTimeKey: Uint8Array, tag: number | undefined, spendPublic: Uint8Array): Uint8Array | undefined {
  return orUndefined(() => (tag !== undefined && viewTag(d, i) !== tag ? undefined : coreMatch(d, spendPublic, i, oneTimeKey)));
}

/** Decrypts an amount and opens the commitment; undefined when it does not open. */
export function openAmount(s: Uint8Array, encryptedAmount: Uint8Array, commitment: Uint8Array): { amount: bigint; mask: Uint8Array } | undefined {
  return orUndefined(() => coreOpen(s, encryptedAmount, commitment));
}
