/**
 * The wallet's owned outputs indexed for {@link ../scanner.ts scanBlock}: by global index, by
 * one-time key (lower-case hex of the 32 bytes) and by key image (hex, full wallets), kept per
 * wallet state from one block to the next. Scanning a block then costs O(its outputs) instead of
 * O(the wallet's outputs): rebuilding these sets for every block made a long scan quadratic in
 * the outputs found (issue 11).
 *
 * The index follows `state.outputs` as the rest of the wallet uses it: outputs are appended (the
 * scanner), key images may be set later on outputs already held (a view-only wallet importing
 * signed key images, ./proofs.ts), and `spentHeight` is read at look-up time. If the array is
 * replaced or shrinks, the index is rebuilt from scratch.
 * @module
 */
import { bytesToHex } from "./hex.ts";
import type { OwnedOutput, WalletState } from "./state.ts";

/** Look-up tables over a wallet's owned outputs. */
export interface ScanIndex {
  /** Global output indexes the wallet holds. */
  globalIndexes: Set<number>;
  /** One-time keys (hex) the wallet holds: a second output with one of them is never credited (burning bug). */
  oneTimeKeys: Set<string>;
  /** Owned outputs by key image (hex), spent or not: the caller checks `spentHeight`. */
  byKeyImage: Map<string, OwnedOutput>;
}

interface Entry {
  /** The `state.outputs` array this entry indexes (replaced array → rebuild). */
  outputs: OwnedOutput[];
  /** How many of its first elements are indexed. */
  indexed: number;
  /** Indexed outputs without a key image yet (view-only wallets). */
  withoutKeyImage: OwnedOutput[];
  index: ScanIndex;
}

const entries = new WeakMap<WalletState, Entry>();

/** The index of `state`'s owned outputs, brought up to date (O(outputs added since the last call)). */
export function scanIndex(state: WalletState): ScanIndex {
  let e = entries.get(state);
  if (e === undefined || e.outputs !== state.outputs || state.outputs.length < e.indexed) {
    e = { outputs: state.outputs, indexed: 0, withoutKeyImage: [], index: { globalIndexes: new Set(), oneTimeKeys: new Set(), byKeyImage: new Map() } };
    entries.set(state, e);
  }
  const { index } = e;
  if (e.withoutKeyImage.some((o) => o.keyImage !== undefined)) {
    for (const o of e.withoutKeyImage) if (o.keyImage !== undefined) index.byKeyImage.set(bytesToHex(o.keyImage), o);
    e.withoutKeyImage = e.withoutKeyImage.filter((o) => o.keyImage === undefined);
  }
  for (; e.indexed < state.outputs.length; e.indexed++) {
    const o = state.outputs[e.indexed]!;
    index.globalIndexes.add(o.globalIndex);
    index.oneTimeKeys.add(bytesToHex(o.oneTimeKey));
    if (o.keyImage === undefined) e.withoutKeyImage.push(o);
    else index.byKeyImage.set(bytesToHex(o.keyImage), o);
  }
  return index;
}
