/**
 * Coinbase outputs: public amount, commitment with mask 1 (`C = G + v·H`), so anyone can check
 * the amount (docs/protocol.md §4). Also used for the premine outputs of the genesis block.
 * @module
 */
import { commit, makeOutput, scalarMultBase } from "@baios/crypto";
import { SCALAR_ONE } from "./encoding/bytes.ts";
import type { Coinbase, CoinbaseOutput } from "./types.ts";

/** The commitment of a coinbase/premine output: `commit(amount, 1) = G + amount·H` (32 bytes). */
export function coinbaseCommitment(amount: bigint): Uint8Array {
  return commit(amount, SCALAR_ONE);
}

/** A recipient address: view and spend public keys (32 bytes each, docs/crypto.md §4). */
export interface Address {
  viewPublic: Uint8Array;
  spendPublic: Uint8Array;
}

/**
 * Builds a coinbase (or premine) with tx secret `txSecret`: output `i` goes to
 * `recipients[i]` via `makeOutput(r, A, B, i, amount)` (one-time key and view tag); the
 * commitment is implied by the public amount (mask 1). The recipient detects it with its
 * spend key (`oneTimeSecret(a, b, R, i)·G == P`); `scanOutputs` does not report it because
 * its commitment uses mask 1, not the derived mask.
 * @throws CryptoError on invalid keys
 */
export function makeCoinbase(height: bigint, txSecret: Uint8Array, outputs: readonly { to: Address; amount: bigint; unlockHeight: bigint }[]): Coinbase {
  const cbOutputs: CoinbaseOutput[] = outputs.map((o, i) => {
    const m = makeOutput(txSecret, o.to.viewPublic, o.to.spendPublic, i, o.amount);
    return { oneTimeKey: m.oneTimeKey, viewTag: m.viewTag, amount: o.amount, unlockHeight: o.unlockHeight };
  });
  return { height, txPublicKey: scalarMultBase(txSecret), outputs: cbOutputs };
}
